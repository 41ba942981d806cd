package io.colabtop.app.tui.render;

import static org.junit.jupiter.api.Assertions.*;

import io.colabtop.app.tui.state.Trends;
import io.colabtop.core.Severity;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GraphsTest {
    static Trends.Series series(double... v) {
        Severity[] sev = new Severity[v.length];
        for (int i = 0; i < v.length; i++) {
            sev[i] = Double.isNaN(v[i]) ? null : v[i] > 0.9 ? Severity.CRITICAL : Severity.OK;
        }
        return new Trends.Series(Trends.Metric.RAM, v, sev);
    }

    static String text(List<Line.Span> spans) {
        return new Line(spans, false).text();
    }

    @Test
    void aSparklineIsOneCellPerSliceLowestBlockForZeroBlankForAGap() {
        List<Line.Span> s = Graphs.sparkline(series(0, 0.5, 1, Double.NaN, 0.95));
        assertEquals("▁▅█ █", text(s));
        assertEquals(Style.CRITICAL, s.get(s.size() - 1).style(), "the slice's severity colours its cell");
        assertEquals("_=# #", ScreenPainter.ascii(text(s)), "ASCII look-alikes, same width");
    }

    @Test
    void aGraphStacksEighthsAndStretchesSlicesOverItsWidth() {
        List<Line> rows = Graphs.graph(series(0.25, 1.0), 4, 2, "100%");
        assertEquals(2, rows.size());
        assertEquals(" 100%│  ██", rows.get(0).text());
        assertEquals("   0%│▄▄██", rows.get(1).text(), "0.25 of 2 rows is half of the bottom row: ▄");
        List<Line> half = Graphs.graph(series(0.25), 1, 2, "100%");
        assertEquals("   0%│▄", half.get(1).text());
        List<Line> gap = Graphs.graph(series(Double.NaN, 0.0), 2, 2, "100%");
        assertEquals("   0%│·▁", gap.get(1).text(), "a gap shows as dots, a zero as the lowest block");
    }

    @Test
    void aMeterIsUsedThenCacheThenFreeWithTheFigureAtTheEnd() {
        List<Line.Span> m = Graphs.meter(
                List.of(
                        new Graphs.Segment(0.5, Graphs.FULL, Style.WARNING),
                        new Graphs.Segment(0.25, Graphs.SHADE, Style.DIM)),
                "8G/16G",
                22);
        String t = text(m);
        assertEquals(22, TerminalColumns.width(t));
        assertEquals("[██████████░░░ 8G/16G]", t, "the figure keeps a space before it");
        String full = text(Graphs.meter(List.of(new Graphs.Segment(1.0, Graphs.FULL, Style.CRITICAL)), "16G", 10));
        assertEquals("[████ 16G]", full);
        String tiny =
                text(Graphs.meter(List.of(new Graphs.Segment(2.0, Graphs.FULL, Style.OK)), "too long a figure", 6));
        assertEquals("[████]", tiny, "no room for the figure: the bar alone, clamped at full");
    }

    @Test
    void asciiKeepsEveryColumnWhereTheRendererPutIt() {
        Random r = new Random(7);
        String alphabet = "a▁▂▃▄▅▆▇█░▾▴✗…└│⟳漢字\u0301é\u001b\u009b→←↑↓·";
        for (int i = 0; i < 2000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(20);
            for (int j = 0; j < n; j++) {
                sb.appendCodePoint(alphabet.codePointAt(r.nextInt(alphabet.length())));
            }
            String s = sb.toString();
            String a = ScreenPainter.ascii(s);
            assertTrue(a.chars().allMatch(c -> c >= 0x20 && c < 0x7f), "ASCII only: " + a);
            assertEquals(TerminalColumns.width(s), a.length(), "same columns for " + s);
        }
    }
}
