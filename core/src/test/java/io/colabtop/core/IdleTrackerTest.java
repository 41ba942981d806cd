package io.colabtop.core;

import static org.junit.jupiter.api.Assertions.*;

import io.colabtop.core.cost.IdleTracker;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class IdleTrackerTest {
    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void flagsAfterTheThresholdAndABusyReadingResets() {
        IdleTracker t = new IdleTracker(Duration.ofMinutes(30));
        t.observe("vm", T0, -1, -1);
        assertNull(t.idleFor("vm", T0.plusSeconds(3600)), "no CPU figure yet: not idle");
        t.observe("vm", T0, 0.01, 0);
        t.observe("vm", T0.plusSeconds(600), 0.02, 1);
        assertNull(t.idleFor("vm", T0.plusSeconds(29 * 60)));
        assertEquals(Duration.ofMinutes(31), t.idleFor("vm", T0.plusSeconds(31 * 60)));
        t.observe("vm", T0.plusSeconds(32 * 60), 0.01, 40); // GPU busy: not idle
        assertNull(t.idleFor("vm", T0.plusSeconds(90 * 60)));
        t.observe("vm", T0.plusSeconds(100 * 60), 0.5, -1); // CPU busy, no GPU
        assertNull(t.idleFor("vm", T0.plusSeconds(200 * 60)));
        t.observe("vm", T0.plusSeconds(200 * 60), 0.0, -1);
        assertEquals(Duration.ofMinutes(30), t.idleFor("vm", T0.plusSeconds(230 * 60)));
        t.forget("vm");
        assertNull(t.idleFor("vm", T0.plusSeconds(300 * 60)));
    }
}
