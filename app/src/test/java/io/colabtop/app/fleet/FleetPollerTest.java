package io.colabtop.app.fleet;

import static org.junit.jupiter.api.Assertions.*;

import io.colabtop.core.HostException;
import io.colabtop.core.HostSnapshot;
import io.colabtop.core.HostSource;
import io.colabtop.core.HostUpdate;
import io.colabtop.core.MemInfo;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FleetPollerTest {
    static HostSnapshot snap(String host) {
        return new HostSnapshot(
                host,
                Instant.now(),
                new MemInfo(100, 50, 50, 0, 0, 0, 0),
                null,
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                null,
                null,
                1,
                null);
    }

    /** Answers at once. */
    static HostSource quick(String name) {
        return new HostSource() {
            public String name() {
                return name;
            }

            public HostSnapshot poll() {
                return snap(name);
            }
        };
    }

    /** Blocks until aborted, like a host that accepted TCP and went silent. */
    static final class Hung implements HostSource {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch aborted = new CountDownLatch(1);

        public String name() {
            return "hung";
        }

        public HostSnapshot poll() throws Exception {
            started.countDown();
            aborted.await();
            throw new IOException("connection closed");
        }

        @Override
        public void abort() {
            aborted.countDown();
        }
    }

    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    /** Runs round() in another thread; the test moves the manual clock while it waits. */
    static CompletableFuture<List<HostUpdate>> roundAsync(FleetPoller p) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return p.round();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void aHungHostCostsOneRowAndTheRoundEndsAtTheDeadline() throws Exception {
        Hung hung = new Hung();
        HostSource broken = new HostSource() {
            public String name() {
                return "broken";
            }

            public HostSnapshot poll() throws IOException {
                throw new IOException("Connection refused");
            }
        };
        ManualScheduler time = new ManualScheduler(T0);
        try (FleetPoller p =
                new FleetPoller(List.of(quick("a"), hung, broken, quick("b")), Duration.ofMillis(700), 4, time, time)) {
            CompletableFuture<List<HostUpdate>> round = roundAsync(p);
            assertTrue(hung.started.await(10, TimeUnit.SECONDS));
            time.advance(Duration.ofMillis(699));
            assertFalse(round.isDone(), "not before the deadline");
            assertEquals(1, hung.aborted.getCount());
            time.advance(Duration.ofMillis(1));
            List<HostUpdate> r = round.get(10, TimeUnit.SECONDS);
            assertEquals(
                    List.of("a", "hung", "broken", "b"),
                    r.stream().map(HostUpdate::host).toList());
            assertNotNull(r.get(0).snapshot());
            assertNotNull(r.get(3).snapshot());
            assertEquals("no answer within 700 ms", r.get(1).error());
            assertEquals(T0.plusMillis(700), r.get(1).at(), "reported at the deadline, on the poller's clock");
            assertEquals("Connection refused", r.get(2).error());
            assertEquals(0, hung.aborted.getCount(), "the watchdog aborted the hung poll");
        }
    }

    @Test
    void startPollsEveryIntervalAndSkipsAHostStillInFlight() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        HostSource slow = new HostSource() {
            public String name() {
                return "slow";
            }

            public HostSnapshot poll() throws Exception {
                polls.incrementAndGet();
                release.await(30, TimeUnit.SECONDS);
                return snap("slow");
            }
        };
        LinkedBlockingQueue<HostUpdate> q = new LinkedBlockingQueue<>();
        ManualScheduler time = new ManualScheduler(T0);
        try (FleetPoller p = new FleetPoller(List.of(quick("fast"), slow), Duration.ofSeconds(10), 2, time, time)) {
            p.start(Duration.ofMillis(100), q::add);
            for (int tick = 0; tick < 10; tick++) {
                time.advance(tick == 0 ? Duration.ZERO : Duration.ofMillis(100));
                HostUpdate u = q.poll(10, TimeUnit.SECONDS);
                assertNotNull(u, "tick " + tick + " polled the fast host");
                assertEquals("fast", u.host());
            }
            assertEquals(1, polls.get(), "a host still in flight is not polled again");
            release.countDown();
            assertEquals("slow", q.poll(10, TimeUnit.SECONDS).host());
            time.advance(Duration.ofMillis(100));
            List<String> next = List.of(
                    q.poll(10, TimeUnit.SECONDS).host(),
                    q.poll(10, TimeUnit.SECONDS).host());
            assertTrue(next.contains("slow") && next.contains("fast"), "once it answered, it is polled again: " + next);
            assertEquals(2, polls.get());
        }
    }

    @Test
    void hostsAddedLaterGetTheWholePoolSoAHungOneBlocksNoOther() throws Exception {
        Hung hung = new Hung();
        CountDownLatch quickPolled = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<Thread> quickThread =
                new java.util.concurrent.atomic.AtomicReference<>();
        HostSource quick = new HostSource() {
            public String name() {
                return "quick";
            }

            public HostSnapshot poll() {
                quickThread.set(Thread.currentThread());
                quickPolled.countDown();
                return snap("quick");
            }
        };
        ManualScheduler time = new ManualScheduler(T0);
        // like --project with no hosts given: the fleet starts empty and discovery adds VMs
        try (FleetPoller p = new FleetPoller(List.of(), Duration.ofMillis(1500), 4, time, time)) {
            p.add(hung);
            p.add(quick);
            CompletableFuture<List<HostUpdate>> round = roundAsync(p);
            // no time passes: the quick host is polled beside the hung one, not after its deadline
            assertTrue(quickPolled.await(10, TimeUnit.SECONDS));
            assertTrue(hung.started.await(10, TimeUnit.SECONDS));
            // the deadline must come after quick's answer is handed over, not between its return and
            // the hand-over (seen on a loaded machine): its pool thread goes back to waiting for work then
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (quickThread.get().getState() == Thread.State.RUNNABLE && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            time.advance(Duration.ofMillis(1500));
            List<HostUpdate> r = round.get(10, TimeUnit.SECONDS);
            assertNotNull(r.get(1).snapshot());
            assertEquals("no answer within 1500 ms", r.get(0).error());
        }
    }

    @Test
    void describeFindsTheUsefulMessage() {
        Exception e = new RuntimeException(new IOException("Connection refused"));
        assertEquals("Connection refused", HostException.describe(e));
        assertEquals("IllegalStateException", HostException.describe(new IllegalStateException()));
        assertEquals(
                "permission denied for x",
                HostException.describe(new RuntimeException(
                        "wrapper", new HostException("permission denied for x", new IOException("inner")))));
    }
}
