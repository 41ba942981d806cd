package io.colabtop.app.fleet;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * When things happen: the poller's ticks and watchdogs, discovery's rounds. Injected (as Caffeine
 * injects its Scheduler and Ticker) so that tests advance a manual clock instead of sleeping, and no
 * assertion depends on how fast the machine is.
 */
public interface Scheduler extends AutoCloseable {
    /** Something scheduled, which may be cancelled before it runs. */
    interface Task {
        void cancel();
    }

    Task schedule(Runnable r, Duration delay);

    Task every(Runnable r, Duration initialDelay, Duration period);

    @Override
    void close();

    /** The real one: a single daemon thread, which only starts work (work itself runs elsewhere). */
    static Scheduler system(String threadName) {
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        return new Scheduler() {
            @Override
            public Task schedule(Runnable r, Duration delay) {
                ScheduledFuture<?> f = s.schedule(r, delay.toNanos(), TimeUnit.NANOSECONDS);
                return () -> f.cancel(false);
            }

            @Override
            public Task every(Runnable r, Duration initialDelay, Duration period) {
                ScheduledFuture<?> f =
                        s.scheduleAtFixedRate(r, initialDelay.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
                return () -> f.cancel(false);
            }

            @Override
            public void close() {
                s.shutdownNow();
            }
        };
    }
}
