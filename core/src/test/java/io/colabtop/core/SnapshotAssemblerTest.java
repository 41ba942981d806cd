package io.colabtop.core;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotAssemblerTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    private static RawProcess weird() {
        return new RawProcess(
                2373,
                Fixtures.text("proc/pid-weird-stat.txt"),
                Fixtures.text("proc/pid-weird-status.txt"),
                Fixtures.bytes("proc/pid-weird-cmdline.bin"),
                Fixtures.text("proc/pid-weird-oom_score.txt"),
                Fixtures.text("proc/pid-weird-oom_score_adj.txt"));
    }

    private static RawProcess kthread() {
        return new RawProcess(
                2,
                Fixtures.text("proc/pid-kthread-stat.txt"),
                Fixtures.text("proc/pid-kthread-status.txt"),
                new byte[0],
                "0\n",
                "0\n");
    }

    @Test
    void assemblesRecordedFilesAndOrdersByOomScore() {
        RawProbe raw = new RawProbe(
                Fixtures.text("proc/meminfo-with-swap.txt"),
                Fixtures.text("proc/swaps-two-files.txt"),
                Fixtures.text("proc/pressure-memory.txt"),
                "cpu  1 2 3 4 5 6 7 8 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n",
                "root:x:0:0::/root:/bin/sh\n",
                List.of(kthread(), weird()),
                Fixtures.text("nvidia-smi/gpus-t4.csv"),
                "",
                null,
                "6.18");
        HostSnapshot s = SnapshotAssembler.assemble("vm1", T0, raw);
        assertEquals("vm1", s.host());
        assertEquals(2, s.swaps().size());
        assertEquals(8.90, s.pressure().someAvg10(), "the recorded pressure file, parsed");
        assertEquals(2, s.processes().size());
        ProcessInfo top = s.topOomCandidate();
        assertEquals(2373, top.pid());
        assertEquals(1000, top.oomScore());
        assertEquals(500, top.oomScoreAdj());
        assertEquals("root", top.user().exact());
        assertEquals("[kthreadd]", s.processes().get(1).displayCommand());
        assertEquals(1, s.cpuCount());
        assertEquals(1, s.gpus().size());
    }

    @Test
    void elapsedIsTheRecordedUptimeLessTheProcessStart() {
        RawProbe raw = new RawProbe(
                Fixtures.text("proc/meminfo-with-swap.txt"),
                null,
                null,
                null,
                "root:x:0:0::/root:/bin/sh\n",
                List.of(weird()),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                Fixtures.text("proc/uptime.txt"));
        HostSnapshot s = SnapshotAssembler.assemble("vm1", T0, raw);
        // uptime.txt: "12072.77 9536.19"; pid-weird-stat.txt's 22nd field: 162961 ticks = 1629.61 s
        assertEquals(java.time.Duration.ofMillis(12_072_770), s.uptime());
        assertEquals(java.time.Duration.ofMillis(12_072_770 - 1_629_610), s.elapsed(s.topOomCandidate()));
        assertEquals("2h54m", ByteFormat.elapsed(s.elapsed(s.topOomCandidate())));
    }

    @Test
    void aMissingOrForgedUptimeGivesNoElapsedTime() {
        for (String bad : new String[] {null, "", "-5.00 1.0", "1e9 0", "12072.7x 1", "nan 0", "99999999999999 0"}) {
            assertNull(SnapshotAssembler.uptime(bad), bad);
        }
        assertEquals(
                java.time.Duration.ofMillis(5_000), SnapshotAssembler.uptime("5.00\n"), "no idle figure: still read");
        // a process that claims to start after the host's uptime (another boot's figures): unknown, not negative
        ProcessInfo late = new ProcessInfo(9, 1, "u", "c", "c", 0, 0, 0, 10_000, 'S');
        HostSnapshot s = SnapshotAssembler.assemble(
                "vm1",
                T0,
                new RawProbe(
                        Fixtures.text("proc/meminfo-with-swap.txt"),
                        null,
                        null,
                        null,
                        null,
                        List.of(),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        "50.00 1.00"));
        assertNull(s.elapsed(late));
    }

    @Test
    void elapsedReadsAsPsWould() {
        assertEquals("-", ByteFormat.elapsed(null));
        assertEquals("42s", ByteFormat.elapsed(java.time.Duration.ofSeconds(42)));
        assertEquals("12m05s", ByteFormat.elapsed(java.time.Duration.ofSeconds(12 * 60 + 5)));
        assertEquals("3h05m", ByteFormat.elapsed(java.time.Duration.ofSeconds(3 * 3600 + 5 * 60 + 59)));
        assertEquals("2d04h", ByteFormat.elapsed(java.time.Duration.ofHours(52)));
        assertEquals("123d", ByteFormat.elapsed(java.time.Duration.ofDays(123)));
    }

    @Test
    void vanishedProcessIsDroppedNotFatal() {
        RawProcess gone =
                new RawProcess(77, Fixtures.text("proc/pid-vanished-stat-truncated.txt"), null, null, null, null);
        RawProcess halfRead = new RawProcess(78, Fixtures.text("proc/pid-weird-stat.txt"), "", null, "5", "0");
        RawProbe raw = new RawProbe(
                Fixtures.text("proc/meminfo-debian12-kvm.txt"),
                Fixtures.text("proc/swaps-empty.txt"),
                null,
                null,
                null,
                List.of(gone, halfRead, weird()),
                null,
                null,
                null,
                null);
        HostSnapshot s = SnapshotAssembler.assemble("h", T0, raw);
        assertEquals(List.of(2373), s.processes().stream().map(ProcessInfo::pid).toList());
        assertNull(s.pressure());
        assertTrue(s.gpus().isEmpty());
    }

    @Test
    void hostStateKeepsLastGoodSnapshotOnFailure() {
        RawProbe raw = new RawProbe(
                Fixtures.text("proc/meminfo-debian12-kvm.txt"),
                "",
                null,
                "cpu  100 0 0 100 0 0 0 0\n",
                null,
                List.of(),
                null,
                null,
                null,
                null);
        HostSnapshot a = SnapshotAssembler.assemble("h", T0, raw);
        RawProbe raw2 = new RawProbe(
                raw.meminfo(), "", null, "cpu  150 0 0 150 0 0 0 0\n", null, List.of(), null, null, null, null);
        HostSnapshot b = SnapshotAssembler.assemble("h", T0.plusSeconds(2), raw2);
        HostState st = HostState.pending("h").withSnapshot(a).withSnapshot(b);
        assertEquals(0.5, st.cpuBusyFraction(), 1e-9);
        HostState down = st.withFailure("connection refused", T0.plusSeconds(4));
        assertFalse(down.reachable());
        assertSame(b, down.latest());
        assertEquals(Duration.ofSeconds(8), down.staleness(T0.plusSeconds(10)));
        assertEquals("connection refused", down.error());
    }

    @Test
    void displayedUserFallsBackToUid() {
        RawProbe raw = new RawProbe(
                Fixtures.text("proc/meminfo-debian12-kvm.txt"),
                "",
                null,
                null,
                "nobody:x:65534:65534::/:/bin/false\n",
                List.of(weird()),
                null,
                null,
                null,
                null);
        assertEquals(
                "0",
                SnapshotAssembler.assemble("h", T0, raw)
                        .processes()
                        .get(0)
                        .user()
                        .exact());
    }
}
