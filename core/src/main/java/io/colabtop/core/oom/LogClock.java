package io.colabtop.core.oom;

import java.time.Instant;
import java.time.ZoneOffset;

/**
 * What turns a log line's time into an instant, as the host read it when it fetched the log:
 * its clock, its UTC offset (a classic syslog line, {@code May  3 10:32:35}, has neither year nor
 * zone) and when it booted (a dmesg line, {@code [ 5605.388515]}, counts seconds since boot). The
 * probe prints it as {@code clock 1763912345 +0100 1763900000}: epoch seconds, {@code date +%z},
 * {@code btime} of /proc/stat.
 *
 * @param bootTime null when unknown: dmesg times are then left out
 */
public record LogClock(Instant now, ZoneOffset offset, Instant bootTime) {
    public static final LogClock UTC_NOW_UNKNOWN_BOOT = new LogClock(Instant.EPOCH, ZoneOffset.UTC, null);

    public LogClock {
        now = now == null ? Instant.EPOCH : now;
        offset = offset == null ? ZoneOffset.UTC : offset;
    }

    /**
     * Reads {@code clock NOW +HHMM BTIME}; fields that do not parse are left unknown (a hostile or
     * odd host gets times it cannot make absurd: they stay null rather than wrong).
     */
    static LogClock parse(String line) {
        String[] f = line.strip().split("\\s+");
        Instant now = Instant.EPOCH;
        ZoneOffset off = ZoneOffset.UTC;
        Instant boot = null;
        if (f.length >= 2) {
            now = epoch(f[1]);
        }
        if (f.length >= 3 && f[2].matches("[+-]\\d{4}")) {
            int h = Integer.parseInt(f[2].substring(1, 3));
            int m = Integer.parseInt(f[2].substring(3, 5));
            if (h <= 18 && m < 60) {
                int sign = f[2].charAt(0) == '-' ? -1 : 1;
                off = ZoneOffset.ofTotalSeconds(sign * (h * 3600 + m * 60));
            }
        }
        if (f.length >= 4) {
            boot = epoch(f[3]);
            if (boot.equals(Instant.EPOCH)) {
                boot = null;
            }
        }
        return new LogClock(now, off, boot);
    }

    private static Instant epoch(String s) {
        if (!s.matches("\\d{1,12}")) {
            return Instant.EPOCH;
        }
        return Instant.ofEpochSecond(Long.parseLong(s));
    }
}
