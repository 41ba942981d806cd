package io.colabtop.app.fleet;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A scheduler whose time moves only when a test says so: {@link #advance} runs, in the calling
 * thread, every task that has come due, in order. Also the clock of that time.
 */
public final class ManualScheduler implements Scheduler, InstantSource {
    private final List<Entry> queue = new ArrayList<>();
    private Instant now;
    private long seq;

    private final class Entry implements Task {
        final Runnable r;
        final Duration period;
        final long order = seq++;
        Instant due;
        boolean cancelled;

        Entry(Runnable r, Instant due, Duration period) {
            this.r = r;
            this.due = due;
            this.period = period;
        }

        @Override
        public void cancel() {
            synchronized (ManualScheduler.this) {
                cancelled = true;
                queue.remove(this);
            }
        }
    }

    public ManualScheduler(Instant start) {
        this.now = start;
    }

    @Override
    public synchronized Instant instant() {
        return now;
    }

    @Override
    public synchronized Task schedule(Runnable r, Duration delay) {
        Entry e = new Entry(r, now.plus(delay), null);
        queue.add(e);
        return e;
    }

    @Override
    public synchronized Task every(Runnable r, Duration initialDelay, Duration period) {
        Entry e = new Entry(r, now.plus(initialDelay), period);
        queue.add(e);
        return e;
    }

    /** Tasks waiting to run. */
    public synchronized int pending() {
        return queue.size();
    }

    /** Moves time forward by {@code d}, running each task as its time comes. */
    public void advance(Duration d) {
        Instant until;
        synchronized (this) {
            until = now.plus(d);
        }
        while (true) {
            Entry next;
            synchronized (this) {
                next = queue.stream()
                        .filter(e -> !e.due.isAfter(until))
                        .min(Comparator.comparing((Entry e) -> e.due).thenComparingLong(e -> e.order))
                        .orElse(null);
                if (next == null) {
                    now = until;
                    return;
                }
                now = next.due;
                if (next.period != null) {
                    next.due = next.due.plus(next.period);
                } else {
                    queue.remove(next);
                }
            }
            next.r.run();
        }
    }

    /** Runs what is due now (a delay of zero), without moving time. */
    public void runDue() {
        advance(Duration.ZERO);
    }

    @Override
    public synchronized void close() {
        queue.clear();
    }
}
