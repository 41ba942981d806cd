package io.colabtop.core.action;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** --from-here: the condition colabtop keeps, fed the check script's readings. */
class AutostopConditionTest {
    static final Instant T0 = Instant.parse("2026-07-30T23:00:00Z");

    static ShellResult reading(String... results) {
        return AutostopStateTest.report(results);
    }

    @Test
    void anExitFiresAfterTheGraceAndAnOomKillIsTheReason() {
        AutostopCondition c = new AutostopCondition(
                AutostopRule.of(new AutostopRule.Exits(4242, 77, "python train.py"), Duration.ofMinutes(5)), -1);
        AutostopCondition.Decision d = c.observe(reading("alive=1", "comm=python", "oom_kill=3"), T0);
        assertFalse(d.pending());
        d = c.observe(
                reading(
                        "alive=0",
                        "comm=python",
                        "oom_kill=4",
                        "oom_line=Memory cgroup out of memory: Killed process 4242 (python) total-vm:1kB"),
                T0.plusSeconds(60));
        assertTrue(d.pending());
        assertFalse(d.fire(), "the grace first");
        assertEquals(T0.plusSeconds(60 + 300), d.firesAt());
        d = c.observe(reading("alive=0", "comm=python", "oom_kill=4"), T0.plusSeconds(360));
        assertTrue(d.fire());
        assertTrue(
                d.reason().startsWith("PID 4242 (python) was OOM-killed by the kernel: Memory cgroup out of memory"),
                d.reason());
    }

    @Test
    void anOomLineFromBeforeArmingIsNotTheReason() {
        AutostopCondition c =
                new AutostopCondition(AutostopRule.of(new AutostopRule.Exits(4242, 77, ""), Duration.ZERO), -1);
        c.observe(reading("alive=1", "comm=python", "oom_kill=4"), T0);
        AutostopCondition.Decision d = c.observe(
                reading("alive=reused", "comm=bash", "oom_kill=4", "oom_line=Killed process 4242 (python)"),
                T0.plusSeconds(60));
        assertTrue(d.fire());
        assertEquals(
                "PID 4242 (python) exited (its pid 4242 is now another process); no OOM kill since arming", d.reason());
    }

    /** Gone before colabtop first read it, or its pid already another process's: named as planned, never "()". */
    @Test
    void aProcessNeverSeenRunningIsNamedAsItWasWhenPlanned() {
        AutostopCondition gone = new AutostopCondition(
                AutostopRule.of(new AutostopRule.Exits(4242, 77, "/usr/bin/python3 train.py"), Duration.ZERO), -1);
        AutostopCondition.Decision d = gone.observe(reading("alive=0", "comm=", "oom_kill=4"), T0);
        assertTrue(d.fire());
        assertEquals("PID 4242 (python3) exited", d.reason());
        AutostopCondition reused = new AutostopCondition(
                AutostopRule.of(new AutostopRule.Exits(4242, 77, "python train.py"), Duration.ZERO), -1);
        d = reused.observe(reading("alive=reused", "comm=bash", "oom_kill=4"), T0);
        assertEquals("PID 4242 (python) exited (its pid 4242 is now another process)", d.reason());
        AutostopCondition typed =
                new AutostopCondition(AutostopRule.of(new AutostopRule.Exits(4242, 77, ""), Duration.ZERO), -1);
        assertEquals(
                "PID 4242 (?) exited",
                typed.observe(reading("alive=0", "comm=", "oom_kill=4"), T0).reason());
    }

    @Test
    void aMatchAgainStartsTheWaitOver() {
        AutostopCondition c =
                new AutostopCondition(AutostopRule.of(new AutostopRule.Match("train\\.py"), Duration.ofMinutes(5)), -1);
        assertTrue(c.observe(reading("matches=0"), T0).pending());
        assertFalse(c.observe(reading("matches=1"), T0.plusSeconds(120)).pending());
        AutostopCondition.Decision d = c.observe(reading("matches=0"), T0.plusSeconds(180));
        assertEquals(T0.plusSeconds(480), d.firesAt(), "counted from when it stopped matching again");
        assertFalse(c.observe(reading("matches=0"), T0.plusSeconds(479)).fire());
        assertTrue(c.observe(reading("matches=0"), T0.plusSeconds(480)).fire());
    }

    @Test
    void idleNeedsQuietCpuQuietGpusAndNoTerminalForTheWholeWindow() {
        AutostopCondition c = new AutostopCondition(
                AutostopRule.of(new AutostopRule.Idle(Duration.ofMinutes(30)), Duration.ZERO), -1);
        assertEquals(
                "first reading",
                c.observe(reading("cpu=100 1000", "gpu=0", "pty=0"), T0).note());
        // 2 busy ticks of 1000: 0 %
        AutostopCondition.Decision d = c.observe(reading("cpu=102 2000", "gpu=0", "pty=0"), T0.plusSeconds(60));
        assertTrue(d.pending());
        assertEquals(T0.plusSeconds(60 + 1800), d.firesAt());
        // someone logs in with a terminal: the wait starts over
        assertFalse(c.observe(reading("cpu=103 3000", "gpu=0", "pty=1"), T0.plusSeconds(120))
                .pending());
        assertTrue(c.observe(reading("cpu=104 4000", "gpu=none", "pty=0"), T0.plusSeconds(180))
                .pending());
        assertEquals(
                "busy: GPU 97%",
                c.observe(reading("cpu=105 5000", "gpu=97", "pty=0"), T0.plusSeconds(240))
                        .note());
        assertEquals(
                "GPU utilisation unreadable: counted as busy",
                c.observe(reading("cpu=106 6000", "gpu=error", "pty=0"), T0.plusSeconds(300))
                        .note());
        assertEquals(
                "busy: CPU 50%",
                c.observe(reading("cpu=606 7000", "gpu=0", "pty=0"), T0.plusSeconds(360))
                        .note());
        assertTrue(c.observe(reading("cpu=607 8000", "gpu=1", "pty=0"), T0.plusSeconds(420))
                .pending());
        AutostopCondition.Decision fire = c.observe(reading("cpu=608 9000", "gpu=0", "pty=0"), T0.plusSeconds(2220));
        assertTrue(fire.fire());
        assertTrue(fire.reason().startsWith("idle for 30m"), fire.reason());
    }

    @Test
    void anUnreadableReadingChangesNothing() {
        AutostopCondition c =
                new AutostopCondition(AutostopRule.of(new AutostopRule.Match("train"), Duration.ofMinutes(5)), -1);
        c.observe(reading("matches=0"), T0);
        AutostopCondition.Decision d = c.observe(reading("error=grep: Unmatched ( or \\("), T0.plusSeconds(400));
        assertFalse(d.fire(), "no stop on a reading it could not make");
        assertTrue(d.pending());
        assertTrue(c.observe(reading("matches=garbage"), T0.plusSeconds(500)).pending());
    }
}
