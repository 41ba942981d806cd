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
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FleetPollerTest {
    static HostSnapshot snap(String host) {
        return new HostSnapshot(host, Instant.now(), new MemInfo(100, 50, 50, 0, 0, 0, 0), null, List.of(), List.of(),
                List.of(), List.of(), null, null, 1, null);
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
        final CountDownLatch aborted = new CountDownLatch(1);

        public String name() {
            return "hung";
        }

        public HostSnapshot poll() throws Exception {
            aborted.await();
            throw new IOException("connection closed");
        }

        @Override
        public void abort() {
            aborted.countDown();
        }
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
        try (FleetPoller p = new FleetPoller(List.of(quick("a"), hung, broken, quick("b")), Duration.ofMillis(700), 4,
                InstantSource.system())) {
            long t0 = System.nanoTime();
            List<HostUpdate> r = p.round();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 2500, "round took " + ms + " ms");
            assertEquals(List.of("a", "hung", "broken", "b"), r.stream().map(HostUpdate::host).toList());
            assertNotNull(r.get(0).snapshot());
            assertNotNull(r.get(3).snapshot());
            assertEquals("no answer within 700 ms", r.get(1).error());
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
                release.await(5, TimeUnit.SECONDS);
                return snap("slow");
            }
        };
        LinkedBlockingQueue<HostUpdate> q = new LinkedBlockingQueue<>();
        try (FleetPoller p = new FleetPoller(List.of(quick("fast"), slow), Duration.ofSeconds(10), 2, InstantSource.system())) {
            p.start(Duration.ofMillis(100), q::add);
            Thread.sleep(1000); // ~10 ticks; at least 4 even on a loaded 2-core CI machine
            long fast = q.stream().filter(u -> u.host().equals("fast")).count();
            assertTrue(fast >= 4, "fast host polled " + fast + " times");
            assertEquals(1, polls.get(), "a host still in flight is not polled again");
            release.countDown();
        }
    }

    @Test
    void hostsAddedLaterGetTheWholePoolSoAHungOneBlocksNoOther() throws Exception {
        Hung hung = new Hung();
        long[] quickStartedMs = {-1};
        long t0 = System.nanoTime();
        HostSource quick = new HostSource() {
            public String name() {
                return "quick";
            }

            public HostSnapshot poll() {
                quickStartedMs[0] = (System.nanoTime() - t0) / 1_000_000;
                return snap("quick");
            }
        };
        // like --project with no hosts given: the fleet starts empty and discovery adds VMs
        try (FleetPoller p = new FleetPoller(List.of(), Duration.ofMillis(1500), 4, InstantSource.system())) {
            p.add(hung);
            p.add(quick);
            List<HostUpdate> r = p.round();
            assertNotNull(r.get(1).snapshot());
            assertTrue(quickStartedMs[0] >= 0 && quickStartedMs[0] < 1000,
                    "the quick host was polled beside the hung one, not after its deadline: " + quickStartedMs[0] + " ms");
        }
    }

    @Test
    void describeFindsTheUsefulMessage() {
        Exception e = new RuntimeException(new IOException("Connection refused"));
        assertEquals("Connection refused", HostException.describe(e));
        assertEquals("IllegalStateException", HostException.describe(new IllegalStateException()));
        assertEquals("permission denied for x", HostException.describe(
                new RuntimeException("wrapper", new HostException("permission denied for x", new IOException("inner")))));
    }
}
