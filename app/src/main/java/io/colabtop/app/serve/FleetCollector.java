package io.colabtop.app.serve;

import io.colabtop.core.Footprint;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The exporter's collector: at each scrape it takes one {@link FleetReading} and builds every
 * series afresh from it (the standard pattern for an exporter: no gauge is kept and set between
 * scrapes, so the series of a host, a GPU or a process that went away are simply not there).
 * Per-host families come from {@link HostMetrics}; colabtop's own footprint and build are added.
 * Nothing a host says can fail a scrape: a value that breaks one family of one host (a counter
 * below zero, two GPUs with one index) costs those series only.
 */
public final class FleetCollector implements MultiCollector {
    private static final Logger LOG = Logger.getLogger("colabtop.serve");
    private static final int MAX_LOGGED = 1000;

    static final MetricMetadata SELF_RSS =
            new MetricMetadata("colabtop_self_resident_memory_bytes", "Resident memory of colabtop itself", Unit.BYTES);
    static final MetricMetadata SELF_THREADS =
            new MetricMetadata("colabtop_self_threads", "Live threads of colabtop itself", null);
    static final MetricMetadata SELF_CPU = new MetricMetadata(
            "colabtop_self_cpu_ratio",
            "CPU colabtop itself used over the last few seconds, as a share of one core",
            Unit.RATIO);
    static final MetricMetadata BUILD =
            new MetricMetadata("colabtop_build", "colabtop's version and the Java it runs on", null);

    private final Supplier<FleetReading> readings;
    private final List<HostMetric> families;
    private final InfoSnapshot build;
    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    public FleetCollector(Supplier<FleetReading> readings) {
        this(readings, HostMetrics.ALL);
    }

    public FleetCollector(Supplier<FleetReading> readings, List<HostMetric> families) {
        this.readings = readings;
        this.families = List.copyOf(families);
        this.build = new InfoSnapshot(
                BUILD,
                List.of(new InfoDataPointSnapshot(
                        Labels.of("version", version(), "java", System.getProperty("java.version", "")))));
    }

    @Override
    public MetricSnapshots collect() {
        return snapshots(readings.get(), true);
    }

    /** The series of {@code reading}; with {@code self}, colabtop's own footprint and build too. */
    public MetricSnapshots snapshots(FleetReading reading, boolean self) {
        MetricSnapshots.Builder all = MetricSnapshots.builder();
        for (HostMetric m : families) {
            MetricSnapshot s = family(m, reading.hosts());
            if (s != null) {
                all.metricSnapshot(s);
            }
        }
        if (self) {
            Footprint own = reading.own();
            if (own != null) {
                all.metricSnapshot(gauge(SELF_RSS, own.rssBytes()));
                all.metricSnapshot(gauge(SELF_THREADS, own.threads()));
                if (own.cpuPercent() >= 0) {
                    all.metricSnapshot(gauge(SELF_CPU, own.cpuPercent() / 100));
                }
            }
            all.metricSnapshot(build);
        }
        return all.build();
    }

    private MetricSnapshot family(HostMetric m, List<HostReading> hosts) {
        String[] names = m.labelNames();
        Map<Labels, Double> series = new LinkedHashMap<>();
        for (HostReading h : hosts) {
            try {
                m.reader().read(h, (value, values) -> {
                    if (values.length != names.length - 1) {
                        throw new IllegalArgumentException(
                                m.name() + " takes " + (names.length - 1) + " label values, not " + values.length);
                    }
                    if (m.kind() == HostMetric.Kind.COUNTER && !(value >= 0 && value < Double.POSITIVE_INFINITY)) {
                        return; // a total below zero (or not a number) is not a counter: the host is not believed
                    }
                    String[] all = new String[names.length];
                    all[0] = h.host();
                    System.arraycopy(values, 0, all, 1, values.length);
                    // first wins: a host that reports two GPUs with one index must not fail the scrape
                    series.putIfAbsent(Labels.of(names, all), value);
                });
            } catch (RuntimeException e) {
                if (logged.size() < MAX_LOGGED && logged.add(m.name() + "\0" + h.host())) {
                    LOG.log(Level.WARNING, "serve: " + m.name() + " of " + h.host() + " left out", e);
                }
            }
        }
        if (series.isEmpty()) {
            return null;
        }
        MetricMetadata meta = m.metadata();
        return switch (m.kind()) {
            case GAUGE -> {
                List<GaugeDataPointSnapshot> points = new ArrayList<>(series.size());
                series.forEach((labels, v) -> points.add(new GaugeDataPointSnapshot(v, labels, null)));
                yield new GaugeSnapshot(meta, points);
            }
            case COUNTER -> {
                List<CounterDataPointSnapshot> points = new ArrayList<>(series.size());
                series.forEach((labels, v) -> points.add(new CounterDataPointSnapshot(v, labels, null, 0)));
                yield new CounterSnapshot(meta, points);
            }
            case INFO -> {
                List<InfoDataPointSnapshot> points = new ArrayList<>(series.size());
                series.keySet().forEach(labels -> points.add(new InfoDataPointSnapshot(labels)));
                yield new InfoSnapshot(meta, points);
            }
        };
    }

    private static GaugeSnapshot gauge(MetricMetadata meta, double value) {
        return new GaugeSnapshot(meta, List.of(new GaugeDataPointSnapshot(value, Labels.EMPTY, null)));
    }

    /** colabtop's version, from the build (a filtered resource). */
    static String version() {
        Properties p = new Properties();
        try (InputStream in = FleetCollector.class.getResourceAsStream("/io/colabtop/app/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return p.getProperty("version", "unknown");
    }
}
