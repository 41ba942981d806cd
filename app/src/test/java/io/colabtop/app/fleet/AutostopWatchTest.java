package io.colabtop.app.fleet;

import static org.junit.jupiter.api.Assertions.*;

import io.colabtop.core.HostException;
import io.colabtop.core.HostUpdate;
import io.colabtop.core.action.AutostopRule;
import io.colabtop.core.action.AutostopState;
import io.colabtop.core.action.ShellResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * When autostop is read back and when a --from-here watch fires, on a manual scheduler: reads run
 * in the calling thread here, so every assertion is about what the scheduler's time caused.
 * (The status and check scripts themselves run for real in AutostopHostTest and TuiAutostopTest.)
 */
class AutostopWatchTest {
    final ManualScheduler time = new ManualScheduler(Instant.parse("2026-07-30T23:00:00Z"));
    final List<String> heard = Collections.synchronizedList(new ArrayList<>());

    static ShellResult reading(String... results) {
        StringBuilder out = new StringBuilder();
        for (String r : results) {
            out.append("colabtop-result: ").append(r).append('\n');
        }
        return ShellResult.parse(0, out.toString(), "");
    }

    /** A watch on the manual clock that reads every minute, its reads run inline. */
    AutostopWatch watch(AutostopWatch.Reader reader, AutostopWatch.Checker checker, AutostopWatch.Listener listener) {
        return new AutostopWatch(time, time, Runnable::run, Duration.ofMinutes(1), reader, checker, listener);
    }

    HostUpdate up(String host) {
        return HostUpdate.ok(FleetPollerTest.snap(host));
    }

    HostUpdate down(String host) {
        return HostUpdate.failed(host, "connection refused", new java.io.IOException("refused"), time.instant());
    }

    @Test
    void aHostIsReadWhenItConnectsAgainWhenItComesBackAndEveryMinute() {
        AtomicInteger reads = new AtomicInteger();
        AutostopWatch w = watch(
                (h, now) -> {
                    reads.incrementAndGet();
                    return AutostopState.none(now);
                },
                (h, t) -> null,
                (h, s) -> heard.add(h));
        w.start();
        w.seen(up("vm"));
        assertEquals(1, reads.get(), "read when it connects");
        w.seen(up("vm"));
        assertEquals(1, reads.get(), "not on every poll");
        time.advance(Duration.ofMinutes(1));
        assertEquals(2, reads.get(), "and every minute");
        w.seen(down("vm"));
        time.advance(Duration.ofMinutes(1));
        assertEquals(2, reads.get(), "not while it is down");
        w.seen(up("vm"));
        assertEquals(3, reads.get(), "at once when it is back");
        assertEquals(List.of("vm", "vm", "vm"), heard);
    }

    @Test
    void aHostThatCannotBeReadIsAskedAgainOnlyAfterTenMinutes() {
        AtomicInteger reads = new AtomicInteger();
        AutostopWatch w = watch(
                (h, now) -> {
                    reads.incrementAndGet();
                    throw new HostException("sudo: a password is required");
                },
                (h, t) -> null,
                (h, s) -> heard.add(h));
        w.start();
        w.seen(up("vm"));
        time.advance(Duration.ofMinutes(9));
        assertEquals(1, reads.get(), "no root there: not asked every minute");
        time.advance(Duration.ofMinutes(1));
        assertEquals(2, reads.get());
        w.refresh("vm");
        assertEquals(3, reads.get(), "after an action, at once");
        assertEquals(List.of(), heard, "nothing to show");
    }

    @Test
    void aWatchKeptHereFiresOnceWhenItsConditionHasHeldAndIsNotReadFromTheHost() {
        AtomicInteger reads = new AtomicInteger();
        List<String> alive = new ArrayList<>(List.of("1", "1", "1", "0", "0", "0"));
        List<String> fired = new ArrayList<>();
        List<AutostopState> states = new ArrayList<>();
        AutostopWatch w = watch(
                (h, now) -> {
                    reads.incrementAndGet();
                    return AutostopState.none(now);
                },
                (h, t) -> reading("alive=" + (alive.isEmpty() ? "0" : alive.remove(0)), "comm=python", "oom_kill=0"),
                (h, s) -> states.add(s));
        AutostopRule rule = AutostopRule.of(new AutostopRule.Exits(4242, 7, "python"), Duration.ofSeconds(2))
                .withPeriod(Duration.ofSeconds(1));
        w.armHere("vm", rule, (h, reason) -> fired.add(h + ": " + reason));
        w.seen(up("vm"));
        assertEquals(0, reads.get(), "a watch kept here is not read from the host");
        time.advance(Duration.ofSeconds(2));
        assertEquals(List.of(), fired, "runs");
        time.advance(Duration.ofSeconds(1));
        assertEquals(List.of(), fired, "exited: the grace");
        AutostopState pending = states.get(states.size() - 1);
        assertTrue(pending.fromHere() && pending.pending(), pending.toString());
        assertEquals(
                "autostop (from here): when PID 4242 exits, then 2s of grace (2s left)",
                pending.describe(time.instant()));
        time.advance(Duration.ofSeconds(5));
        assertEquals(List.of("vm: PID 4242 (python) exited; no OOM kill since arming"), fired, "once");
        assertTrue(states.get(states.size() - 1).fired() != null);
        assertFalse(w.watchingHere("vm"));
        assertFalse(w.cancelHere("vm"), "it ended when it fired");
    }

    @Test
    void cancellingAWatchKeptHereStopsItsChecks() {
        AtomicInteger checks = new AtomicInteger();
        AutostopWatch w = watch(
                (h, now) -> AutostopState.none(now),
                (h, t) -> {
                    checks.incrementAndGet();
                    return reading("matches=0");
                },
                (h, s) -> {});
        w.armHere(
                "vm",
                AutostopRule.of(new AutostopRule.Match("train"), Duration.ofMinutes(5))
                        .withPeriod(Duration.ofSeconds(1)),
                (h, reason) -> fail("cancelled before it fired"));
        time.advance(Duration.ofSeconds(3));
        int before = checks.get();
        assertTrue(before >= 3);
        assertTrue(w.cancelHere("vm"));
        time.advance(Duration.ofMinutes(10));
        assertEquals(before, checks.get());
    }
}
