package io.colabtop.app.tui.state;

import io.colabtop.core.Gpu;
import io.colabtop.core.HostSnapshot;
import io.colabtop.core.MemInfo;
import io.colabtop.core.Severity;
import io.colabtop.core.Thresholds;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * One host's recent history of the four figures a training box dies of (RAM, swap, PSI, GPU
 * memory), for the table's sparklines and the host view's graphs. A fixed ring of samples, each
 * kept with the severity it had when it was taken, so a graph shows in red what was red then.
 * Small by design (colabtop watches machines short of memory): {@code window / interval} samples
 * of five floats and a byte each, at most {@link #MAX_SAMPLES}: 6 KiB a host at the 2 s default.
 */
public final class Trends {
    /** What a sparkline or graph can show; each as a fraction of its full scale. */
    public enum Metric {
        RAM("RAM", 1.0),
        SWAP("swap", 1.0),
        /** PSI "some" avg10 over 0-50 %: past 50 % a training box is thrashing (50 % is also systemd-oomd's default limit for a unit's own pressure). */
        PSI("PSI", 50.0),
        GPU("GPU mem", 1.0);

        private final String label;
        private final double fullScale;

        Metric(String label, double fullScale) {
            this.label = label;
            this.fullScale = fullScale;
        }

        public String label() {
            return label;
        }

        /** The value at the top of a graph, as the figure is written (1.0 is 100 %; PSI in percent). */
        public double fullScale() {
            return fullScale;
        }
    }

    /** The most samples a host keeps, whatever the interval. */
    public static final int MAX_SAMPLES = 1200;

    private static final int METRICS = Metric.values().length;

    private final long[] at;
    private final float[] values;
    private final byte[] severities;
    private int next;
    private int size;

    /** Keeps {@code window} of history at one sample per {@code interval}. */
    public Trends(Duration window, Duration interval) {
        long n = window.toMillis() / Math.max(1, interval.toMillis()) + 2;
        int capacity = (int) Math.max(8, Math.min(MAX_SAMPLES, n));
        at = new long[capacity];
        values = new float[capacity * METRICS];
        severities = new byte[capacity * METRICS];
    }

    public int capacity() {
        return at.length;
    }

    public int size() {
        return size;
    }

    /** Adds a snapshot's figures (a repeat of the last timestamp is ignored). */
    public void add(HostSnapshot s, Thresholds t) {
        long ms = s.takenAt().toEpochMilli();
        if (size > 0 && at[(next + at.length - 1) % at.length] >= ms) {
            return;
        }
        MemInfo m = s.memory();
        int base = next * METRICS;
        set(base, Metric.RAM, m.usedFraction(), t.ram(m));
        set(
                base,
                Metric.SWAP,
                m.swapTotalBytes() == 0 ? Double.NaN : (double) m.swapUsedBytes() / m.swapTotalBytes(),
                t.swap(m));
        set(
                base,
                Metric.PSI,
                s.pressure() == null ? Double.NaN : s.pressure().someAvg10() / Metric.PSI.fullScale,
                t.pressure(s.pressure()));
        double gpu = Double.NaN;
        for (Gpu g : s.gpus()) {
            double f = g.memoryUsedFraction();
            if (f >= 0 && (Double.isNaN(gpu) || f > gpu)) {
                gpu = f;
            }
        }
        set(base, Metric.GPU, gpu, t.gpu(Double.isNaN(gpu) ? -1 : gpu));
        at[next] = ms;
        next = (next + 1) % at.length;
        size = Math.min(size + 1, at.length);
    }

    private void set(int base, Metric m, double v, Severity sev) {
        values[base + m.ordinal()] = (float) v;
        severities[base + m.ordinal()] = (byte) sev.ordinal();
    }

    /**
     * {@code buckets} equal slices of the {@code window} up to {@code now}, oldest first: each holds
     * the worst (highest) sample in it, clamped to 0..1 of the full scale, with that sample's
     * severity; a slice with no sample is empty (a gap, not a zero: the host did not answer).
     */
    public Series series(Metric metric, Instant now, Duration window, int buckets) {
        double[] v = new double[Math.max(0, buckets)];
        Severity[] sev = new Severity[v.length];
        Arrays.fill(v, Double.NaN);
        long end = now.toEpochMilli();
        long span = Math.max(1, window.toMillis());
        long start = end - span;
        for (int i = 0; i < size && v.length > 0; i++) {
            int slot = (next + at.length - 1 - i) % at.length;
            long t = at[slot];
            if (t <= start) {
                break; // older samples only from here on
            }
            if (t > end) {
                continue;
            }
            int b = (int) Math.min(v.length - 1, (t - start) * v.length / span);
            float x = values[slot * METRICS + metric.ordinal()];
            if (Float.isNaN(x)) {
                continue;
            }
            double clamped = Math.max(0, Math.min(1, x));
            if (Double.isNaN(v[b]) || clamped > v[b]) {
                v[b] = clamped;
                sev[b] = Severity.values()[severities[slot * METRICS + metric.ordinal()]];
            }
        }
        return new Series(metric, v, sev);
    }

    /** A metric's slices: value 0..1 of the full scale or NaN, and the severity it had. */
    public record Series(Metric metric, double[] values, Severity[] severities) {
        public int length() {
            return values.length;
        }

        public boolean empty() {
            return Arrays.stream(values).allMatch(Double::isNaN);
        }

        /** The newest value that is not a gap, or NaN. */
        public double last() {
            for (int i = values.length - 1; i >= 0; i--) {
                if (!Double.isNaN(values[i])) {
                    return values[i];
                }
            }
            return Double.NaN;
        }
    }
}
