package io.colabtop.app.serve;

import static org.junit.jupiter.api.Assertions.*;

import io.colabtop.core.HostUpdate;
import io.colabtop.core.cost.Fx;
import io.colabtop.core.cost.Money;
import io.colabtop.core.cost.VmInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Which hosts a scrape shows as the fleet changes, and what health and readiness say. */
class ServeStateTest {
    final AtomicReference<Instant> now = new AtomicReference<>(FleetCollectorTest.T);
    final ServeState state = new ServeState(List.of("a", "b"), now::get, Fx.USD, FleetCollectorTest.TOP5);

    List<String> hosts() {
        return state.reading().hosts().stream().map(HostReading::host).toList();
    }

    void poll(String host, boolean ok) {
        state.offer(
                ok
                        ? HostUpdate.ok(FleetCollectorTest.snapshot(
                                host, now.get(), FleetCollectorTest.mem(1), null, List.of(), List.of()))
                        : HostUpdate.failed(host, "Connection refused", null, now.get()));
    }

    @Test
    void aVmMissingFromThreeRoundsInARowIsGoneOneMissedRoundIsNot() {
        VmInfo trainer = FleetCollectorTest.vm("trainer", "RUNNING");
        VmInfo eval = FleetCollectorTest.vm("eval", "RUNNING");
        String t = trainer.hostName();
        state.offerVms(List.of(trainer, eval), Map.of(t, Money.usd(1)), "2 VMs");
        poll(t, true);
        assertEquals(List.of("a", "b", eval.hostName(), t), hosts(), "named hosts first, then VMs by name");

        // a listing of the project failed: trainer is missing from one round, then back
        state.offerVms(List.of(eval), Map.of(), "ml-project: 503");
        assertTrue(hosts().contains(t));
        state.offerVms(List.of(trainer, eval), Map.of(t, Money.usd(1)), "2 VMs");
        // deleted: missing from three rounds in a row
        for (int round = 1; round <= ServeState.VANISH_ROUNDS; round++) {
            assertTrue(hosts().contains(t), "still there before round " + round);
            state.offerVms(List.of(eval), Map.of(), "1 VM");
        }
        assertFalse(hosts().contains(t), hosts().toString());
        poll(t, false); // the poller still tries it: that brings it back to no scrape
        assertFalse(hosts().contains(t));
        Exposition e = Exposition.of(new FleetCollector(state::reading).collect());
        assertTrue(e.seriesWith("host", t).isEmpty(), e.text);
    }

    @Test
    void aStoppedVmShowsItsCostButNoUpANamedHostAlwaysItsUp() {
        VmInfo stopped = FleetCollectorTest.vm("old-box", "TERMINATED");
        state.offerVms(List.of(stopped), Map.of(stopped.hostName(), Money.usd(0.2)), "1 VM");
        poll(stopped.hostName(), false); // a poll that was running when it stopped
        poll("a", true);
        poll("b", false);
        Exposition e = Exposition.of(new FleetCollector(state::reading).collect());
        assertNull(e.value("colabtop_up", "host", stopped.hostName()));
        assertEquals(0.2, e.value("colabtop_vm_hourly_cost", "host", stopped.hostName(), "currency", "USD"));
        assertEquals(1.0, e.value("colabtop_up", "host", "a"));
        assertEquals(0.0, e.value("colabtop_up", "host", "b"));
    }

    @Test
    void readyOnceEveryHostWasPolledUpOrNot() {
        assertFalse(state.readiness().ok());
        assertEquals("0 of 2 hosts polled, 0 up", state.readiness().text());
        poll("a", true);
        assertFalse(state.readiness().ok());
        poll("b", false);
        assertTrue(state.readiness().ok());
        assertEquals("2 of 2 hosts polled, 1 up", state.readiness().text());
    }

    @Test
    void aliveWhileOutcomesComeDeadWhenThePollerFallsSilent() {
        Duration interval = Duration.ofSeconds(2);
        Duration deadline = Duration.ofSeconds(5);
        assertTrue(state.liveness(interval, deadline).ok(), "just started");
        now.set(now.get().plusSeconds(10));
        poll("a", false); // a failure is an outcome: the poller works
        now.set(now.get().plusSeconds(14));
        assertTrue(state.liveness(interval, deadline).ok(), "14 s = 2 x (interval + deadline)");
        now.set(now.get().plusSeconds(1));
        ServeState.Health dead = state.liveness(interval, deadline);
        assertFalse(dead.ok());
        assertEquals("no poll outcome for 15 s (expected one every 2000 ms)", dead.text());
        poll("b", true);
        assertTrue(state.liveness(interval, deadline).ok());
    }

    @Test
    void withNothingToPollItIsAlive() {
        ServeState empty = new ServeState(List.of(), now::get, Fx.USD, FleetCollectorTest.TOP5);
        now.set(now.get().plus(Duration.ofHours(1)));
        assertTrue(empty.liveness(Duration.ofSeconds(2), Duration.ofSeconds(5)).ok());
        assertTrue(empty.readiness().ok());
    }
}
