package io.colabtop.core;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ThresholdsTest {
    private static MemInfo mem(long total, long avail, long swapTotal, long swapFree) {
        return new MemInfo(total, 0, avail, 0, 0, swapTotal, swapFree);
    }

    @Test
    void ramSteps() {
        Thresholds t = Thresholds.DEFAULT;
        assertEquals(Severity.OK, t.ram(mem(100, 40, 0, 0)));
        assertEquals(Severity.CAREFUL, t.ram(mem(100, 30, 0, 0)));
        assertEquals(Severity.WARNING, t.ram(mem(100, 15, 0, 0)));
        assertEquals(Severity.CRITICAL, t.ram(mem(100, 4, 0, 0)));
    }

    @Test
    void noSwapIsAWarning() {
        assertEquals(Severity.WARNING, Thresholds.DEFAULT.swap(mem(100, 50, 0, 0)));
        assertEquals(Severity.OK, Thresholds.DEFAULT.swap(mem(100, 50, 100, 90)));
        assertEquals(Severity.CRITICAL, Thresholds.DEFAULT.swap(mem(100, 50, 100, 1)));
    }

    @Test
    void pressureUsesSomeAndFull() {
        Thresholds t = Thresholds.DEFAULT;
        assertEquals(Severity.OK, t.pressure(null));
        assertEquals(Severity.OK, t.pressure(new Pressure(2, 0, 0, 0, 0, 0, 0, 0)));
        assertEquals(Severity.WARNING, t.pressure(new Pressure(30, 0, 0, 0, 1, 0, 0, 0)));
        assertEquals(Severity.CRITICAL, t.pressure(new Pressure(20, 0, 0, 0, 26, 0, 0, 0)));
    }

    @Test
    void staleness() {
        Duration i = Duration.ofSeconds(2);
        assertEquals(Severity.OK, Thresholds.staleness(Duration.ofSeconds(5), i));
        assertEquals(Severity.WARNING, Thresholds.staleness(Duration.ofSeconds(7), i));
        assertEquals(Severity.CRITICAL, Thresholds.staleness(Duration.ofSeconds(21), i));
    }

    @Test
    void formats() {
        assertEquals("512B", ByteFormat.bytes(512));
        assertEquals("1.5K", ByteFormat.bytes(1536));
        assertEquals("24G", ByteFormat.bytes(24683656L * 1024));
        assertEquals("?", ByteFormat.bytes(-1));
        assertEquals("42s", ByteFormat.age(Duration.ofSeconds(42)));
        assertEquals("2m5s", ByteFormat.age(Duration.ofSeconds(125)));
        assertEquals("1h1m", ByteFormat.age(Duration.ofSeconds(3660)));
    }
}
