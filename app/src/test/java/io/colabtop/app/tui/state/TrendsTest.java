package io.colabtop.app.tui.state;

import static org.junit.jupiter.api.Assertions.*;

import io.colabtop.core.HostSnapshot;
import io.colabtop.core.MemInfo;
import io.colabtop.core.Pressure;
import io.colabtop.core.Severity;
import io.colabtop.core.Thresholds;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrendsTest {
    static final long GIB = 1024L * 1024 * 1024;
    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    static HostSnapshot at(Instant t, double ramUsed, double psi) {
        long total = 16 * GIB;
        MemInfo m = new MemInfo(total, total / 10, (long) (total * (1 - ramUsed)), 0, 0, 0, 0);
        return new HostSnapshot(
                "h",
                t,
                m,
                new Pressure(psi, 0, 0, 0, 0, 0, 0, 0),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                null,
                null,
                4,
                "Linux");
    }

    @Test
    void eachSliceHoldsItsWorstSampleWithTheSeverityItHadAndGapsStayGaps() {
        Trends t = new Trends(Duration.ofMinutes(10), Duration.ofSeconds(2));
        // 60 s in 6 slices of 10 s: samples every 2 s, but nothing in the 4th slice (the host was down)
        for (int s = 0; s < 60; s += 2) {
            if (s >= 30 && s < 40) {
                continue;
            }
            double ram = s == 12 ? 0.97 : 0.40;
            t.add(at(T0.plusSeconds(s + 1), ram, s == 52 ? 60 : 1), Thresholds.DEFAULT);
        }
        Trends.Series ram = t.series(Trends.Metric.RAM, T0.plusSeconds(60), Duration.ofSeconds(60), 6);
        assertEquals(6, ram.length());
        assertEquals(0.40, ram.values()[0], 0.01);
        assertEquals(0.97, ram.values()[1], 0.01, "the spike at 13 s is the second slice's value");
        assertEquals(Severity.CRITICAL, ram.severities()[1]);
        assertEquals(Severity.OK, ram.severities()[0]);
        assertTrue(Double.isNaN(ram.values()[3]), "no answer is a gap, not a zero");
        assertEquals(0.40, ram.last(), 0.01);
        Trends.Series psi = t.series(Trends.Metric.PSI, T0.plusSeconds(60), Duration.ofSeconds(60), 6);
        assertEquals(1.0, psi.values()[5], 1e-9, "PSI 60% is over the 50% scale: clamped to the top");
        assertEquals(Severity.CRITICAL, psi.severities()[5]);
        assertEquals(0.02, psi.values()[0], 1e-6, "PSI 1% of 50%");
        Trends.Series swap = t.series(Trends.Metric.SWAP, T0.plusSeconds(60), Duration.ofSeconds(60), 6);
        assertTrue(swap.empty(), "no swap: nothing to draw");
    }

    @Test
    void theRingKeepsOnlyItsWindowAndIgnoresRepeats() {
        Trends t = new Trends(Duration.ofSeconds(20), Duration.ofSeconds(2));
        assertEquals(12, t.capacity());
        for (int s = 0; s < 100; s++) {
            t.add(at(T0.plusSeconds(s * 2L), s / 100.0, 0), Thresholds.DEFAULT);
        }
        assertEquals(12, t.size(), "bounded by the window");
        t.add(at(T0.plusSeconds(198), 0.10, 0), Thresholds.DEFAULT); // same time as the last: a repeat
        Trends.Series s = t.series(Trends.Metric.RAM, T0.plusSeconds(198), Duration.ofSeconds(20), 10);
        assertEquals(0.99, s.values()[9], 0.001, "a repeat is ignored");
        assertEquals(0.90, s.values()[1], 0.001, "slices of 2 s from 20 s back: 180 s is the second");
        assertTrue(Double.isNaN(s.values()[0]), "the sample at exactly 20 s back is outside the window");
        Trends.Series later = t.series(Trends.Metric.RAM, T0.plusSeconds(1000), Duration.ofSeconds(20), 10);
        assertTrue(later.empty(), "nothing newer than 20 s before then");
        assertTrue(new Trends(Duration.ofDays(30), Duration.ofMillis(1)).capacity() <= Trends.MAX_SAMPLES);
    }
}
