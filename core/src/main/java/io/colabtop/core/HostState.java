package io.colabtop.core;

import io.colabtop.core.oom.HeadroomSeries;
import io.colabtop.core.oom.OomForecast;
import java.time.Duration;
import java.time.Instant;

/**
 * What colabtop knows about one host: its last good snapshot (kept while the host is down, so a
 * row still says what was there) and the outcome of the latest attempt.
 *
 * @param latest      last good snapshot, or null if none yet
 * @param previous    the one before, for rates (CPU use)
 * @param reachable   whether the latest attempt succeeded
 * @param error       why the latest attempt failed, else null
 * @param lastAttempt when the latest attempt ended, or null before the first
 * @param headroom    MemAvailable + SwapFree over the last minutes, for the time-to-OOM forecast
 */
public record HostState(
        String name,
        HostSnapshot latest,
        HostSnapshot previous,
        boolean reachable,
        String error,
        Instant lastAttempt,
        HeadroomSeries headroom) {

    public HostState {
        headroom = headroom == null ? HeadroomSeries.EMPTY : headroom;
    }

    public static HostState pending(String name) {
        return new HostState(name, null, null, false, null, null, HeadroomSeries.EMPTY);
    }

    public HostState withSnapshot(HostSnapshot s) {
        return new HostState(name, s, latest, true, null, s.takenAt(), headroom.add(s));
    }

    public HostState withFailure(String why, Instant at) {
        return new HostState(name, latest, previous, false, why, at, headroom);
    }

    /** Minutes until memory and swap run out at the recent pace, or why there is no such figure. */
    public OomForecast forecast() {
        return headroom.forecast();
    }

    /** Age of the data shown, or null when there is none. */
    public Duration staleness(Instant now) {
        return latest == null ? null : Duration.between(latest.takenAt(), now);
    }

    /** Busy CPU fraction between the last two snapshots, or -1. */
    public double cpuBusyFraction() {
        if (latest == null || previous == null || latest.cpu() == null) {
            return -1;
        }
        return latest.cpu().busyFractionSince(previous.cpu());
    }

    public boolean pending() {
        return lastAttempt == null;
    }
}
