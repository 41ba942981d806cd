package io.colabtop.core.action;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How far a long action has got, as its script reports it on a line of its own while it works:
 * {@code colabtop-progress: zeros 67108864 268435456} (phase, bytes done, bytes in all). Only
 * swap creation reports today: {@code fallocate}, {@code zeros} (dd writing, minutes on a file
 * system without fallocate), {@code mkswap}, {@code swapon}.
 */
public record Progress(String phase, long done, long total) {
    public static final String PREFIX = "colabtop-progress: ";

    /** A phase is a short lower-case word; the numbers fit a long. Anything else is not a progress line. */
    private static final Pattern LINE =
            Pattern.compile("colabtop-progress: ([a-z][a-z-]{0,15}) ([0-9]{1,18}) ([0-9]{1,18})\\s*");

    /** The progress a line reports, or null when it is not a well-formed progress line. */
    public static Progress parse(String line) {
        if (line == null || line.length() > 120) {
            return null;
        }
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
            return null;
        }
        long done = Long.parseLong(m.group(2));
        long total = Long.parseLong(m.group(3));
        return new Progress(m.group(1), total > 0 ? Math.min(done, total) : done, total);
    }

    /** 0..1, or -1 when the total is unknown. */
    public double fraction() {
        return total <= 0 ? -1 : Math.min(1.0, (double) done / total);
    }

    /** What the phase means to a reader. */
    public String describe() {
        return switch (phase) {
            case "fallocate" -> "allocating";
            case "zeros" -> "writing zeros";
            case "mkswap" -> "mkswap";
            case "swapon" -> "swapon";
            default -> phase;
        };
    }
}
