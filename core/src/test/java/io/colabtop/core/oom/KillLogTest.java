package io.colabtop.core.oom;

import static org.junit.jupiter.api.Assertions.*;

import io.colabtop.core.HostText;
import io.colabtop.core.oom.OomEvent.Constraint;
import io.colabtop.core.oom.OomEvent.Killer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The kernel's and systemd-oomd's kill reports of every era, recorded (provenance in
 * resources/oom/README.md): each test checks the fields that era prints and the ones it does not.
 */
class KillLogTest {
    static final LogClock UTC_2025 = new LogClock(Instant.parse("2025-12-01T00:00:00Z"), ZoneOffset.UTC, null);

    static String fixture(String name) {
        try (InputStream in = KillLogTest.class.getResourceAsStream("/oom/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static OomEvent only(List<OomEvent> events) {
        assertEquals(1, events.size(), () -> "one kill, got " + events);
        return events.get(0);
    }

    @Test
    void before45NoShmemAndTheKillProcessHeader() {
        OomEvent e = only(KillLog.parse(fixture("kernel-4.4-kernlog.txt"), UTC_2025));
        assertEquals(Killer.KERNEL, e.killer());
        assertEquals(1312, e.pid());
        assertEquals("java", e.command().exact());
        assertEquals((256140L + 0) * 1024, e.rssBytes());
        assertEquals(Constraint.HOST, e.constraint(), "'Out of memory: Kill process' is the host's OOM");
        assertNull(e.oomScoreAdj(), "this era prints no oom_score_adj");
        assertNull(e.uid());
        // classic syslog: no year, so the year before 'now' that is not in the future; the host's offset is UTC
        assertEquals(Instant.parse("2025-04-15T20:56:15Z"), e.time());
    }

    @Test
    void era4xWithShmemFromTheJournal() {
        OomEvent e = only(KillLog.parse(fixture("kernel-4.x-journal.txt"), UTC_2025));
        assertEquals(27438, e.pid());
        assertEquals("R", e.command().exact());
        assertEquals((1041924L + 4 + 0) * 1024, e.rssBytes());
        assertEquals(Constraint.HOST, e.constraint());
    }

    @Test
    void rhel7FormAndAMemoryCgroupWithoutItsName() {
        List<OomEvent> events = KillLog.parse(fixture("kernel-rhel7-memcg.txt"), UTC_2025);
        assertEquals(2, events.size());
        OomEvent second = events.get(1);
        assertEquals(42453, second.pid());
        assertEquals("memcg_test_1", second.command().exact());
        assertEquals(0, second.uid(), "RHEL prints 'UID 0,' after the comm");
        assertEquals((96L + 164) * 1024, second.rssBytes());
        assertEquals(Constraint.CGROUP_LIMIT, second.constraint(), "the 'Memory cgroup out of memory' header");
        assertTrue(second.reason().contains("not a host OOM"), second.reason());
        assertEquals(Constraint.UNKNOWN, events.get(0).constraint(), "its header is not in the excerpt");
    }

    @Test
    void era5PrefixAndACommWithParentheses() {
        List<OomEvent> events = KillLog.parse(fixture("kernel-5.x-prefix-kernlog.txt"), UTC_2025);
        assertEquals(2, events.size(), "oom_reaper lines are not kills");
        assertEquals("python3", events.get(0).command().exact());
        OomEvent resolved = events.get(1);
        assertEquals(15925, resolved.pid());
        assertEquals("(resolved)", resolved.command().exact(), "the comm is what is inside the outer parentheses");
        assertEquals((4064L + 3584) * 1024, resolved.rssBytes());
        assertEquals(Constraint.HOST, resolved.constraint());
        assertNull(resolved.uid());
    }

    @Test
    void era54UidWithoutPgtablesAndTheSummary() {
        LogClock booted = new LogClock(
                Instant.parse("2025-06-01T00:00:00Z"), ZoneOffset.UTC, Instant.parse("2025-05-31T22:00:00Z"));
        OomEvent e = only(KillLog.parse(fixture("kernel-5.4-uid-dmesg.txt"), booted));
        assertEquals(25671, e.pid());
        assertEquals(1000, e.uid());
        assertNull(e.oomScoreAdj());
        assertEquals("/user.slice/user-1000.slice/session-3.scope", e.cgroup().exact());
        assertNull(e.limitCgroup(), "a host OOM hit no cgroup's limit");
        assertEquals(Constraint.HOST, e.constraint());
        // dmesg counts from boot
        assertEquals(Instant.parse("2025-05-31T22:00:00Z").plusSeconds(7097).plusNanos(5_501_000), e.time());
    }

    @Test
    void dmesgWithoutABootTimeHasNoTime() {
        OomEvent e = only(KillLog.parse(fixture("kernel-5.4-uid-dmesg.txt"), UTC_2025));
        assertNull(e.time(), "seconds since an unknown boot are no time at all");
    }

    @Test
    void era510PgtablesAndOomScoreAdj() {
        OomEvent e = only(KillLog.parse(fixture("kernel-5.10-dmesg.txt"), UTC_2025));
        assertEquals(472, e.pid());
        assertEquals("whiptail", e.command().exact());
        assertEquals(0, e.oomScoreAdj());
        assertEquals(0, e.uid());
        assertEquals("/", e.cgroup().exact());
        assertEquals((1028L + 1276) * 1024, e.rssBytes());
    }

    @Test
    void era515SyslogLinksTheUnitsThatLostAProcess() {
        OomEvent e = only(KillLog.parse(fixture("kernel-5.15-syslog-units.txt"), UTC_2025));
        assertEquals(393802, e.pid());
        assertEquals((1715920L + 0 + 148) * 1024, e.rssBytes(), "shmem counts");
        assertEquals(1000, e.uid());
        assertEquals(0, e.oomScoreAdj());
        assertTrue(e.cgroup().exact().endsWith("/app-flatpak-org.apache.netbeans-393562.scope"));
        assertEquals(
                List.of("session-c2.scope", "app-flatpak-org.apache.netbeans-393562.scope", "user@1000.service"),
                e.units().stream().map(HostText::exact).toList());
        assertTrue(e.unitsFailed().isEmpty());
        assertEquals(Instant.parse("2025-05-03T10:32:35Z"), e.time());
    }

    @Test
    void theJournalsShortUnixFramingAndAUnitStoppedWhole() {
        OomEvent e = only(KillLog.parse(fixture("kernel-5.15-journal-short-unix.txt"), UTC_2025));
        assertEquals(Instant.parse("2022-05-03T10:32:35.701215Z"), e.time());
        assertEquals(
                List.of("session-c2.scope"),
                e.unitsFailed().stream().map(HostText::exact).toList());
        assertEquals(
                List.of("session-c2.scope"),
                e.units().stream().map(HostText::exact).toList());
    }

    @Test
    void rfc3339SyslogLinesAreDatedAndUnitLinesWithoutTheirKillAreNoKill() {
        String units = fixture("units-rfc3339-syslog.txt");
        assertTrue(
                KillLog.parse(units, UTC_2025).isEmpty(),
                "'a process was killed' with no victim line is no kill of its own");
        String kernel =
                "2026-02-08T00:40:07.120000+00:00 largeweb2 kernel: Out of memory: Killed process 812 (postgres) "
                        + "total-vm:4313128kB, anon-rss:2048kB, file-rss:1024kB, shmem-rss:524288kB, UID:113 pgtables:1000kB "
                        + "oom_score_adj:-900\n";
        OomEvent e = only(KillLog.parse(kernel + units, UTC_2025));
        assertEquals(Instant.parse("2026-02-08T00:40:07.120Z"), e.time());
        assertEquals(-900, e.oomScoreAdj());
        assertEquals(
                List.of("user-1021.slice", "system-postgresql.slice", "user@1021.service"),
                e.units().stream().map(HostText::exact).toList());
    }

    @Test
    void era616DmesgT() {
        OomEvent e = only(KillLog.parse(fixture("kernel-6.16-dmesg-T.txt"), UTC_2025));
        assertEquals(3581527, e.pid());
        assertEquals(33, e.uid());
        assertEquals(Instant.parse("2025-11-21T14:22:56Z"), e.time());
    }

    @Test
    void era618MemcgNamesTheCgroupWhoseLimitWasHit() {
        OomEvent e = only(KillLog.parse(fixture("kernel-6.18-memcg-dmesg.txt"), UTC_2025));
        assertEquals(28585, e.pid());
        assertEquals(Constraint.CGROUP_LIMIT, e.constraint());
        assertEquals("/colabtop-probe-try", e.limitCgroup().exact());
        assertEquals("memory limit of cgroup /colabtop-probe-try hit (not a host OOM)", e.reason());
        assertEquals((32512L + 6636) * 1024, e.rssBytes());
    }

    @Test
    void oomd249PressureKillAndItsUnit() {
        OomEvent e = only(KillLog.parse(fixture("oomd-249-journal.txt"), UTC_2025));
        assertEquals(Killer.SYSTEMD_OOMD, e.killer());
        assertEquals(Constraint.PRESSURE, e.constraint());
        assertNull(e.pid(), "oomd kills a cgroup, not a process");
        assertEquals(
                "vte-spawn-dbb4a75e-031f-480d-924b-5de5af7579d2.scope",
                e.command().exact());
        assertEquals(
                "/user.slice/user-1001.slice/user@1001.service", e.limitCgroup().exact());
        assertTrue(e.reason().contains("51.07% > 50.00% for > 20s"), e.reason());
        assertEquals(12, e.processesKilled());
        assertEquals(
                List.of("vte-spawn-dbb4a75e-031f-480d-924b-5de5af7579d2.scope"),
                e.units().stream().map(HostText::exact).toList());
    }

    @Test
    void oomd249SwapRule() {
        OomEvent e = only(KillLog.parse(fixture("oomd-249-swap.txt"), UTC_2025));
        assertEquals(Constraint.SWAP, e.constraint());
        assertTrue(e.reason().startsWith("swap used 90%, over 90.00%"), e.reason());
        assertEquals(3, e.processesKilled());
    }

    @Test
    void oomd250SwapRuleAndTheUnitStopped() {
        OomEvent e = only(KillLog.parse(fixture("oomd-250-swap.txt"), UTC_2025));
        assertEquals(Constraint.SWAP, e.constraint());
        assertEquals("/system.slice/httpd.service", e.cgroup().exact());
        assertTrue(e.reason().startsWith("memory used 98% and swap used 90%, both over 90.00%"), e.reason());
        assertEquals(58, e.processesKilled());
        assertEquals(
                List.of("httpd.service"),
                e.unitsFailed().stream().map(HostText::exact).toList());
    }

    @Test
    void oomd260MarkedVerb() {
        OomEvent e = only(KillLog.parse(fixture("oomd-260-marked.txt"), UTC_2025));
        assertEquals(Constraint.PRESSURE, e.constraint());
        assertEquals("systemd-journald.service", e.command().exact());
        assertEquals("/system.slice", e.limitCgroup().exact());
        assertEquals(1, e.processesKilled());
    }

    @Test
    void oomd260MarkedSwapAndSomeProcesses() {
        OomEvent e = only(KillLog.parse(fixture("oomd-260-marked-swap.txt"), UTC_2025));
        assertEquals(Constraint.SWAP, e.constraint());
        assertNull(e.processesKilled(), "'some' is no count");
        assertEquals(
                List.of("session-924.scope"),
                e.unitsFailed().stream().map(HostText::exact).toList());
    }

    @Test
    void aUnitLineWithoutOomdsOwnLineStillCounts() {
        List<OomEvent> events = KillLog.parse(
                "1700000000.000000 box systemd[1200]: tmux-spawn-8b82.scope: systemd-oomd killed 25 process(es) in this unit.\n",
                UTC_2025);
        OomEvent e = only(events);
        assertEquals(Killer.SYSTEMD_OOMD, e.killer());
        assertEquals(25, e.processesKilled());
        assertEquals("tmux-spawn-8b82.scope", e.command().exact());
    }

    @Test
    void linesInAnotherLocaleAreReadWithoutATime() {
        String ja =
                "12月 17 10:04:41 user systemd-oomd[588]: Killed /user.slice/user-1000.slice/user@1000.service/app.slice/"
                        + "vte-spawn-f651.scope due to memory pressure for /user.slice/user-1000.slice/user@1000.service being "
                        + "57.97% > 50.00% for > 20s with reclaim activity\n";
        OomEvent e = only(KillLog.parse(ja, UTC_2025));
        assertNull(e.time());
        assertEquals("vte-spawn-f651.scope", e.command().exact());
    }

    @Test
    void hostileCommsAndCgroupsStayExactAndShowSafely() {
        String line = "[ 1.000000] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,"
                + "oom_memcg=/docker/ev\u001bil,task_memcg=/docker/ev\u001bil,task=a) b, c,pid=77,uid=0\n"
                + "[ 1.000100] Memory cgroup out of memory: Killed process 77 (a) total-vm:1kB, b\u202e) total-vm:10kB, "
                + "anon-rss:1kB, file-rss:1kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:-1000\n";
        OomEvent e = only(KillLog.parse(line, new LogClock(Instant.EPOCH, ZoneOffset.UTC, Instant.EPOCH)));
        assertEquals(77, e.pid());
        assertEquals("a) total-vm:1kB, b\u202e", e.command().exact(), "the victim line is read from its fixed tail");
        assertEquals("a) total-vm:1kB, b\\u202e", e.command().shown());
        assertEquals("/docker/ev\u001bil", e.limitCgroup().exact());
        assertEquals(-1000, e.oomScoreAdj());
        assertTrue(e.reason().contains("/docker/ev\u001bil"), "the reason quotes the cgroup exactly, for JSON");
        assertFalse(io.colabtop.core.SafeText.shown(e.reason()).contains("\u001b"), "and a screen shows it safely");
    }

    @Test
    void garbageAndAbsurdFiguresNeverThrow() {
        String junk = "Killed process 1 (x) total-vm:99999999999999999999kB, anon-rss:9223372036854775807kB, "
                + "file-rss:9223372036854775807kB, shmem-rss:1kB\n"
                + "oom-kill:constraint=CONSTRAINT_NONE,task=,pid=,uid=\n"
                + "[Fri Feb 30 10:00:00 2025] Out of memory: Killed process 2 (y) total-vm:1kB, anon-rss:1kB, file-rss:1kB\n"
                + "\u0000\u0001 Killed 7 due to nothing\n";
        List<OomEvent> events = KillLog.parse(junk, UTC_2025);
        assertEquals(
                1,
                events.stream().filter(e -> Integer.valueOf(2).equals(e.pid())).count());
        assertNull(
                events.stream()
                        .filter(e -> Integer.valueOf(2).equals(e.pid()))
                        .findFirst()
                        .orElseThrow()
                        .time(),
                "Feb 30 is no date");
        events.forEach(e -> assertTrue(e.rssBytes() == null || e.rssBytes() >= 0, "no overflow into a negative size"));
    }

    @Test
    void keepsTheNewestHundred() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 150; i++) {
            sb.append(1_700_000_000L + i)
                    .append(".000000 h kernel: Out of memory: Killed process ")
                    .append(1000 + i)
                    .append(
                            " (p) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0\n");
        }
        List<OomEvent> events = KillLog.parse(sb.toString(), UTC_2025);
        assertEquals(KillLog.MAX_EVENTS, events.size());
        assertEquals(1149, events.get(events.size() - 1).pid(), "newest last");
        assertEquals(1050, events.get(0).pid());
    }
}
