package io.colabtop.core;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class PressureTest {
    /** Recorded under real memory pressure (provenance in resources/proc/README.md): every field differs. */
    @Test
    void parsesRecordedFile() {
        Pressure p = Pressure.parse(Fixtures.text("proc/pressure-memory.txt"));
        assertEquals(new Pressure(8.90, 5.47, 1.56, 5411601L, 4.61, 3.12, 0.90, 3280746L), p);
    }

    /** The thrashing cgroup's own cgroup v2 memory.pressure, same format: its only task stalled, so full equals some. */
    @Test
    void parsesRecordedCgroupFile() {
        Pressure p = Pressure.parse(Fixtures.text("proc/cgroup-memory.pressure.txt"));
        assertEquals(new Pressure(10.01, 6.44, 1.86, 6251790L, 10.01, 6.44, 1.86, 6249515L), p);
    }

    @Test
    void absentPsiIsNull() {
        assertNull(Pressure.parseOrNull(Fixtures.text("proc/pressure-absent.txt")));
        assertNull(Pressure.parseOrNull(null));
    }

    @Test
    void readsSomeAndFull() {
        Pressure p = Pressure.parse("some avg10=63.17 avg60=41.02 avg300=12.90 total=98765432\n"
                + "full avg10=38.54 avg60=22.10 avg300=6.75 total=45678901\n");
        assertEquals(63.17, p.someAvg10());
        assertEquals(12.90, p.someAvg300());
        assertEquals(38.54, p.fullAvg10());
        assertEquals(45678901L, p.fullTotalMicros());
    }

    @Test
    void missingFullLineReadsAsZero() {
        Pressure p = Pressure.parse("some avg10=1.50 avg60=0.20 avg300=0.00 total=123\n");
        assertEquals(1.5, p.someAvg10());
        assertEquals(0, p.fullAvg10());
    }

    @Test
    void garbageIsAnError() {
        assertThrows(ParseException.class, () -> Pressure.parse("full avg10=1 avg60=1 avg300=1 total=1"));
        assertThrows(ParseException.class, () -> Pressure.parse("some avg10=x avg60=1"));
    }
}
