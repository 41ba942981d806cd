package io.colabtop.app.tui.render;

import io.colabtop.app.tui.state.Trends;
import io.colabtop.core.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Pictures of figures: sparklines (one row, a slice per cell, as in btop's mini graphs), graphs
 * (several rows, eighth-block resolution, as nvitop's), and segmented meters (htop's bars). Drawn in
 * Unicode block characters; {@link ScreenPainter} turns them into ASCII ({@code _.-~=+*#}) on a
 * terminal that cannot show them. Each cell takes the style of the severity its slice had.
 */
public final class Graphs {
    private Graphs() {}

    /** Eighths of a cell, ▁ (1/8) to █ (8/8). */
    public static final String BLOCKS = "▁▂▃▄▅▆▇█";

    static final char FULL = '█';
    /** A meter's reclaimable part (page cache): memory that is there if the job needs it. */
    static final char SHADE = '░';

    /**
     * One row, one cell per slice of {@code s}: the lowest block for 0 (there was data), blank for
     * a gap (no answer then).
     */
    public static List<Line.Span> sparkline(Trends.Series s) {
        Line.Builder b = new Line.Builder();
        for (int i = 0; i < s.length(); i++) {
            double v = s.values()[i];
            if (Double.isNaN(v)) {
                b.add(" ", Style.DIM);
            } else {
                int level = (int) Math.min(7, Math.round(v * 7));
                b.add(String.valueOf(BLOCKS.charAt(level)), style(s.severities()[i]));
            }
        }
        return b.build(false).spans();
    }

    /**
     * {@code height} rows of {@code width} cells (slices are stretched over the width when there are
     * fewer), top row first, each prefixed with a 5-column scale ("100%", "50%", "  0%").
     */
    public static List<Line> graph(Trends.Series s, int width, int height, String top) {
        List<Line> rows = new ArrayList<>();
        int w = Math.max(1, width);
        int h = Math.max(1, height);
        for (int r = h - 1; r >= 0; r--) {
            Line.Builder b = new Line.Builder();
            String scale = r == h - 1 ? top : r == 0 ? "0%" : "";
            b.add(String.format(Locale.ROOT, "%5s", scale) + "│", Style.DIM);
            for (int c = 0; c < w; c++) {
                int slice = s.length() == 0 ? -1 : (int) ((long) c * s.length() / w);
                double v = slice < 0 ? Double.NaN : s.values()[slice];
                if (Double.isNaN(v)) {
                    b.add(r == 0 ? "·" : " ", Style.DIM); // a gap reads as dots on the floor, not as zero
                    continue;
                }
                int eighths = (int) Math.round(v * h * 8);
                int here = eighths - r * 8;
                String cell =
                        here >= 8 ? String.valueOf(FULL) : here <= 0 ? " " : String.valueOf(BLOCKS.charAt(here - 1));
                if (r == 0 && here <= 0) {
                    cell = String.valueOf(BLOCKS.charAt(0)); // there was data, and it was near zero
                }
                b.add(cell, style(s.severities()[slice]));
            }
            rows.add(b.build(false));
        }
        return rows;
    }

    /** A part of a meter: its size and how it is drawn. */
    public record Segment(double fraction, char glyph, Style style) {}

    /**
     * htop's bar: {@code [█████░░░      12G/16G]} in {@code width} columns, the figure written over
     * the free end of the bar.
     */
    public static List<Line.Span> meter(List<Segment> segments, String figure, int width) {
        int inner = Math.max(1, width - 2);
        Line.Builder b = new Line.Builder();
        b.add("[", Style.DIM);
        int used = 0;
        double acc = 0;
        List<Line.Span> cells = new ArrayList<>();
        for (Segment seg : segments) {
            acc += Math.max(0, seg.fraction());
            int upTo = (int) Math.min(inner, Math.round(Math.min(1, acc) * inner));
            if (upTo > used) {
                cells.add(new Line.Span(String.valueOf(seg.glyph()).repeat(upTo - used), seg.style()));
                used = upTo;
            }
        }
        String label = figure.length() > inner ? "" : figure;
        int labelAt = inner - label.length() - (label.isEmpty() ? 0 : 1); // a space before the figure
        // the figure goes at the right end; where it would cover the bar, the bar wins up to it
        int col = 0;
        for (Line.Span cell : cells) {
            int len = cell.text().length();
            int keep = Math.max(0, Math.min(len, labelAt - col));
            if (keep > 0) {
                b.add(cell.text().substring(0, keep), cell.style());
            }
            col += len;
        }
        int barEnd = Math.min(used, labelAt);
        b.add(" ".repeat(Math.max(0, labelAt - barEnd) + (label.isEmpty() ? 0 : 1)), Style.TEXT);
        b.add(label, Style.TEXT);
        b.add("]", Style.DIM);
        return b.build(false).spans();
    }

    static Style style(Severity s) {
        return s == null ? Style.TEXT : Style.of(s);
    }
}
