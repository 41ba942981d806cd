package io.colabtop.app.serve;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A scrape as Prometheus reads it: the text the client library writes, looked up by series. A
 * series is named as the text format prints it, labels sorted by name:
 * {@code colabtop_up{host="a"}}.
 */
final class Exposition {
    final String text;
    private final Map<String, Double> values = new TreeMap<>();

    Exposition(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            String v = line.substring(space + 1);
            values.put(
                    line.substring(0, space),
                    switch (v) {
                        case "+Inf" -> Double.POSITIVE_INFINITY;
                        case "-Inf" -> Double.NEGATIVE_INFINITY;
                        default -> Double.parseDouble(v);
                    });
        }
    }

    static Exposition of(MetricSnapshots snapshots) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ExpositionFormats.init(PrometheusProperties.builder().build())
                    .getPrometheusTextFormatWriter()
                    .write(out, snapshots, EscapingScheme.DEFAULT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Exposition(out.toString(StandardCharsets.UTF_8));
    }

    /** The value of one series, or null when the scrape has no such series. */
    Double value(String name, String... labelPairs) {
        return values.get(key(name, labelPairs));
    }

    /** Every series of one metric name (as printed: {@code name{...}}). */
    List<String> series(String name) {
        List<String> out = new ArrayList<>();
        values.keySet().forEach(k -> {
            if (k.equals(name) || k.startsWith(name + "{")) {
                out.add(k);
            }
        });
        return out;
    }

    /** Every series that carries {@code label="value"}. */
    List<String> seriesWith(String label, String value) {
        String needle = label + "=\"" + escape(value) + "\"";
        return values.keySet().stream()
                .filter(k -> k.contains("{" + needle) || k.contains("," + needle))
                .toList();
    }

    static String key(String name, String... labelPairs) {
        if (labelPairs.length == 0) {
            return name;
        }
        Map<String, String> sorted = new TreeMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) {
            sorted.put(labelPairs[i], labelPairs[i + 1]);
        }
        StringBuilder sb = new StringBuilder(name).append('{');
        sorted.forEach((k, v) -> sb.append(k).append("=\"").append(escape(v)).append("\","));
        sb.setLength(sb.length() - 1);
        return sb.append('}').toString();
    }

    /** As the text format writes a label value. */
    static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
