package io.colabtop.app.serve;

import io.colabtop.app.fleet.Scheduler;
import io.colabtop.core.HostException;
import io.colabtop.core.HostSource;
import io.colabtop.core.HostState;
import io.colabtop.core.HostUpdate;
import io.colabtop.core.Printable;
import io.colabtop.ssh.HostSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * {@code /probe?target=HOST}, as the blackbox and SNMP exporters do, so Prometheus can own
 * discovery. A host of the fleet is answered from its latest reading (it is polled anyway). Any
 * other target is refused unless {@code serve --probe-any}; then it must be a host as the command
 * line takes it (user@host[:port], an ssh_config alias: {@link HostSpec}, never an arbitrary
 * string), its host key is checked as {@code colabtop status} checks it (an unknown key is refused,
 * unless ssh_config says {@code StrictHostKeyChecking accept-new}), and it is polled there and then
 * under the poll deadline. At most {@code concurrency} such probes run at
 * once, and at most {@code maxTargets} connections are kept open between probes (the least recently
 * probed is closed first; one not probed for {@link #IDLE} is closed too).
 */
public final class ProbeTargets implements AutoCloseable {
    /** A connection kept this long without a probe is closed. */
    static final Duration IDLE = Duration.ofMinutes(10);

    /** A probe refused before anything was polled, with the HTTP status that says why. */
    public static final class Refused extends Exception {
        private final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private static final class Target {
        final HostSource source;
        HostState state;
        Instant lastProbe;

        Target(HostSource source, String name) {
            this.source = source;
            this.state = HostState.pending(name);
        }
    }

    private final ServeState fleet;
    private final Function<String, HostSource> open;
    private final Duration deadline;
    private final Semaphore permits;
    private final int concurrency;
    private final int maxTargets;
    private final InstantSource clock;
    private final Scheduler watchdog;
    private final Map<String, Target> targets = new LinkedHashMap<>(16, 0.75f, true);

    /**
     * @param open what reads a target outside the fleet (throws IllegalArgumentException, saying why,
     *             for one it cannot reach), or null to answer for the fleet's hosts only
     */
    public ProbeTargets(
            ServeState fleet,
            Function<String, HostSource> open,
            Duration deadline,
            int concurrency,
            int maxTargets,
            InstantSource clock,
            Scheduler watchdog) {
        this.fleet = fleet;
        this.open = open;
        this.deadline = deadline;
        this.concurrency = concurrency;
        this.permits = new Semaphore(concurrency);
        this.maxTargets = maxTargets;
        this.clock = clock;
        this.watchdog = watchdog;
    }

    /** The target's reading now: from the fleet, else polled (a poll that fails reads as a host that is down). */
    public HostReading probe(String target) throws Refused {
        if (target == null || target.isEmpty()) {
            throw new Refused(400, "missing ?target=HOST");
        }
        HostReading known = fleet.reading(target);
        if (known != null) {
            return known;
        }
        if (open == null) {
            throw new Refused(
                    404,
                    "'" + Printable.clip(target, 80) + "' is not a host of this fleet (serve --probe-any probes hosts"
                            + " outside it)");
        }
        try {
            HostSpec.parse(target);
        } catch (IllegalArgumentException e) {
            throw new Refused(400, e.getMessage());
        }
        try {
            if (!permits.tryAcquire(1, TimeUnit.SECONDS)) {
                throw new Refused(503, concurrency + " probes are running already; try again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused(503, "interrupted");
        }
        try {
            Target t = target(target);
            HostUpdate u = poll(t.source);
            synchronized (t) {
                t.state = u.applyTo(t.state);
                return new HostReading(target, t.state, null, null, fleet.fx(), clock.instant(), fleet.exposure());
            }
        } finally {
            permits.release();
        }
    }

    private synchronized Target target(String spec) throws Refused {
        Instant now = clock.instant();
        for (Iterator<Target> it = targets.values().iterator(); it.hasNext(); ) {
            Target t = it.next();
            if (t.lastProbe != null && Duration.between(t.lastProbe, now).compareTo(IDLE) > 0) {
                it.remove();
                t.source.close();
            }
        }
        Target t = targets.get(spec);
        if (t == null) {
            HostSource s;
            try {
                s = open.apply(spec);
            } catch (IllegalArgumentException e) {
                throw new Refused(400, e.getMessage());
            }
            if (targets.size() >= maxTargets) {
                Iterator<Target> eldest = targets.values().iterator();
                eldest.next().source.close();
                eldest.remove();
            }
            t = new Target(s, spec);
            targets.put(spec, t);
        }
        t.lastProbe = now;
        return t;
    }

    /** One poll under the deadline: past it the watchdog aborts the poll (closes its connection). */
    private HostUpdate poll(HostSource s) {
        AtomicBoolean late = new AtomicBoolean();
        Scheduler.Task dog = watchdog.schedule(
                () -> {
                    late.set(true);
                    s.abort();
                },
                deadline);
        try {
            return HostUpdate.ok(s.poll());
        } catch (Exception e) {
            String why = late.get() ? "no answer within " + deadline.toMillis() + " ms" : HostException.describe(e);
            return HostUpdate.failed(s.name(), why, e, clock.instant());
        } finally {
            dog.cancel();
        }
    }

    /** Probes of hosts outside the fleet running now. */
    int running() {
        return concurrency - permits.availablePermits();
    }

    /** Connections kept open now (for tests and the bench). */
    synchronized int open() {
        return targets.size();
    }

    @Override
    public synchronized void close() {
        targets.values().forEach(t -> t.source.close());
        targets.clear();
    }
}
