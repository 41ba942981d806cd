package io.colabtop.core;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessParsersTest {
    @Test
    void statWithParenthesesAndSpacesInComm() {
        ProcStat s = ProcStat.parse(Fixtures.text("proc/pid-weird-stat.txt"));
        assertEquals(2373, s.pid());
        assertEquals("my (weird) proc", s.comm());
        assertEquals('S', s.state());
        assertEquals(2369, s.ppid());
        assertEquals(162961L, s.startTimeTicks());
        assertEquals(738L, s.rssPages());
    }

    @Test
    void truncatedStatIsAnError() {
        assertThrows(ParseException.class, () -> ProcStat.parse(Fixtures.text("proc/pid-vanished-stat-truncated.txt")));
        assertThrows(ParseException.class, () -> ProcStat.parse("no parens here"));
    }

    @Test
    void statusGivesUidAndRss() {
        ProcStatus st = ProcStatus.parse(Fixtures.text("proc/pid-weird-status.txt"));
        assertEquals(0, st.uid());
        assertEquals(3028L * 1024, st.vmRssBytes());
        assertEquals("my (weird) proc", st.name());
    }

    @Test
    void kernelThreadHasNoRss() {
        ProcStatus st = ProcStatus.parse(Fixtures.text("proc/pid-kthread-status.txt"));
        assertEquals("kthreadd", st.name());
        assertEquals(0, st.vmRssBytes());
        assertEquals(0, st.uid());
    }

    @Test
    void cmdlineKeepsArgumentsAndReplacesInvalidBytes() {
        byte[] raw = Fixtures.bytes("proc/pid-weird-cmdline.bin");
        List<String> args = Cmdline.arguments(raw);
        assertEquals(
                List.of("/tmp/my (weird) proc", "-c", "sleep 300; :", "arg with spaces", "caf\uFFFD-latin1"), args);
        assertEquals("/tmp/my (weird) proc -c sleep 300; : arg with spaces caf\uFFFD-latin1", Cmdline.display(raw));
    }

    @Test
    void cmdlineEdgeCases() {
        assertEquals(List.of(), Cmdline.arguments(new byte[0]));
        assertEquals(List.of("nginx: worker process"), Cmdline.arguments("nginx: worker process".getBytes()));
        // exact here; made visible where it is shown (HostText)
        assertEquals("a \nb", Cmdline.display("a\0\nb\0".getBytes()));
        assertEquals(
                "a \\nb", HostText.of(Cmdline.display("a\0\nb\0".getBytes())).shown());
        // a 2 MB argv is cut before it is decoded, not after
        byte[] huge = new byte[2 << 20];
        java.util.Arrays.fill(huge, (byte) 'x');
        assertTrue(Cmdline.display(huge).length() <= Cmdline.MAX_BYTES);
    }

    @Test
    void userNamesFromPasswd() {
        UserNames u = UserNames.parse(
                "root:x:0:0:root:/root:/bin/bash\n# comment\nsarah_example_com:x:1001:1002::/home/s:/bin/bash\n");
        assertEquals("root", u.nameOf(0));
        assertEquals("sarah_example_com", u.nameOf(1001));
        assertEquals("4242", u.nameOf(4242));
        assertEquals("?", u.nameOf(-1));
    }

    @Test
    void cpuTimesAndBusyFraction() {
        String stat = "cpu  1629 0 907 319971 215 0 46 105 0 0\ncpu0 387 0 253 160767 7 0 9 98 0 0\n"
                + "cpu1 1241 0 654 159204 208 0 36 7 0 0\nintr 1\n";
        CpuTimes a = CpuTimes.parse(stat);
        assertEquals(2, CpuTimes.countCpus(stat));
        assertEquals(319971 + 215, a.idleAll());
        CpuTimes b = new CpuTimes(
                a.user() + 75, a.nice(), a.system() + 25, a.idle() + 100, a.iowait(), 0, a.softirq(), a.steal());
        assertEquals(0.5, b.busyFractionSince(a), 1e-9);
        assertEquals(-1, a.busyFractionSince(null));
        assertEquals(-1, a.busyFractionSince(a));
    }
}
