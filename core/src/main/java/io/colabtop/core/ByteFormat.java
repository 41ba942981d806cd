package io.colabtop.core;

import java.time.Duration;
import java.util.Locale;

/** Human sizes and ages, as htop prints them: 1024-based, one decimal below 10. */
public final class ByteFormat {
    private static final String[] UNITS = {"B", "K", "M", "G", "T", "P"};

    private ByteFormat() {}

    public static String bytes(long n) {
        if (n < 0) {
            return "?";
        }
        double v = n;
        int u = 0;
        while (v >= 1024 && u < UNITS.length - 1) {
            v /= 1024;
            u++;
        }
        if (u == 0) {
            return n + "B";
        }
        return v < 10
                ? String.format(Locale.ROOT, "%.1f%s", v, UNITS[u])
                : String.format(Locale.ROOT, "%.0f%s", v, UNITS[u]);
    }

    public static String age(Duration d) {
        if (d == null) {
            return "-";
        }
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
        }
        return (s / 3600) + "h" + ((s % 3600) / 60) + "m";
    }

    /**
     * How long a process has run, in at most six columns, as the host view shows it: "42s",
     * "12m05s", "3h05m", "2d04h", "123d"; "-" when unknown.
     */
    public static String elapsed(Duration d) {
        if (d == null) {
            return "-";
        }
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        if (s < 86_400) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        if (s < 100 * 86_400L) {
            return String.format(Locale.ROOT, "%dd%02dh", s / 86_400, (s % 86_400) / 3600);
        }
        return (s / 86_400) + "d";
    }
}
