package io.colabtop.app.tui.render;

import java.util.ArrayList;
import java.util.List;

/**
 * One screen row: styled spans, whether it is the selected row (drawn reversed), and what it shows
 * ({@code ref}: a host's name, a process's pid, or null), so a mouse click lands on what was drawn there.
 */
public record Line(List<Span> spans, boolean selected, String ref) {

    public record Span(String text, Style style) {}

    public Line(List<Span> spans, boolean selected) {
        this(spans, selected, null);
    }

    /** The same row, saying what it shows. */
    public Line about(String what) {
        return new Line(spans, selected, what);
    }

    public String text() {
        StringBuilder sb = new StringBuilder();
        spans.forEach(s -> sb.append(s.text()));
        return sb.toString();
    }

    public static Line of(String text, Style style) {
        return new Line(List.of(new Span(text, style)), false);
    }

    /** Builds a row cell by cell, fitting each cell to its width. */
    public static final class Builder {
        private final List<Span> spans = new ArrayList<>();
        private int width;

        public Builder add(String text, Style style) {
            int last = spans.size() - 1;
            if (last >= 0 && spans.get(last).style() == style) {
                spans.set(
                        last, new Span(spans.get(last).text() + text, style)); // a sparkline is one span per colour run
            } else {
                spans.add(new Span(text, style));
            }
            width += TerminalColumns.width(text);
            return this;
        }

        /** Left-aligned cell of exactly {@code w} columns plus one space. */
        public Builder cell(String text, int w, Style style) {
            return add(fit(text, w) + " ", style);
        }

        /** Right-aligned cell of exactly {@code w} columns plus one space. */
        public Builder rcell(String text, int w, Style style) {
            return add(TerminalColumns.fitRight(text, w) + " ", style);
        }

        public int width() {
            return width;
        }

        public Line build(boolean selected) {
            return new Line(List.copyOf(spans), selected);
        }
    }

    /** Pads or cuts to exactly {@code w} terminal columns; a cut ends in '…' so the reader knows. */
    public static String fit(String text, int w) {
        return TerminalColumns.fit(text, w);
    }

    /** Columns this line takes. */
    public int width() {
        return spans.stream().mapToInt(s -> TerminalColumns.width(s.text())).sum();
    }
}
