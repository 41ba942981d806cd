package io.colabtop.core;

/**
 * The fields colabtop needs from {@code /proc/PID/status}, lines like
 * {@code Uid:\t1000\t1000\t1000\t1000} and {@code VmRSS:\t    3028 kB}.
 * Kernel threads have no VmRSS line: their RSS is 0.
 *
 * @param uid the real uid, or -1 when the text has no Uid line (truncated read)
 */
public record ProcStatus(String name, int uid, long vmRssBytes) {

    public static ProcStatus parse(String text) {
        String name = "";
        int uid = -1;
        long rss = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("Name:")) {
                name = line.substring(5).strip();
            } else if (line.startsWith("Uid:")) {
                String[] f = Words.of(line.substring(4));
                uid = parseInt(f[0], line);
            } else if (line.startsWith("VmRSS:")) {
                String[] f = Words.of(line.substring(6));
                rss = parseLong(f[0], line) * 1024;
            }
        }
        return new ProcStatus(name, uid, rss);
    }

    private static int parseInt(String s, String line) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new ParseException("bad status line: " + line, e);
        }
    }

    private static long parseLong(String s, String line) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new ParseException("bad status line: " + line, e);
        }
    }
}
