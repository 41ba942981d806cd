package io.colabtop.core.action;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The host's autostop status report, read as the host's word. */
class AutostopStateTest {
    static final Instant READ = Instant.parse("2026-07-30T23:00:00Z");

    static ShellResult report(String... results) {
        StringBuilder out = new StringBuilder();
        for (String r : results) {
            out.append("colabtop-result: ").append(r).append('\n');
        }
        return ShellResult.parse(0, out.toString(), "");
    }

    @Test
    void aPendingExitCountsDownFromWhenItWasRead() {
        AutostopState s = AutostopState.parse(
                report(
                        "now=1718000400",
                        "armed=1",
                        "id=6f1c2a0b",
                        "trigger=exits",
                        "what=when PID 4242 exits, then 5m of grace",
                        "how=detached",
                        "watcher=5120",
                        "watchers=1",
                        "status_pending=1",
                        "status_fires=1718000700",
                        "status_note=PID 4242 (python) exited; no OOM kill since arming"),
                READ);
        assertTrue(s.armed() && s.running() && s.pending());
        assertEquals(Duration.ofMinutes(5), s.firesIn());
        assertEquals("autostop: when PID 4242 exits, then 5m of grace (3m left)", s.describe(READ.plusSeconds(125)));
        assertEquals(Duration.ZERO, s.firesIn(READ.plusSeconds(3600)), "never negative");
    }

    @Test
    void aFiringSaysWhyAndAFailedStopIsAFailure() {
        AutostopState s = AutostopState.parse(
                report(
                        "now=1718000800",
                        "armed=1",
                        "id=6f1c2a0b",
                        "what=idle 30m",
                        "watcher=gone",
                        "fired_fired=1718000700",
                        "fired_reason=idle for 30m (CPU at most 5%, GPUs at most 5%, no SSH terminal)",
                        "fired_stop_cmd=/usr/bin/gcloud compute instances stop x",
                        "fired_stop_rc=1",
                        "fired_stop_out=ERROR: (gcloud) insufficient permission"),
                READ);
        assertTrue(s.fired().failed());
        assertFalse(s.broken(), "fired: its watcher is gone on purpose");
        assertEquals(
                "autostop FAILED: idle for 30m (CPU at most 5%, GPUs at most 5%, no SSH terminal); the stop command "
                        + "exited 1 (ERROR: (gcloud) insufficient permission)",
                s.describe(READ));
    }

    @Test
    void aWatcherThatIsGoneOrFromAnotherBootIsSaid() {
        assertTrue(AutostopState.parse(report("now=1", "armed=1", "what=idle 30m", "watcher=gone"), READ)
                .describe(READ)
                .contains("its watcher is gone"));
        AutostopState stale =
                AutostopState.parse(report("now=1", "armed=1", "what=idle 30m", "watcher=5120", "stale=1"), READ);
        assertTrue(stale.broken());
        assertTrue(stale.describe(READ).contains("before the last boot"), stale.describe(READ));
    }

    @Test
    void nothingArmedKeepsTheLastFiringOfTheLog() {
        AutostopState s = AutostopState.parse(
                report("now=1718000900", "armed=0", "last=1718000700 6f1c2a0b fired: PID 4242 (python) exited"), READ);
        assertFalse(s.armed());
        assertNull(s.describe(READ));
        assertEquals("1718000700 6f1c2a0b fired: PID 4242 (python) exited", s.lastLog());
    }

    @Test
    void hostTextIsMadeSafeAndNumbersAreStrict() {
        AutostopState s = AutostopState.parse(
                report(
                        "now=1718000400",
                        "armed=1",
                        "id=$(reboot)",
                        "what=idle \u001b[2J30m",
                        "how=detached;rm",
                        "watcher=5120x",
                        "watchers=99999999999999999999",
                        "status_pending=1",
                        "status_fires=-5",
                        "status_note=" + "n".repeat(5000)),
                READ);
        assertNull(s.id(), "not an id");
        assertNull(s.how());
        assertFalse(s.running(), "a watcher pid that is not a number");
        assertNull(s.firesIn(), "a deadline that is not a number");
        assertFalse(s.what().contains("\u001b"), s.what());
        assertTrue(s.note().length() <= AutostopState.MAX_TEXT + 1, "bounded");
        assertThrows(IllegalArgumentException.class, () -> AutostopState.parse(report("armed=1"), READ));
        assertThrows(IllegalArgumentException.class, () -> AutostopState.parse(report("now=1"), READ));
    }

    /** The reasons a watcher writes, with lines recorded from real kernels and systemd-oomd (core/src/test/resources/oom). */
    @Test
    void anOomKilledRunsReasonIsReadAsTheKillHistoryReadsItsLine() {
        io.colabtop.core.oom.OomEvent kernel =
                AutostopState.oomKill("PID 28585 (python3) was OOM-killed by the kernel: "
                        + "Memory cgroup out of memory: Killed process 28585 (python3) total-vm:221384kB, anon-rss:32512kB, "
                        + "file-rss:6636kB, shmem-rss:0kB, UID:0 pgtables:132kB oom_score_adj:0");
        assertEquals(io.colabtop.core.oom.OomEvent.Killer.KERNEL, kernel.killer());
        assertEquals(28585, kernel.pid());
        assertEquals(io.colabtop.core.oom.OomEvent.Constraint.CGROUP_LIMIT, kernel.constraint());
        assertTrue(kernel.summary().startsWith("kernel ✗ pid 28585 python3 RSS "), kernel.summary());

        String scope = "/user.slice/user-1001.slice/user@1001.service/app.slice/vte-spawn-dbb4a75e.scope";
        io.colabtop.core.oom.OomEvent oomd = AutostopState.oomKill("PID 4242 (python) was OOM-killed by systemd-oomd: "
                + "Killed " + scope + " due to memory pressure for /user.slice/user-1001.slice/user@1001.service "
                + "being 51.07% > 50.00% for > 20s with reclaim activity");
        assertEquals(io.colabtop.core.oom.OomEvent.Killer.SYSTEMD_OOMD, oomd.killer());
        assertEquals(io.colabtop.core.oom.OomEvent.Constraint.PRESSURE, oomd.constraint());
        assertEquals(scope, oomd.cgroup().exact());
        io.colabtop.core.oom.OomEvent marked =
                AutostopState.oomKill("PID 4242 (python) was OOM-killed by systemd-oomd: "
                        + "Marked /system.slice/systemd-journald.service for killing due to memory pressure for /system.slice "
                        + "being 85.03% > 80.00% for > 2s with reclaim activity");
        assertEquals("/system.slice/systemd-journald.service", marked.cgroup().exact());

        // a line the parser does not know still says who killed
        io.colabtop.core.oom.OomEvent odd =
                AutostopState.oomKill("PID 4242 (python) was OOM-killed by the kernel: something else entirely");
        assertEquals(io.colabtop.core.oom.OomEvent.Killer.KERNEL, odd.killer());
        assertTrue(odd.summary().contains("something else entirely"), odd.summary());

        assertNull(AutostopState.oomKill("PID 4242 (python) exited; no OOM kill since arming"));
        assertNull(AutostopState.oomKill("PID 4242 (python) exited; the kernel OOM-killed another process meanwhile"));
        assertNull(AutostopState.oomKill("idle for 30m (CPU at most 5%, GPUs at most 5%, no SSH terminal)"));
        assertNull(AutostopState.oomKill(null));
    }
}
