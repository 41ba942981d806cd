package io.colabtop.app.guard;

import io.colabtop.app.action.ActionGate;
import io.colabtop.app.action.RescuePlanner;
import io.colabtop.core.HostException;
import io.colabtop.core.HostState;
import io.colabtop.core.HostUpdate;
import io.colabtop.core.action.Confirmation;
import io.colabtop.core.action.HostScript;
import io.colabtop.core.action.HostShell;
import io.colabtop.core.action.ShellResult;
import io.colabtop.core.oom.OomForecast;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code colabtop --guard swap}: when a host's time-to-OOM forecast drops under a threshold and the
 * host has no swap at all, it makes the emergency swap there on its own: the same plan as {@code w}
 * (2x RAM, capped to keep the disk's reserve; a disk that cannot keep its reserve gets none, and the
 * script checks again on the host), through the same gate, audited as confirmed by the guard
 * ({@link Confirmation.Guard}), at most once per host per run whatever the outcome. Off unless
 * asked for. It sees every poll outcome on the way to the screen and keeps its own forecast per
 * host (the same {@link HostState} a screen keeps), so it needs no screen; the work runs on
 * {@code executor}, never on a poll thread. What it did, or why it could not, goes to the
 * {@link Listener}: the table says it loudly.
 */
public final class SwapGuard {
    private static final Logger LOG = LoggerFactory.getLogger(SwapGuard.class);

    /** Guard by default when the forecast is under this: time to make swap before the kill. */
    public static final Duration DEFAULT_THRESHOLD = Duration.ofMinutes(5);

    /** What the guard did on a host, said once it is over. */
    public record Outcome(String host, boolean made, String text, Instant at) {}

    /** Hears the guard: when it starts on a host, and how that ended. Called from the guard's executor. */
    public interface Listener {
        void started(String host, String what);

        void finished(Outcome outcome);
    }

    /** Plans the swap for a host through its shell (reads RAM and disk there); throws when none may be made. */
    @FunctionalInterface
    public interface Planner {
        HostScript plan(String host, HostShell shell) throws HostException;
    }

    /** The {@code w} plan: 2x RAM at /swapfile, capped to keep the disk's reserve, not persistent. */
    public static final Planner EMERGENCY_SWAP = (host, shell) ->
            RescuePlanner.swapOn(host, shell, 0, RescuePlanner.DEFAULT_SWAP, false, RescuePlanner.FSTAB);

    private final Duration threshold;
    private final ActionGate gate;
    private final Function<String, HostShell> shells;
    private final Planner planner;
    private final Executor executor;
    private final InstantSource clock;
    private final Listener listener;
    private final Map<String, HostState> states = new ConcurrentHashMap<>();
    private final Set<String> tried = ConcurrentHashMap.newKeySet();

    public SwapGuard(
            Duration threshold,
            ActionGate gate,
            Function<String, HostShell> shells,
            Planner planner,
            Executor executor,
            InstantSource clock,
            Listener listener) {
        if (threshold.isNegative() || threshold.isZero()) {
            throw new IllegalArgumentException("the guard's threshold must be positive");
        }
        this.threshold = threshold;
        this.gate = gate;
        this.shells = shells;
        this.planner = planner;
        this.executor = executor;
        this.clock = clock;
        this.listener = listener;
    }

    public Duration threshold() {
        return threshold;
    }

    /** {@code sink}, with the guard seeing every update first. */
    public Consumer<HostUpdate> watching(Consumer<HostUpdate> sink) {
        return u -> {
            try {
                observe(u);
            } catch (RuntimeException e) {
                LOG.warn("the swap guard failed on an update of {}", u.host(), e);
            }
            sink.accept(u);
        };
    }

    /** One poll's outcome (from a poll thread): acts when the forecast says so and the host has no swap. */
    public void observe(HostUpdate u) {
        if (u.snapshot() == null) {
            return;
        }
        HostState s = states.compute(
                u.host(), (h, old) -> (old == null ? HostState.pending(h) : old).withSnapshot(u.snapshot()));
        OomForecast f = s.forecast();
        if (f.secondsToOom() == null || f.secondsToOom() >= threshold.toSeconds()) {
            return;
        }
        if (u.snapshot().memory().swapTotalBytes() > 0) {
            return; // it has swap: not the emergency this guard is for
        }
        if (!tried.add(u.host())) {
            return; // at most once per host per run
        }
        String reason = "OOM forecast " + f.shortText() + " (" + f.why() + "), no swap";
        executor.execute(() -> act(u.host(), reason));
    }

    /** Whether the guard has acted (or tried to) on {@code host} in this run. */
    public boolean tried(String host) {
        return tried.contains(host);
    }

    private void act(String host, String reason) {
        listener.started(host, "guard: swap-on");
        Outcome o;
        try {
            o = make(host, reason);
        } catch (RuntimeException e) {
            o = new Outcome(host, false, "no swap made: " + HostException.describe(e), clock.instant());
        }
        LOG.warn("swap guard on {}: {}", host, o.text());
        listener.finished(o);
    }

    private Outcome make(String host, String reason) {
        HostShell shell = shells.apply(host);
        if (shell == null) {
            return new Outcome(
                    host, false, "no swap made: colabtop cannot act on " + host + " (" + reason + ")", clock.instant());
        }
        HostScript plan;
        try {
            plan = planner.plan(host, shell);
        } catch (HostException e) {
            // the plan refuses what would break the disk's reserve: nothing is created
            return new Outcome(host, false, "no swap made: " + e.getMessage() + " (" + reason + ")", clock.instant());
        }
        try {
            ShellResult r = gate.run(plan, shell, new Confirmation.Guard(reason));
            if (r.ok()) {
                return new Outcome(
                        host,
                        true,
                        "made emergency swap: " + plan.summary().get(0) + " (" + reason + ")",
                        clock.instant());
            }
            return new Outcome(
                    host,
                    false,
                    "no swap made: " + r.error() + " (host left as it was; " + reason + ")",
                    clock.instant());
        } catch (HostException | IOException e) {
            return new Outcome(
                    host, false, "no swap made: " + HostException.describe(e) + " (" + reason + ")", clock.instant());
        }
    }
}
