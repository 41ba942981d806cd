package io.colabtop.app.fleet;

import io.colabtop.core.HostUpdate;
import io.colabtop.core.action.AutostopCondition;
import io.colabtop.core.action.AutostopRule;
import io.colabtop.core.action.AutostopState;
import io.colabtop.core.action.ShellResult;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Autostop as the table sees it. It reads back what each host has armed (a small status script
 * through the host's action transport) when the host connects and every {@code every} after,
 * and keeps the --from-here watches: it reads their condition every period and, when it holds,
 * hands the host and why to their {@link Firing}, which stops the VM. Ticks come from the
 * {@link Scheduler}; reads run on {@code io}, one at a time per host; what they find goes to the
 * {@link Listener} (the session's queue).
 */
public final class AutostopWatch implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AutostopWatch.class.getName());
    /** After a read fails (no root there, the host went away), the next try waits this long. */
    static final Duration BACKOFF = Duration.ofMinutes(10);

    /** What the host has armed, read now; null when colabtop cannot act on the host. */
    @FunctionalInterface
    public interface Reader {
        AutostopState read(String host, Instant now) throws Exception;
    }

    /** One reading of a --from-here condition (the check script's report, read without root). */
    @FunctionalInterface
    public interface Checker {
        ShellResult check(String host, AutostopRule.Trigger trigger) throws Exception;
    }

    /** Hears what each host has armed, from any thread. */
    @FunctionalInterface
    public interface Listener {
        void autostop(String host, AutostopState state);
    }

    /** Stops the VM of a --from-here watch whose condition held: called once, off the scheduler's thread. */
    @FunctionalInterface
    public interface Firing {
        void fire(String host, String reason);
    }

    private final Scheduler scheduler;
    private final InstantSource clock;
    private final Executor io;
    private final Duration every;
    private final Reader reader;
    private final Checker checker;
    private final Listener listener;
    private final Set<String> connected = ConcurrentHashMap.newKeySet();
    private final Set<String> reading = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> backoff = new ConcurrentHashMap<>();
    private final Map<String, Here> here = new ConcurrentHashMap<>();
    private Scheduler.Task round;

    /** A watch kept here: its condition, its tick, and what it last showed. */
    private static final class Here {
        final AutostopCondition condition;
        final Firing firing;
        Scheduler.Task task;
        volatile boolean done;

        Here(AutostopCondition condition, Firing firing) {
            this.condition = condition;
            this.firing = firing;
        }
    }

    public AutostopWatch(
            Scheduler scheduler,
            InstantSource clock,
            Executor io,
            Duration every,
            Reader reader,
            Checker checker,
            Listener listener) {
        this.scheduler = scheduler;
        this.clock = clock;
        this.io = io;
        this.every = every;
        this.reader = reader;
        this.checker = checker;
        this.listener = listener;
    }

    /** Reads every connected host every {@code every}. */
    public synchronized void start() {
        if (round == null) {
            round = scheduler.every(this::readAll, every, every);
        }
    }

    /**
     * A poll's outcome: a host that answers for the first time (or again, after being down) is
     * read at once; one that went down is read again when it comes back.
     */
    public void seen(HostUpdate u) {
        if (u.snapshot() != null) {
            if (connected.add(u.host())) {
                backoff.remove(u.host());
                read(u.host());
            }
        } else if (u.cause() != null || u.error() != null) {
            connected.remove(u.host());
        }
    }

    /** Reads the host now (after arming or cancelling), whatever the back-off says. */
    public void refresh(String host) {
        backoff.remove(host);
        read(host);
    }

    private void readAll() {
        for (String h : connected) {
            Instant wait = backoff.get(h);
            if (wait == null || !clock.instant().isBefore(wait)) {
                read(h);
            }
        }
    }

    private void read(String host) {
        if (here.containsKey(host) || !reading.add(host)) {
            return; // a watch kept here says what it is; a read in flight answers soon
        }
        try {
            io.execute(() -> {
                try {
                    AutostopState s = reader.read(host, clock.instant());
                    if (s != null) {
                        backoff.remove(host);
                        listener.autostop(host, s);
                    }
                } catch (Exception e) {
                    // no root there (sudo asks a password), or the host went away: try again later, quietly
                    backoff.put(host, clock.instant().plus(BACKOFF));
                    LOG.log(Level.FINE, "autostop status of " + host + ": " + e.getMessage());
                } finally {
                    reading.remove(host);
                }
            });
        } catch (RuntimeException rejected) {
            reading.remove(host); // shutting down
        }
    }

    /**
     * Keeps {@code rule} for {@code host} here: its condition is read every period, and when it
     * holds {@code firing} stops the VM. Replaces a watch kept here before.
     */
    public void armHere(String host, AutostopRule rule, Firing firing) {
        cancelHere(host);
        Here h = new Here(new AutostopCondition(rule, -1), firing);
        here.put(host, h);
        listener.autostop(host, hereState(host, rule, null, false, null, null));
        h.task = scheduler.every(() -> checkHere(host, h), Duration.ZERO, rule.period());
    }

    /** Drops the watch kept here for {@code host}; false when there was none. */
    public boolean cancelHere(String host) {
        Here h = here.remove(host);
        if (h == null) {
            return false;
        }
        h.done = true;
        if (h.task != null) {
            h.task.cancel();
        }
        listener.autostop(host, AutostopState.none(clock.instant()));
        return true;
    }

    /** Whether a watch is kept here for {@code host}. */
    public boolean watchingHere(String host) {
        return here.containsKey(host);
    }

    private void checkHere(String host, Here h) {
        if (h.done || !reading.add(host)) {
            return;
        }
        try {
            io.execute(() -> {
                try {
                    if (h.done) {
                        return;
                    }
                    ShellResult r = checker.check(host, h.condition.rule().trigger());
                    Instant now = clock.instant();
                    AutostopCondition.Decision d = h.condition.observe(r, now);
                    if (d.fire()) {
                        h.done = true;
                        if (h.task != null) {
                            h.task.cancel();
                        }
                        listener.autostop(
                                host,
                                hereState(
                                        host,
                                        h.condition.rule(),
                                        d,
                                        true,
                                        new AutostopState.Fired(now, d.reason(), null, "Compute API stop", null, null),
                                        now));
                        here.remove(host, h);
                        h.firing.fire(host, d.reason());
                    } else {
                        listener.autostop(host, hereState(host, h.condition.rule(), d, true, null, now));
                    }
                } catch (Exception e) {
                    // the host did not answer this time: the condition keeps its state, the next tick reads again
                    listener.autostop(
                            host,
                            hereState(
                                    host,
                                    h.condition.rule(),
                                    new AutostopCondition.Decision(false, null, "cannot read the host now", null),
                                    true,
                                    null,
                                    clock.instant()));
                } finally {
                    reading.remove(host);
                }
            });
        } catch (RuntimeException rejected) {
            reading.remove(host);
        }
    }

    private AutostopState hereState(
            String host,
            AutostopRule rule,
            AutostopCondition.Decision d,
            boolean running,
            AutostopState.Fired fired,
            Instant at) {
        Instant now = at == null ? clock.instant() : at;
        Duration in = d != null && d.pending() && d.firesAt() != null
                ? Duration.between(now, d.firesAt()).isNegative() ? Duration.ZERO : Duration.between(now, d.firesAt())
                : null;
        return new AutostopState(
                true,
                true,
                null,
                rule.trigger().kind(),
                rule.describe(),
                "here",
                true,
                0,
                false,
                d != null && d.pending(),
                in,
                d == null ? "armed here" : d.note(),
                fired,
                null,
                now);
    }

    @Override
    public synchronized void close() {
        if (round != null) {
            round.cancel();
        }
        here.values().forEach(h -> {
            h.done = true;
            if (h.task != null) {
                h.task.cancel();
            }
        });
        here.clear();
    }
}
