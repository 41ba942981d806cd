package io.colabtop.core;

/**
 * Memory pressure stall information (PSI), from {@code /proc/pressure/memory}:
 * <pre>
 * some avg10=0.00 avg60=0.00 avg300=0.00 total=0
 * full avg10=0.00 avg60=0.00 avg300=0.00 total=0
 * </pre>
 * "some" is the share of time at least one task stalled on memory, "full" the share all did.
 * systemd-oomd does not act on this file: it reads the "full" line of each cgroup it monitors
 * (the same format, in that cgroup's memory.pressure; see io.colabtop.core.oom.OomdState).
 * Kernels before 4.20 (or booted with psi=0) have no such file:
 * {@link #parseOrNull} returns null for an empty text.
 */
public record Pressure(
        double someAvg10,
        double someAvg60,
        double someAvg300,
        long someTotalMicros,
        double fullAvg10,
        double fullAvg60,
        double fullAvg300,
        long fullTotalMicros) {

    public static Pressure parseOrNull(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        return parse(text);
    }

    public static Pressure parse(String text) {
        double[] some = null;
        double[] full = null;
        for (String line : text.split("\n")) {
            line = line.trim();
            if (line.startsWith("some ")) {
                some = fields(line);
            } else if (line.startsWith("full ")) {
                full = fields(line);
            }
        }
        if (some == null) {
            throw new ParseException("no 'some' line in pressure text: " + abbreviate(text));
        }
        if (full == null) {
            full = new double[4]; // old kernels print no "full" line for some resources
        }
        return new Pressure(some[0], some[1], some[2], (long) some[3], full[0], full[1], full[2], (long) full[3]);
    }

    private static double[] fields(String line) {
        double[] v = new double[4];
        String[] keys = {"avg10=", "avg60=", "avg300=", "total="};
        boolean[] seen = new boolean[4];
        for (String token : Words.of(line)) {
            for (int k = 0; k < keys.length; k++) {
                if (token.startsWith(keys[k])) {
                    try {
                        v[k] = Double.parseDouble(token.substring(keys[k].length()));
                        seen[k] = true;
                    } catch (NumberFormatException e) {
                        throw new ParseException("bad pressure value '" + token + "'", e);
                    }
                }
            }
        }
        if (!seen[0]) {
            throw new ParseException("pressure line without avg10: " + line);
        }
        return v;
    }

    static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
