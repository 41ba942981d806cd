package io.colabtop.core.action;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void aProgressLineIsPhaseDoneAndTotal() {
        Progress p = Progress.parse("colabtop-progress: zeros 67108864 268435456");
        assertEquals(new Progress("zeros", 67108864, 268435456), p);
        assertEquals(0.25, p.fraction(), 1e-9);
        assertEquals("writing zeros", p.describe());
        assertEquals(-1, new Progress("mkswap", 0, 0).fraction(), "no total: unknown");
    }

    @Test
    void anythingElseIsNotProgress() {
        for (String bad : new String[] {
            null,
            "",
            "colabtop-progress: zeros 1",
            "colabtop-progress: zeros -1 5",
            "colabtop-progress: ZEROS 1 5",
            "colabtop-progress: zeros 1 5 extra",
            "colabtop-progress: \u001b[2Jzeros 1 5",
            "colabtop-progress: zeros 99999999999999999999 5",
            "colabtop-progress: zeros 1 5" + " ".repeat(200),
            "colabtop-result: active",
        }) {
            assertNull(Progress.parse(bad), String.valueOf(bad));
        }
        assertEquals(5, Progress.parse("colabtop-progress: zeros 9 5").done(), "never past the total");
    }

    @Test
    void rateIsSmoothedAndTimeLeftFollowsIt() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-23T10:00:00Z"));
        ProgressRate r = new ProgressRate(now::get);
        long mib = 1 << 20;
        ProgressRate.Estimate first = r.update(new Progress("zeros", 0, 1000 * mib));
        assertEquals(-1, first.bytesPerSecond(), "one report: no rate yet");
        assertNull(first.left());
        now.set(now.get().plusSeconds(1));
        ProgressRate.Estimate second = r.update(new Progress("zeros", 100 * mib, 1000 * mib));
        assertEquals(100.0 * mib, second.bytesPerSecond(), 1);
        assertEquals(Duration.ofSeconds(9), second.left());
        assertEquals("writing zeros 100M/1000M (10%), 100M/s, 9s left", second.describe());
        now.set(now.get().plusSeconds(1));
        ProgressRate.Estimate slower = r.update(new Progress("zeros", 150 * mib, 1000 * mib));
        assertTrue(
                slower.bytesPerSecond() < 100.0 * mib && slower.bytesPerSecond() > 50.0 * mib,
                "smoothed between the old and the new pace: " + slower.bytesPerSecond());
        ProgressRate.Estimate phase = r.update(new Progress("mkswap", 1000 * mib, 1000 * mib));
        assertEquals(-1, phase.bytesPerSecond(), "a new phase starts its own rate");
    }
}
