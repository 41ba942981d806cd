package io.colabtop.core.oom;

import static io.colabtop.core.oom.KillLogTest.fixture;
import static org.junit.jupiter.api.Assertions.*;

import io.colabtop.core.HostText;
import io.colabtop.core.MemInfo;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** oomctl's dump in every recorded era (resources/oom/README.md), and what it means for a process. */
class OomdStateTest {
    private static final String USER = "/user.slice/user-1000.slice/user@1000.service";

    @Test
    void era249SwapOnlySystemContextAndTheDefaultDuration() {
        OomdState s = OomdState.parse(fixture("oomctl-249.txt"));
        assertTrue(s.active());
        assertEquals(Boolean.FALSE, s.dryRun());
        assertEquals(90.0, s.swapUsedLimitPercent());
        assertEquals(60.0, s.defaultPressureLimitPercent());
        assertEquals(Duration.ofSeconds(20), s.defaultPressureDuration());
        assertNull(s.memoryTotalBytes(), "249 prints no memory line");
        assertEquals(0L, s.swapTotalBytes());
        assertEquals(
                List.of("/"), s.swapMonitored().stream().map(HostText::exact).toList());
        OomdState.Monitored m = s.pressureMonitored().get(0);
        assertEquals(USER, m.path().exact());
        assertEquals(50.0, m.limitPercent());
        assertNull(m.duration(), "no per-unit duration in 249");
        assertEquals(Duration.ofSeconds(20), s.durationOf(m), "so the default applies");
        assertEquals(12.31, m.fullAvg10());
        assertEquals(0.95, m.fullAvg300());
        assertEquals((long) (6.2 * (1L << 30)), m.currentMemoryBytes());
        assertNull(s.error());
    }

    @Test
    void era252MemoryLineAndAPercentWithoutDecimals() {
        OomdState s = OomdState.parse(fixture("oomctl-252.txt"));
        assertEquals(90.0, s.swapUsedLimitPercent(), "'90%' as this build printed it");
        assertNull(s.defaultPressureLimitPercent(), "not in this dump");
        assertEquals((long) (1.5 * (1L << 30)), s.memoryUsedBytes());
        assertEquals((long) (3.7 * (1L << 30)), s.memoryTotalBytes());
        assertEquals((long) (914.5 * (1L << 20)), s.swapUsedBytes());
        assertTrue(s.swapMonitored().isEmpty());
        OomdState.Monitored m = s.pressureMonitored().get(0);
        assertEquals(0.22, m.fullAvg10());
        assertEquals((long) (1.1 * (1L << 30)), m.currentMemoryBytes(), "'Current Memory usage' in any case");
    }

    @Test
    void era254DumpCutShortStillReadsWhatIsThere() {
        OomdState s = OomdState.parse(fixture("oomctl-254-cut.txt"));
        assertEquals(Duration.ofSeconds(2), s.defaultPressureDuration());
        OomdState.Monitored m = s.pressureMonitored().get(0);
        assertEquals(
                "/testsuite.slice/testsuite-55.slice/testsuite-55-workload.slice",
                m.path().exact());
        assertEquals(20.0, m.limitPercent());
        assertEquals(96.42, m.fullAvg10());
        assertNull(m.currentMemoryBytes(), "cut before it");
    }

    @Test
    void newestEraCommasAndAPerUnitDuration() {
        OomdState s = OomdState.parse(fixture("oomctl-newest.txt"));
        assertEquals(Duration.ofSeconds(30), s.defaultPressureDuration());
        assertEquals((long) (15.5 * (1L << 30)), s.memoryTotalBytes());
        assertEquals((long) (2.1 * (1L << 30)), s.swapUsedBytes());
        assertEquals(2, s.pressureMonitored().size());
        OomdState.Monitored user = s.pressureMonitored().get(0);
        assertEquals(Duration.ofSeconds(20), user.duration());
        assertEquals(Duration.ofSeconds(20), s.durationOf(user), "its own duration beats the default");
        assertEquals(7.50, user.fullAvg10());
        assertEquals(3.10, user.fullAvg60());
        assertEquals(80.0, s.pressureMonitored().get(1).limitPercent());
    }

    @Test
    void inactiveAbsentAndAFailedDump() {
        assertEquals(
                OomdState.Status.INACTIVE,
                OomdState.parse(fixture("oomctl-inactive.txt")).status());
        assertEquals(OomdState.Status.ABSENT, OomdState.parse("absent\n").status());
        OomdState failed = OomdState.parse(fixture("oomctl-failed.txt"));
        assertTrue(failed.active());
        assertNotNull(failed.error(), "active, yet the dump is not readable: said");
        assertNull(OomdState.parse(null), "not read this tick");
    }

    @Test
    void systemdSizesAndSpans() {
        assertEquals(0L, OomdState.bytes("0B"));
        assertEquals(4096L, OomdState.bytes("4.0K"));
        assertNull(OomdState.bytes("infinity"));
        assertEquals(Duration.ofSeconds(84), OomdState.span("1min 24s"));
        assertEquals(Duration.ofMillis(60), OomdState.span("60ms"));
        assertEquals(Duration.ofSeconds(9 * 60 + 17), OomdState.span(" 9min 17s"));
        assertNull(OomdState.span("soon"));
    }

    // ---- coverage: which rule reaches a process, and how close it is

    private static final MemInfo MEM = new MemInfo(16L << 30, 1L << 30, 4L << 30, 0, 0, 8L << 30, 6L << 30);

    @Test
    void aJobInTheUserServiceIsUnderItsPressureRule() {
        OomdState s = OomdState.parse(fixture("oomctl-newest.txt"));
        OomdCoverage c = OomdCoverage.of(s, USER + "/app.slice/run-r1.scope", MEM);
        assertEquals(OomdCoverage.Rule.PRESSURE, c.rule());
        assertEquals("oomd: full 7.5% of 50% limit on user@1000.service (for > 20s)", c.words());
    }

    @Test
    void anSshLoginsSessionScopeIsOutsideThePressureRuleButUnderTheSwapRule() {
        OomdState s = OomdState.parse(fixture("oomctl-249.txt"));
        OomdCoverage c = OomdCoverage.of(s, "/user.slice/user-1000.slice/session-3.scope", MEM);
        assertEquals(OomdCoverage.Rule.SWAP, c.rule(), "Ubuntu 22.04 watches / for swap");
        assertEquals("oomd: swap rule on /: memory 75%, swap 25% used, acts when both > 90%", c.words());
        OomdCoverage noSwap = OomdCoverage.of(
                s, "/user.slice/user-1000.slice/session-3.scope", new MemInfo(16L << 30, 0, 4L << 30, 0, 0, 0, 0));
        assertEquals("oomd: swap rule on /, never fires without swap", noSwap.words());
    }

    @Test
    void withoutASwapRuleTheSessionScopeIsNotCoveredAndSaysWhy() {
        OomdState s = OomdState.parse(fixture("oomctl-252.txt"));
        OomdCoverage c = OomdCoverage.of(s, "/user.slice/user-1000.slice/session-3.scope", MEM);
        assertEquals(OomdCoverage.Rule.NONE, c.rule());
        assertTrue(c.words().contains("outside user@1000.service's pressure rule"), c.words());
    }

    @Test
    void theMonitoredCgroupItselfIsNoCandidate() {
        assertFalse(OomdCoverage.under(USER, USER));
        assertTrue(OomdCoverage.under(USER + "/app.slice", USER));
        assertFalse(OomdCoverage.under(USER + "x/app.slice", USER), "a prefix of the name is not a parent");
        assertTrue(OomdCoverage.under("/system.slice/a.service", "/"));
    }

    @Test
    void oomdNotRunningCoversNothing() {
        OomdCoverage c = OomdCoverage.of(OomdState.parse("inactive\n"), USER + "/app.slice/x.scope", MEM);
        assertEquals(OomdCoverage.Rule.NONE, c.rule());
        assertEquals(OomdCoverage.Rule.UNKNOWN, OomdCoverage.of(null, "/", MEM).rule());
    }
}
