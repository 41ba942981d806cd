package io.colabtop.core.oom;

import io.colabtop.core.HostSnapshot;
import io.colabtop.core.MemInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A host's headroom, {@code MemAvailable + SwapFree}, over the last minutes, and the time-to-OOM
 * forecast it gives. Immutable: {@link #add} returns the next series. Times are the snapshots'
 * own ({@code takenAt}, from the source's injected clock), so a test drives it with a manual clock.
 *
 * <p>How others gate theirs, and what is taken from each:
 * <ul>
 *   <li>earlyoom acts on levels, never on trends: MemAvailable and SwapFree <em>both</em> under 10 %
 *       (its README, "-m" and "-s"), polled faster as memory gets low. Taken: the headroom counts
 *       memory and swap together, and MemAvailable (not MemFree), so page cache the kernel can drop
 *       is not mistaken for used memory.</li>
 *   <li>nohang (hakavlad/nohang) also acts on levels (mem_available + swap_free thresholds) and on
 *       PSI only after it stayed over its threshold for {@code psi_excess_duration}. Taken: a trend
 *       must persist, not one reading.</li>
 *   <li>systemd-oomd (src/oom/oomd-manager.c) kills on pressure only after it stayed over the limit
 *       for the whole duration <em>and</em> with recent reclaim activity, and waits after a kill
 *       before judging again. Taken: the decline must be sustained and large enough to be real.</li>
 *   <li>Prometheus alerts built on {@code predict_linear} (node-mixin's NodeFilesystemSpaceFillingUp:
 *       {@code predict_linear(avail[6h], 24*3600) < 0 and avail/size < 0.4}, {@code for: 1h}) fit a
 *       least-squares line over a window, and gate it by the level now and a hold time. Taken: a
 *       line over a window, a horizon past which nothing is said, and a level gate (the decline over
 *       the window must be a real share of the memory).</li>
 * </ul>
 * Least squares is pulled by one outlier (a burst allocation freed a second later, a page cache
 * drop), so the slope here is Theil-Sen's (median of pairwise slopes), which ignores up to ~29 %
 * of outliers; the share of pairs that decline (Kendall's tau) must be high, or the series is noise.
 * Adding swap, more RAM, or a reboot restarts the series: a step is not a trend.
 */
public final class HeadroomSeries {
    /** How far back the forecast looks. */
    public static final Duration WINDOW = Duration.ofMinutes(5);
    /** Fewest samples, and least time they must cover, before anything is said. */
    static final int MIN_SAMPLES = 5;

    static final Duration MIN_SPAN = Duration.ofSeconds(60);
    /** Past this, "no OOM soon": a forecast of hours from minutes of data is not worth a cell. */
    public static final Duration HORIZON = Duration.ofHours(2);
    /** Share of sample pairs that must go down for the decline to count (tau <= -0.5). */
    static final double CONSISTENCY = 0.75;
    /** The decline over the window must exceed this, and 1 % of RAM + swap, to count. */
    static final long NOISE_FLOOR = 64L << 20;
    /** Samples used for the slope: more are thinned evenly (the pairwise median is quadratic). */
    static final int MAX_FIT = 60;
    /** Samples kept (a 500 ms interval over the window). */
    static final int MAX_KEPT = 600;

    private record Sample(Instant at, long headroom) {}

    public static final HeadroomSeries EMPTY = new HeadroomSeries(List.of(), 0, 0, null, OomForecast.NONE);

    private final List<Sample> samples;
    private final long memTotal;
    private final long swapTotal;
    private final String bootId;
    private final OomForecast forecast;

    private HeadroomSeries(List<Sample> samples, long memTotal, long swapTotal, String bootId, OomForecast forecast) {
        this.samples = samples;
        this.memTotal = memTotal;
        this.swapTotal = swapTotal;
        this.bootId = bootId;
        this.forecast = forecast;
    }

    public HeadroomSeries add(HostSnapshot s) {
        MemInfo m = s.memory();
        return add(
                s.takenAt(),
                m.availableBytes(),
                m.swapFreeBytes(),
                m.totalBytes(),
                m.swapTotalBytes(),
                s.oom().bootId());
    }

    public HeadroomSeries add(
            Instant at, long memAvailable, long swapFree, long memTotal, long swapTotal, String bootId) {
        long headroom = Math.max(0, memAvailable) + Math.max(0, swapFree);
        List<Sample> kept = new ArrayList<>();
        boolean sameHost = memTotal == this.memTotal
                && swapTotal == this.swapTotal
                && (bootId == null || this.bootId == null || bootId.equals(this.bootId));
        if (sameHost) {
            Instant from = at.minus(WINDOW);
            for (Sample x : samples) {
                if (x.at().isAfter(from) && x.at().isBefore(at)) {
                    kept.add(x);
                }
            }
        }
        kept.add(new Sample(at, headroom));
        if (kept.size() > MAX_KEPT) {
            kept = new ArrayList<>(kept.subList(kept.size() - MAX_KEPT, kept.size()));
        }
        List<Sample> frozen = List.copyOf(kept);
        return new HeadroomSeries(
                frozen, memTotal, swapTotal, bootId != null ? bootId : this.bootId, fit(frozen, memTotal + swapTotal));
    }

    public OomForecast forecast() {
        return forecast;
    }

    public int size() {
        return samples.size();
    }

    static OomForecast fit(List<Sample> all, long capacity) {
        int n = all.size();
        Sample last = all.get(n - 1);
        Duration span = Duration.between(all.get(0).at(), last.at());
        if (n < MIN_SAMPLES || span.compareTo(MIN_SPAN) < 0) {
            return new OomForecast(
                    OomForecast.State.INSUFFICIENT_DATA,
                    null,
                    last.headroom(),
                    0,
                    n,
                    span,
                    "needs " + MIN_SPAN.toSeconds() + " s and " + MIN_SAMPLES + " samples (has " + span.toSeconds()
                            + " s, " + n + ")");
        }
        List<Sample> pts = thin(all);
        int k = pts.size();
        double[] t = new double[k];
        double[] y = new double[k];
        Instant t0 = pts.get(0).at();
        for (int i = 0; i < k; i++) {
            t[i] = Duration.between(t0, pts.get(i).at()).toNanos() / 1e9;
            y[i] = pts.get(i).headroom();
        }
        double[] slopes = new double[k * (k - 1) / 2];
        int m = 0;
        int down = 0;
        for (int i = 0; i < k; i++) {
            for (int j = i + 1; j < k; j++) {
                double dt = t[j] - t[i];
                if (dt <= 0) {
                    continue;
                }
                double sl = (y[j] - y[i]) / dt;
                slopes[m++] = sl;
                if (sl < 0) {
                    down++;
                }
            }
        }
        double slope = median(Arrays.copyOf(slopes, m));
        double[] resid = new double[k];
        double tLast = t[k - 1];
        for (int i = 0; i < k; i++) {
            resid[i] = y[i] - slope * (t[i] - tLast);
        }
        double level = Math.max(0, median(resid));
        long levelBytes = (long) level;
        double drop = -slope * span.toNanos() / 1e9;
        double floor = Math.max(NOISE_FLOOR, capacity / 100.0);
        double share = m == 0 ? 0 : (double) down / m;
        if (slope >= 0 || drop < floor || share < CONSISTENCY) {
            String why = slope >= 0
                    ? "not shrinking"
                    : drop < floor
                            ? "shrinking by less than the noise floor over " + span.toSeconds() + " s"
                            : String.format(
                                    java.util.Locale.ROOT,
                                    "no steady decline (%.0f%% of sample pairs go down, %.0f%% needed)",
                                    share * 100,
                                    CONSISTENCY * 100);
            return new OomForecast(OomForecast.State.STEADY, null, levelBytes, slope, n, span, why);
        }
        // something let go: the latest readings stand well above the trend line
        double recent = median(new double[] {y[k - 1], y[Math.max(0, k - 2)], y[Math.max(0, k - 3)]});
        double trendNow = level;
        if (recent - trendNow > Math.max(floor, drop / 4)) {
            return new OomForecast(
                    OomForecast.State.RECOVERING,
                    null,
                    (long) recent,
                    slope,
                    n,
                    span,
                    "the latest readings are well above the trend: memory was freed");
        }
        double seconds = level / -slope;
        if (seconds > HORIZON.toSeconds()) {
            return new OomForecast(
                    OomForecast.State.STEADY,
                    null,
                    levelBytes,
                    slope,
                    n,
                    span,
                    "shrinking slowly: no OOM within " + HORIZON.toHours() + " h at this pace");
        }
        long s = (long) Math.ceil(seconds);
        return new OomForecast(
                OomForecast.State.DECLINING,
                s,
                levelBytes,
                slope,
                n,
                span,
                String.format(
                        java.util.Locale.ROOT,
                        "memory + swap shrinking by %s/min over the last %d s",
                        io.colabtop.core.ByteFormat.bytes((long) (-slope * 60)),
                        span.toSeconds()));
    }

    /** At most {@link #MAX_FIT} samples, evenly spread, the newest always in. */
    private static List<Sample> thin(List<Sample> all) {
        if (all.size() <= MAX_FIT) {
            return all;
        }
        List<Sample> out = new ArrayList<>();
        double step = (all.size() - 1) / (double) (MAX_FIT - 1);
        for (int i = 0; i < MAX_FIT; i++) {
            out.add(all.get((int) Math.round(i * step)));
        }
        return out;
    }

    static double median(double[] v) {
        if (v.length == 0) {
            return 0;
        }
        double[] c = v.clone();
        Arrays.sort(c);
        int h = c.length / 2;
        return c.length % 2 == 1 ? c[h] : (c[h - 1] + c[h]) / 2;
    }
}
