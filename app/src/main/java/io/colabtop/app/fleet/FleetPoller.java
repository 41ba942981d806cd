package io.colabtop.app.fleet;

import io.colabtop.core.HostException;
import io.colabtop.core.HostSource;
import io.colabtop.core.HostUpdate;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Polls every host on a bounded pool, each poll bounded by a deadline. A watchdog aborts a poll
 * that overruns (closing its connection), so a hung host costs one row and one pool thread for
 * at most the deadline, never the table. A host whose previous poll is still running is skipped
 * that tick rather than queued twice.
 */
public final class FleetPoller implements AutoCloseable {
    private final List<HostSource> sources;
    private final Duration deadline;
    private final InstantSource clock;
    private final ExecutorService pool;
    private final Scheduler timer;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Map<String, HostSource> byName = new ConcurrentHashMap<>();
    private Scheduler.Task ticking;

    public FleetPoller(List<HostSource> sources, Duration deadline, int poolSize, InstantSource clock) {
        this(sources, deadline, poolSize, clock, Scheduler.system("colabtop-timer"));
    }

    /** With the scheduler of ticks and watchdogs given (tests: a manual one). */
    public FleetPoller(
            List<HostSource> sources, Duration deadline, int poolSize, InstantSource clock, Scheduler timer) {
        this.sources = new java.util.concurrent.CopyOnWriteArrayList<>(sources);
        this.deadline = deadline;
        this.clock = clock;
        // sized by the caller, not by today's hosts: hosts added later (discovered VMs) share this pool,
        // and a fixed pool starts its threads only as work arrives
        this.pool = Executors.newFixedThreadPool(Math.max(1, poolSize), daemon("colabtop-poll"));
        this.timer = timer;
        for (HostSource s : this.sources) {
            byName.put(s.name(), s);
        }
    }

    /** Adds a host found later (a VM discovered through the Compute API); polled from the next tick on. */
    public void add(HostSource s) {
        if (byName.putIfAbsent(s.name(), s) == null) {
            sources.add(s);
        }
    }

    /** A pool sized for the fleet: I/O-bound polls, so more threads than cores, but bounded. */
    public static int defaultPoolSize(int hosts) {
        return Math.max(4, Math.min(64, hosts));
    }

    public List<HostSource> sources() {
        return List.copyOf(sources);
    }

    /** Polls all hosts every {@code interval}, handing each outcome to {@code sink} (from pool threads). */
    public synchronized void start(Duration interval, Consumer<HostUpdate> sink) {
        if (ticking != null) {
            throw new IllegalStateException("already started");
        }
        ticking = timer.every(
                () -> {
                    for (HostSource s : sources) {
                        submit(s, sink, null);
                    }
                },
                Duration.ZERO,
                interval);
    }

    /** Polls one host now (after a key was accepted, say), unless a poll of it is already running. */
    public void pollNow(String host, Consumer<HostUpdate> sink) {
        HostSource s = byName.get(host);
        if (s != null) {
            submit(s, sink, null);
        }
    }

    /**
     * One round: polls every host once, in parallel, and returns the outcomes in the order of the
     * sources. Returns within about the deadline whatever the hosts do.
     */
    public List<HostUpdate> round() throws InterruptedException {
        List<HostSource> now = List.copyOf(sources);
        List<AtomicReference<HostUpdate>> results = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(now.size());
        for (HostSource s : now) {
            AtomicReference<HostUpdate> ref = new AtomicReference<>();
            results.add(ref);
            if (!submit(
                    s,
                    u -> {
                        ref.compareAndSet(null, u);
                    },
                    done)) {
                ref.set(HostUpdate.failed(s.name(), "previous poll still running", null, clock.instant()));
                done.countDown();
            }
        }
        // the watchdog reports each overrun host at its deadline, so this wait ends then; the
        // generous bound is a backstop against a scheduler that never fires
        done.await(deadline.toMillis() * 5 + 10_000, TimeUnit.MILLISECONDS);
        List<HostUpdate> out = new ArrayList<>();
        for (int i = 0; i < now.size(); i++) {
            HostUpdate u = results.get(i).get();
            out.add(
                    u != null
                            ? u
                            : HostUpdate.failed(
                                    now.get(i).name(), "no answer within " + seconds(deadline), null, clock.instant()));
        }
        return out;
    }

    private boolean submit(HostSource s, Consumer<HostUpdate> sink, CountDownLatch done) {
        if (!inFlight.add(s.name())) {
            return false;
        }
        AtomicInteger state = new AtomicInteger(); // 0 running, 1 reported
        Scheduler.Task[] watchdog = new Scheduler.Task[1];
        try {
            pool.execute(() -> {
                watchdog[0] = timer.schedule(
                        () -> {
                            if (state.compareAndSet(0, 1)) {
                                s.abort();
                                deliver(
                                        sink,
                                        done,
                                        HostUpdate.failed(
                                                s.name(),
                                                "no answer within " + seconds(deadline),
                                                null,
                                                clock.instant()));
                            }
                        },
                        deadline);
                HostUpdate u;
                try {
                    u = HostUpdate.ok(s.poll());
                } catch (Exception e) {
                    u = HostUpdate.failed(s.name(), HostException.describe(e), e, clock.instant());
                } catch (Error e) {
                    u = HostUpdate.failed(s.name(), "internal error: " + e, e, clock.instant());
                } finally {
                    inFlight.remove(s.name());
                }
                if (watchdog[0] != null) {
                    watchdog[0].cancel();
                }
                if (state.compareAndSet(0, 1)) {
                    deliver(sink, done, u);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            inFlight.remove(s.name());
            return false;
        }
        return true;
    }

    private static void deliver(Consumer<HostUpdate> sink, CountDownLatch done, HostUpdate u) {
        try {
            sink.accept(u);
        } finally {
            if (done != null) {
                done.countDown();
            }
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        synchronized (this) {
            if (ticking != null) {
                ticking.cancel();
            }
        }
        timer.close();
        pool.shutdownNow();
        for (HostSource s : sources) {
            try {
                s.close();
            } catch (RuntimeException ignored) {
                // closing is best effort; the process is ending
            }
        }
    }
}
