package io.colabtop.core.oom;

import static io.colabtop.core.oom.KillLogTest.fixture;
import static org.junit.jupiter.api.Assertions.*;

import io.colabtop.core.HostSnapshot;
import io.colabtop.core.RawProbe;
import io.colabtop.core.SnapshotAssembler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The probe's OOM sections as the assembler reads them: counter, boot id, sources, log, oomd, cgroups. */
class OomReportTest {
    static final String BOOT = "e6dd75da-7ad9-455b-94ae-5bea1e9f7ef4";
    static final String MEMINFO = "MemTotal: 16384 kB\nMemAvailable: 8192 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n";

    static RawProbe raw(String vmstat, String boot, String sources, String log, String oomd, Map<Integer, String> cg) {
        return new RawProbe(
                MEMINFO, null, null, null, null, List.of(), null, null, null, null, null, vmstat, boot, cg, oomd,
                sources, log);
    }

    @Test
    void theCounterAndBootIdEveryTick() {
        assertEquals(3L, OomReport.oomKillCounter("oom_kill 3\n"));
        assertNull(OomReport.oomKillCounter("pgfault 12\n"), "a kernel before 4.13 has no counter");
        assertNull(OomReport.oomKillCounter("oom_kill 3x\n"));
        assertNull(OomReport.oomKillCounter(null));
        assertNull(
                new OomReport(1L, "not-a-uuid\u001b", null, null, null, null, null).bootId(), "host text is checked");
        assertEquals(BOOT, new OomReport(1L, BOOT + "\n", null, null, null, null, null).bootId());
    }

    @Test
    void theSourceUsedAndWhyOthersWereNot() {
        OomReport.History h = OomReport.history(
                "clock 1763900000 +0000 1763000000\ntried journal empty\ntried kern.log absent\nsource dmesg\n",
                fixture("kernel-6.18-memcg-dmesg.txt"));
        assertEquals("dmesg", h.source());
        assertEquals(
                "journal: no kernel messages readable (no persistent journal, or this user is not in the systemd-journal"
                        + " or adm group); kern.log: /var/log/kern.log does not exist",
                h.note());
        OomEvent e = h.events().get(0);
        assertEquals(
                Instant.ofEpochSecond(1763000000L + 5605, 388_515_000), e.time(), "dmesg time from the host's btime");
    }

    @Test
    void noSourceReadableSaysWhyAndFindsNothing() {
        OomReport.History h = OomReport.history(
                "clock 1763900000 +0000 1763000000\ntried journal none\ntried kern.log unreadable\ntried dmesg refused\n"
                        + "source none\n",
                "Out of memory: Killed process 1 (x) total-vm:1kB, anon-rss:1kB, file-rss:1kB\n");
        assertEquals("none", h.source());
        assertTrue(h.note().contains("sudo -n dmesg too (no passwordless sudo)"), h.note());
        assertTrue(h.events().isEmpty(), "with no source, nothing is read as a kill");
        assertNull(OomReport.history(null, null), "not read this tick");
    }

    @Test
    void aHostsOwnWordsAreNotEchoedAsAReason() {
        OomReport.History h = OomReport.history("tried \u001b[31mred evil\nsource journal;rm\n", "");
        assertEquals("none", h.source());
        assertFalse(h.note().contains("\u001b"), h.note());
    }

    @Test
    void cgroupOfV2AndOfAV1Host() {
        assertEquals(
                "/user.slice/user-1000.slice/session-3.scope",
                OomReport.cgroupPath("0::/user.slice/user-1000.slice/session-3.scope\n"));
        assertEquals(
                "/user.slice/user-0.slice/session-1.scope",
                OomReport.cgroupPath(
                        "12:memory:/user.slice\n1:name=systemd:/user.slice/user-0.slice/session-1.scope\n"));
        assertEquals(
                "/",
                OomReport.cgroupPath("9:name=systemd:/\n4:memory:/process_api/f58b\n0::/\n"),
                "the unified line wins");
        assertNull(OomReport.cgroupPath("4:memory:/x\n"));
    }

    @Test
    void theAssemblerCarriesTheLogAndOomdUntilTheyAreReadAgain() {
        Instant t0 = Instant.parse("2026-11-23T10:00:00Z");
        HostSnapshot first = SnapshotAssembler.assemble(
                "h",
                t0,
                raw(
                        "oom_kill 1\n",
                        BOOT,
                        "clock 1763900000 +0000 1763000000\nsource dmesg\n",
                        fixture("kernel-6.18-memcg-dmesg.txt"),
                        fixture("oomctl-249.txt"),
                        Map.of(4242, "0::/user.slice/user-1000.slice/session-3.scope\n")));
        assertEquals(1L, first.oom().killsSinceBoot());
        assertEquals(BOOT, first.oom().bootId());
        assertEquals("dmesg", first.oom().source());
        assertEquals(1, first.oom().events().size());
        assertTrue(first.oom().oomd().active());
        assertEquals(
                "/user.slice/user-1000.slice/session-3.scope",
                first.oom().cgroups().get(4242).exact());
        HostSnapshot second = SnapshotAssembler.assemble(
                "h", t0.plusSeconds(2), raw("oom_kill 1\n", BOOT, null, null, null, Map.of()), first);
        assertEquals("dmesg", second.oom().source(), "the log is not read every tick: carried");
        assertEquals(first.oom().events(), second.oom().events());
        assertSame(first.oom().oomd(), second.oom().oomd());
        assertTrue(second.oom().cgroups().isEmpty(), "cgroups are this tick's");
        HostSnapshot rebooted = SnapshotAssembler.assemble(
                "h",
                t0.plusSeconds(4),
                raw("oom_kill 0\n", "00000000-7ad9-455b-94ae-5bea1e9f7ef4", null, null, null, Map.of()),
                second);
        assertNull(rebooted.oom().source(), "another boot: nothing carried over");
        assertTrue(rebooted.oom().events().isEmpty());
    }

    @Test
    void killsInTheLast24Hours() {
        Instant now = Instant.parse("2025-11-22T00:00:00Z");
        OomReport r = new OomReport(
                2L,
                BOOT,
                "dmesg",
                null,
                KillLog.parse(fixture("kernel-6.16-dmesg-T.txt"), KillLogTest.UTC_2025),
                null,
                Map.of());
        assertEquals(1, r.killsWithin(Duration.ofHours(24), now));
        assertEquals(0, r.killsWithin(Duration.ofHours(24), now.plus(Duration.ofDays(2))));
    }
}
