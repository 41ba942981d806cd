package io.colabtop.core.action;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Rate and time left of a long action from its progress reports: bytes per second smoothed over
 * the last few seconds (dd's pace changes as the page cache fills), and the bytes left at that
 * pace. One per run; reports arrive every half second or so.
 */
public final class ProgressRate {
    /** How quickly the rate follows a change: about the last four seconds count. */
    private static final double HALF_LIFE_SECONDS = 3.0;

    private final InstantSource clock;
    private Instant lastAt;
    private long lastDone = -1;
    private String lastPhase;
    private double rate = -1;

    public ProgressRate(InstantSource clock) {
        this.clock = clock;
    }

    /** Rate in bytes a second (-1 before two reports) and the time left (null when unknown). */
    public record Estimate(Progress progress, double bytesPerSecond, Duration left) {
        /** "64M/256M (25%), 32M/s, 6s left" or as much of it as is known. */
        public String describe() {
            StringBuilder sb = new StringBuilder(progress.describe());
            if (progress.total() > 0) {
                sb.append(' ')
                        .append(io.colabtop.core.ByteFormat.bytes(progress.done()))
                        .append('/')
                        .append(io.colabtop.core.ByteFormat.bytes(progress.total()))
                        .append(String.format(java.util.Locale.ROOT, " (%.0f%%)", progress.fraction() * 100));
            }
            if (bytesPerSecond > 0) {
                sb.append(", ")
                        .append(io.colabtop.core.ByteFormat.bytes((long) bytesPerSecond))
                        .append("/s");
            }
            if (left != null) {
                sb.append(", ").append(io.colabtop.core.ByteFormat.age(left)).append(" left");
            }
            return sb.toString();
        }
    }

    public Estimate update(Progress p) {
        Instant now = clock.instant();
        if (lastAt != null && p.phase().equals(lastPhase) && p.done() >= lastDone) {
            double secs = Duration.between(lastAt, now).toNanos() / 1e9;
            if (secs > 0) {
                double instant = (p.done() - lastDone) / secs;
                double keep = Math.pow(0.5, secs / HALF_LIFE_SECONDS);
                rate = rate < 0 ? instant : keep * rate + (1 - keep) * instant;
            }
        } else if (!p.phase().equals(lastPhase)) {
            rate = -1; // a new phase has its own pace
        }
        lastAt = now;
        lastDone = p.done();
        lastPhase = p.phase();
        Duration left = null;
        if (rate > 0 && p.total() > 0) {
            left = Duration.ofMillis((long) ((p.total() - p.done()) / rate * 1000));
        }
        return new Estimate(p, rate, left);
    }
}
