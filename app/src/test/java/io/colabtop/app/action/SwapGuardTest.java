package io.colabtop.app.action;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.colabtop.app.fleet.ManualScheduler;
import io.colabtop.app.guard.SwapGuard;
import io.colabtop.core.HostException;
import io.colabtop.core.HostSnapshot;
import io.colabtop.core.HostUpdate;
import io.colabtop.core.MemInfo;
import io.colabtop.core.action.HostShell;
import io.colabtop.ssh.LocalProcess;
import io.colabtop.testing.HostTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The swap guard ({@code --guard swap}, io.colabtop.app.guard) on an injected clock: the host's
 * readings come at the instants of a {@link ManualScheduler}, falling steadily (a leak) or not;
 * it acts through the real planner, gate and audit log. The tests that make swap do it for real,
 * on a loop-mounted file system of their own (here, in the action package, for its fixtures).
 */
class SwapGuardTest {
    static final long GIB = 1L << 30;
    static final long MIB = 1L << 20;

    @TempDir
    Path tmp;

    final ManualScheduler clock = new ManualScheduler(Instant.parse("2026-11-23T10:00:00Z"));
    final List<SwapGuard.Outcome> outcomes = new ArrayList<>();
    final List<String> started = new ArrayList<>();

    final SwapGuard.Listener listener = new SwapGuard.Listener() {
        @Override
        public void started(String host, String what) {
            started.add(host + ": " + what);
        }

        @Override
        public void finished(SwapGuard.Outcome o) {
            outcomes.add(o);
        }
    };

    ActionGate gate() {
        return new ActionGate(new AuditLog(tmp.resolve("audit.log")), clock);
    }

    SwapGuard guard(HostShell shell, SwapGuard.Planner planner) {
        // the executor runs the work at once, in the test's thread: no waiting on another thread
        return new SwapGuard(Duration.ofMinutes(5), gate(), h -> shell, planner, Runnable::run, clock, listener);
    }

    static HostSnapshot reading(String host, Instant at, long available, long swapTotal) {
        MemInfo m = new MemInfo(24 * GIB, available, available, 0, 0, swapTotal, swapTotal);
        return new HostSnapshot(host, at, m, null, List.of(), List.of(), List.of(), List.of(), null, null, 4, null);
    }

    /** Readings every 2 s of the scheduler's clock for {@code seconds}: {@code start} falling by {@code perSecond}. */
    void feed(SwapGuard g, String host, int seconds, long start, long perSecond, long swapTotal) {
        for (int t = 0; t <= seconds; t += 2) {
            g.observe(HostUpdate.ok(reading(host, clock.instant(), start - t * perSecond, swapTotal)));
            clock.advance(Duration.ofSeconds(2));
        }
    }

    @Test
    void aSteadyHostIsLeftAlone() {
        AtomicInteger planned = new AtomicInteger();
        SwapGuard g = guard((s, t) -> null, (h, sh) -> {
            planned.incrementAndGet();
            throw new HostException("not reached");
        });
        feed(g, "trainer", 300, 4 * GIB, 0, 0);
        assertEquals(0, planned.get());
        assertFalse(g.tried("trainer"));
    }

    @Test
    void aHostWithSwapIsNotItsEmergency() {
        AtomicInteger planned = new AtomicInteger();
        SwapGuard g = guard((s, t) -> null, (h, sh) -> {
            planned.incrementAndGet();
            throw new HostException("not reached");
        });
        // 3 minutes left, but it has swap
        feed(g, "trainer", 120, 3 * GIB, 10 * MIB, 8 * GIB);
        assertEquals(0, planned.get());
    }

    @Test
    void aLeakUnderTheThresholdIsActedOnOnceAndWhenItIsSaid() {
        AtomicInteger planned = new AtomicInteger();
        SwapGuard g = guard((s, t) -> null, (h, sh) -> {
            planned.incrementAndGet();
            throw new HostException("no swap on " + h + ": the disk keeps under its reserve (test)");
        });
        // 3 GiB left, losing 20 MiB/s: ~2.5 min at t=0; the forecast needs 60 s of readings first
        feed(g, "trainer", 40, 3 * GIB, 20 * MIB, 0);
        assertEquals(0, planned.get(), "40 s of readings say nothing yet");
        feed(g, "trainer", 60, 3 * GIB - 42 * 20 * MIB, 20 * MIB, 0);
        assertEquals(1, planned.get());
        assertTrue(g.tried("trainer"));
        SwapGuard.Outcome o = outcomes.get(0);
        assertFalse(o.made());
        assertTrue(o.text().startsWith("no swap made: no swap on trainer: the disk keeps under its reserve"), o.text());
        assertTrue(o.text().contains("OOM forecast ~2m"), o.text());
        assertEquals(
                Instant.parse("2026-11-23T10:01:00Z"),
                o.at(),
                "as soon as 60 s of readings said it, by the injected clock");
        feed(g, "trainer", 60, GIB, 20 * MIB, 0);
        assertEquals(1, planned.get(), "at most once per host per run, even after a refusal");
        assertEquals(List.of("trainer: guard: swap-on"), started);
    }

    @Test
    void aHostColabtopCannotActOnIsSaidLoudly() {
        SwapGuard g = guard(null, SwapGuard.EMERGENCY_SWAP);
        feed(g, "vm-without-shell", 120, 2 * GIB, 20 * MIB, 0);
        assertEquals(1, outcomes.size());
        assertTrue(
                outcomes.get(0).text().contains("colabtop cannot act on vm-without-shell"),
                outcomes.get(0).text());
    }

    /** The real plan on a disk too small for any swap that keeps the reserve: refused, nothing made, nothing run. */
    @HostTest
    @Test
    void neverWhereTheDiskReserveWouldBeBroken() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "the swap plan reads the disk as root");
        try (HostFixtures.LoopFs fs = HostFixtures.LoopFs.make("ext4", 1)) {
            Path swap = fs.mount.resolve("swapfile");
            SwapGuard g = guard(
                    new LocalProcess(),
                    (h, sh) -> RescuePlanner.swapOn(
                            h,
                            sh,
                            0,
                            swap.toString(),
                            false,
                            tmp.resolve("fstab").toString()));
            feed(g, "local", 120, 2 * GIB, 20 * MIB, 0);
            assertEquals(1, outcomes.size());
            SwapGuard.Outcome o = outcomes.get(0);
            assertFalse(o.made());
            assertTrue(o.text().contains("no swap made"), o.text());
            assertFalse(Files.exists(swap), "nothing created");
            assertFalse(HostFixtures.inSwaps(swap));
            assertTrue(gate().audit().tail(10).isEmpty(), "nothing ran, so nothing to audit");
        }
    }

    /** The real plan, gate and script on a disk that can hold it: swap made, audited as the guard's. */
    @HostTest
    @Test
    void itMakesTheEmergencySwapThroughTheGateAuditedAsTheGuards() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "swapon needs root");
        try (HostFixtures.LoopFs fs = HostFixtures.LoopFs.make("ext4", 8)) {
            Path swap = fs.mount.resolve("swapfile");
            Path fstab = Files.writeString(tmp.resolve("fstab"), "");
            SwapGuard g = guard(
                    new LocalProcess(),
                    (h, sh) -> RescuePlanner.swapOn(h, sh, 256L << 20, swap.toString(), false, fstab.toString()));
            feed(g, "local", 120, 2 * GIB, 20 * MIB, 0);
            assertEquals(1, outcomes.size());
            SwapGuard.Outcome o = outcomes.get(0);
            assertTrue(o.made(), o.text());
            assertTrue(o.text().startsWith("made emergency swap: create a 256M swap file " + swap), o.text());
            assertTrue(HostFixtures.inSwaps(swap), "active in /proc/swaps");
            List<JsonNode> audit = gate().audit().tail(10);
            assertEquals(2, audit.size(), "intent, then outcome: " + audit);
            for (JsonNode e : audit) {
                assertEquals("swap-on", e.get("action").asText());
                assertTrue(e.get("confirmedBy").asText().startsWith("guard: OOM forecast "), e.toString());
            }
            assertEquals("ok", audit.get(1).get("outcome").asText());
            assertEquals("", Files.readString(fstab), "not persistent");
        }
    }
}
