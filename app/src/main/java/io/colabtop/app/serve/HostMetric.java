package io.colabtop.app.serve;

import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.List;

/**
 * One metric family colabtop exports per host: its name, help and type, the labels it adds to
 * {@code host}, and how its series are read from one host's reading at each scrape.
 *
 * @param name   the name without the suffix the type adds ({@code _total} of a counter, {@code _info}
 *               of an info metric); with a unit it ends in that unit ({@code _bytes})
 * @param unit   null when the value has none (a count, a score)
 * @param labels the labels besides {@code host}, in the order {@link Series#add} takes their values
 */
public record HostMetric(String name, String help, Kind kind, Unit unit, List<String> labels, Reader reader) {
    public enum Kind {
        GAUGE,
        COUNTER,
        INFO
    }

    /** Reads the series of one host; a host with nothing to show (down, no GPU) adds none. */
    @FunctionalInterface
    public interface Reader {
        void read(HostReading host, Series out);
    }

    /** Where a reader puts series. */
    @FunctionalInterface
    public interface Series {
        /** One series: its value (ignored for an info metric) and its label values, in the order of {@code labels}. */
        void add(double value, String... labelValues);
    }

    public HostMetric {
        labels = List.copyOf(labels);
        if (labels.contains("host")) {
            throw new IllegalArgumentException(name + ": 'host' is the label every family has");
        }
        metadata(name, help, unit); // the client library's naming rules, checked when the catalogue loads
    }

    /** The name in a scrape: a counter's ends in {@code _total}, an info metric's in {@code _info}. */
    public String exposedName() {
        return switch (kind) {
            case COUNTER -> name + "_total";
            case INFO -> name + "_info";
            case GAUGE -> name;
        };
    }

    /** {@code host} and then the family's own labels. */
    public String[] labelNames() {
        List<String> all = new ArrayList<>();
        all.add("host");
        all.addAll(labels);
        return all.toArray(String[]::new);
    }

    MetricMetadata metadata() {
        return metadata(name, help, unit);
    }

    private static MetricMetadata metadata(String name, String help, Unit unit) {
        return new MetricMetadata(name, help, unit);
    }
}
