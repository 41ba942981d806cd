package io.colabtop.core.oom;

import static org.junit.jupiter.api.Assertions.*;

import io.colabtop.core.HostSnapshot;
import io.colabtop.core.HostState;
import io.colabtop.core.MemInfo;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Random;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The time-to-OOM forecast on synthetic series, read at the instants of an injected clock: a steady
 * leak is forecast within a few percent, and noise, a page-cache drop, a one-off spike, a job that
 * let go, a step from added swap or too little data never cry wolf.
 */
class HeadroomSeriesTest {
    static final long GIB = 1L << 30;
    static final long MIB = 1L << 20;

    /** A clock the test moves by hand. */
    static final class ManualClock implements InstantSource {
        Instant now = Instant.parse("2026-11-23T10:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    /** Feeds {@code seconds} of samples every {@code step} s, headroom(t) in bytes with t in seconds; no swap. */
    static HostState run(ManualClock clock, HostState state, int seconds, int step, LongUnaryOperator headroom) {
        Instant start = clock.instant();
        for (int t = 0; t <= seconds; t += step) {
            long avail = headroom.applyAsLong(t);
            state = state.withSnapshot(snapshot(clock.instant(), avail, 0, 0));
            if (t + step <= seconds) {
                clock.advance(Duration.ofSeconds(step));
            }
        }
        assertEquals(start.plusSeconds(seconds / step * step), clock.instant());
        return state;
    }

    static HostSnapshot snapshot(Instant at, long available, long swapTotal, long swapFree) {
        MemInfo m = new MemInfo(32 * GIB, available, available, 0, 0, swapTotal, swapFree);
        return new HostSnapshot("h", at, m, null, List.of(), List.of(), List.of(), List.of(), null, null, 4, null);
    }

    @Test
    void aSteadyLeakIsForecast() {
        ManualClock clock = new ManualClock();
        // 12 GiB free, losing 20 MiB/s, read every 2 s for 2 minutes
        HostState h = run(clock, HostState.pending("h"), 120, 2, t -> 12 * GIB - t * 20 * MIB);
        OomForecast f = h.forecast();
        assertEquals(OomForecast.State.DECLINING, f.state(), f.why());
        double expected = (12 * GIB - 120 * 20 * MIB) / (20.0 * MIB); // 494.4 s left at t=120
        assertEquals(expected, f.secondsToOom(), expected * 0.02);
        assertEquals(-20.0 * MIB, f.slopeBytesPerSecond(), 20.0 * MIB * 0.01);
        assertEquals("~8m", f.shortText());
    }

    @Test
    void tooLittleDataSaysSo() {
        ManualClock clock = new ManualClock();
        HostState h = run(clock, HostState.pending("h"), 40, 2, t -> 12 * GIB - t * 100 * MIB);
        assertEquals(OomForecast.State.INSUFFICIENT_DATA, h.forecast().state(), "40 s is under the 60 s needed");
        assertNull(h.forecast().secondsToOom());
        assertEquals(
                OomForecast.State.INSUFFICIENT_DATA,
                HostState.pending("x").forecast().state());
    }

    @Test
    void noiseAroundAFlatLevelIsSteady() {
        ManualClock clock = new ManualClock();
        Random r = new Random(42);
        HostState h = run(clock, HostState.pending("h"), 300, 2, t -> 8 * GIB + (long) (r.nextGaussian() * 300 * MIB));
        assertNotEquals(
                OomForecast.State.DECLINING, h.forecast().state(), h.forecast().why());
    }

    @Test
    void aSmallDriftUnderTheNoiseFloorIsSteady() {
        ManualClock clock = new ManualClock();
        // 100 KiB/s for 120 s: 12 MiB, under the 64 MiB floor (and 1 % of 32 GiB)
        HostState h = run(clock, HostState.pending("h"), 120, 2, t -> 1 * GIB - t * 100 * 1024);
        assertEquals(OomForecast.State.STEADY, h.forecast().state());
        assertTrue(h.forecast().why().contains("noise floor"), h.forecast().why());
    }

    @Test
    void aLeakWithOneHugeSpikeIsStillForecastCloseToTheTruth() {
        ManualClock clock = new ManualClock();
        // a 6 GiB burst allocated and freed within one sample: least squares would be pulled, Theil-Sen is not
        HostState h =
                run(clock, HostState.pending("h"), 120, 2, t -> (t == 60 ? -6 * GIB : 0) + 10 * GIB - t * 10 * MIB);
        OomForecast f = h.forecast();
        assertEquals(OomForecast.State.DECLINING, f.state(), f.why());
        double expected = (10 * GIB - 120 * 10 * MIB) / (10.0 * MIB);
        assertEquals(expected, f.secondsToOom(), expected * 0.03);
    }

    @Test
    void aPageCacheDropThatComesBackIsNoTrend() {
        ManualClock clock = new ManualClock();
        // flat at 10 GiB, a 3 GiB dip for 20 s in the middle (tmpfs file written and deleted), back to flat
        HostState h = run(clock, HostState.pending("h"), 180, 2, t -> t >= 80 && t < 100 ? 7 * GIB : 10 * GIB);
        assertNotEquals(
                OomForecast.State.DECLINING, h.forecast().state(), h.forecast().why());
    }

    @Test
    void aJobThatLetGoIsRecoveringNotDeclining() {
        ManualClock clock = new ManualClock();
        // a leak for 200 s, then the job freed 4 GiB at t=200
        HostState h =
                run(clock, HostState.pending("h"), 206, 2, t -> (t >= 200 ? 4 * GIB : 0) + 6 * GIB - t * 20 * MIB);
        OomForecast f = h.forecast();
        assertNotEquals(OomForecast.State.DECLINING, f.state(), f.why());
    }

    @Test
    void aSlowLeakBeyondTheHorizonIsNotAWarning() {
        ManualClock clock = new ManualClock();
        // 20 GiB left, shrinking 2 MiB/s (a real, steady decline of ~590 MiB over the window): 2.8 h
        HostState h = run(clock, HostState.pending("h"), 300, 5, t -> 20 * GIB - t * 2 * MIB);
        assertEquals(OomForecast.State.STEADY, h.forecast().state());
        assertTrue(
                h.forecast().why().contains("no OOM within 2 h"), h.forecast().why());
    }

    @Test
    void addingSwapRestartsTheSeries() {
        ManualClock clock = new ManualClock();
        HostState h = run(clock, HostState.pending("h"), 120, 2, t -> 4 * GIB - t * 20 * MIB);
        assertEquals(OomForecast.State.DECLINING, h.forecast().state());
        clock.advance(Duration.ofSeconds(2));
        // the guard made 16 GiB of swap: one big step up, a new series, nothing to say yet
        h = h.withSnapshot(snapshot(clock.instant(), 1 * GIB, 16 * GIB, 16 * GIB));
        assertEquals(
                OomForecast.State.INSUFFICIENT_DATA,
                h.forecast().state(),
                h.forecast().why());
        assertEquals(1, h.headroom().size());
    }

    @Test
    void samplesOlderThanTheWindowAreDropped() {
        ManualClock clock = new ManualClock();
        HostState h = run(clock, HostState.pending("h"), 600, 2, t -> 20 * GIB);
        assertTrue(h.headroom().size() <= HeadroomSeries.WINDOW.toSeconds() / 2 + 1, "at most a window of samples");
        // the leak started 100 s ago: the last 5 minutes are what counts
        h = run(clock, h, 200, 2, t -> 20 * GIB - t * 80 * MIB);
        assertEquals(
                OomForecast.State.DECLINING, h.forecast().state(), h.forecast().why());
    }

    @Test
    void aFailedPollKeepsTheSeries() {
        ManualClock clock = new ManualClock();
        HostState h = run(clock, HostState.pending("h"), 120, 2, t -> 4 * GIB - t * 20 * MIB);
        HostState down = h.withFailure("timed out", clock.instant());
        assertEquals(h.forecast(), down.forecast());
    }

    @Test
    void shortTexts() {
        assertEquals("<1m", new OomForecast(OomForecast.State.DECLINING, 59L, 0, -1, 5, Duration.ZERO, "").shortText());
        assertEquals(
                "~1h5m", new OomForecast(OomForecast.State.DECLINING, 3900L, 0, -1, 5, Duration.ZERO, "").shortText());
        assertEquals(
                "~2h", new OomForecast(OomForecast.State.DECLINING, 7200L, 0, -1, 5, Duration.ZERO, "").shortText());
        assertEquals("", OomForecast.NONE.shortText());
    }
}
