package io.colabtop.core;

/**
 * The aggregate {@code cpu} line of {@code /proc/stat}, in clock ticks:
 * {@code cpu  1629 0 907 319971 215 0 46 105 0 0}. CPU use is the busy share of the ticks
 * between two readings, so one reading alone says nothing.
 */
public record CpuTimes(long user, long nice, long system, long idle, long iowait, long irq, long softirq, long steal) {

    public long total() {
        return user + nice + system + idle + iowait + irq + softirq + steal;
    }

    public long idleAll() {
        return idle + iowait;
    }

    /** Busy fraction (0..1) between {@code earlier} and this, or -1 when it cannot be told. */
    public double busyFractionSince(CpuTimes earlier) {
        if (earlier == null) {
            return -1;
        }
        long dt = total() - earlier.total();
        if (dt <= 0) {
            return -1;
        }
        long didle = idleAll() - earlier.idleAll();
        return Math.max(0, Math.min(1, 1.0 - (double) didle / dt));
    }

    public static CpuTimes parse(String procStat) {
        for (String line : procStat.split("\n")) {
            if (line.startsWith("cpu ")) {
                String[] f = Words.of(line.substring(4));
                long[] v = new long[8];
                for (int i = 0; i < v.length && i < f.length; i++) {
                    try {
                        v[i] = Long.parseLong(f[i]);
                    } catch (NumberFormatException e) {
                        throw new ParseException("bad cpu line in /proc/stat: " + line, e);
                    }
                }
                return new CpuTimes(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
            }
        }
        throw new ParseException("no aggregate cpu line in /proc/stat text");
    }

    /** Number of {@code cpuN} lines: the online logical CPUs. */
    public static int countCpus(String procStat) {
        int n = 0;
        for (String line : procStat.split("\n")) {
            if (line.startsWith("cpu") && line.length() > 3 && Character.isDigit(line.charAt(3))) {
                n++;
            }
        }
        return n;
    }
}
