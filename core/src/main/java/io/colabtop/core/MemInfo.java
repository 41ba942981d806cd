package io.colabtop.core;

import java.util.HashMap;
import java.util.Map;

/**
 * Memory totals of one host, from {@code /proc/meminfo}. All values in bytes.
 *
 * <p>Input lines look like {@code MemAvailable:   22985700 kB}. Kernels before 3.14 have no
 * {@code MemAvailable}; then it is estimated as free + buffers + cached, as {@code free} did.
 */
public record MemInfo(
        long totalBytes,
        long freeBytes,
        long availableBytes,
        long buffersBytes,
        long cachedBytes,
        long swapTotalBytes,
        long swapFreeBytes) {

    public long usedBytes() {
        return Math.max(0, totalBytes - availableBytes);
    }

    public long swapUsedBytes() {
        return Math.max(0, swapTotalBytes - swapFreeBytes);
    }

    /** Fraction of RAM in use (0..1), counting reclaimable cache as free, as htop does. */
    public double usedFraction() {
        return totalBytes <= 0 ? 0 : Math.min(1, (double) usedBytes() / totalBytes);
    }

    public static MemInfo parse(String text) {
        Map<String, Long> kb = new HashMap<>();
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String[] parts = Words.of(line.substring(colon + 1));
            if (parts.length == 0 || parts[0].isEmpty()) {
                continue;
            }
            try {
                long value = Long.parseLong(parts[0]);
                if (value < 0 || value > Long.MAX_VALUE / 1024) {
                    throw new ParseException("meminfo value out of range: " + Pressure.abbreviate(line));
                }
                // Every size in meminfo is in kB; the few counters (HugePages_Total) have no unit.
                long factor = parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? 1024 : 1;
                kb.put(line.substring(0, colon).trim(), value * factor);
            } catch (NumberFormatException e) {
                // a truncated last line; ignore it, the required keys are checked below
            }
        }
        Long total = kb.get("MemTotal");
        if (total == null) {
            throw new ParseException("meminfo has no MemTotal line (truncated or not /proc/meminfo)");
        }
        long free = kb.getOrDefault("MemFree", 0L);
        long buffers = kb.getOrDefault("Buffers", 0L);
        long cached = kb.getOrDefault("Cached", 0L);
        long available = kb.containsKey("MemAvailable") ? kb.get("MemAvailable") : free + buffers + cached;
        return new MemInfo(
                total,
                free,
                Math.min(available, total),
                buffers,
                cached,
                kb.getOrDefault("SwapTotal", 0L),
                kb.getOrDefault("SwapFree", 0L));
    }
}
