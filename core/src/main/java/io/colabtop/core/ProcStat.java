package io.colabtop.core;

/**
 * The fields colabtop needs from {@code /proc/PID/stat}:
 * <pre>
 * 2373 (my (weird) proc) S 2369 2369 1093 0 -1 4194304 221 0 0 0 0 0 0 0 20 0 1 0 162961 4464640 738 ...
 * </pre>
 * The command name (comm) sits in parentheses and may itself contain spaces and parentheses,
 * so the fields after it are found from the <em>last</em> ')'.
 *
 * @param startTimeTicks field 22, clock ticks after boot; with the pid it identifies one process
 *                       and guards against pid reuse
 * @param rssPages       field 24
 */
public record ProcStat(
        int pid,
        String comm,
        char state,
        int ppid,
        long utimeTicks,
        long stimeTicks,
        long startTimeTicks,
        long rssPages) {

    public static ProcStat parse(String text) {
        String line = text.strip();
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open < 0 || close < open) {
            throw new ParseException("not a /proc/PID/stat line: " + Pressure.abbreviate(line));
        }
        try {
            int pid = Integer.parseInt(line.substring(0, open).trim());
            String comm = line.substring(open + 1, close);
            String[] f = line.substring(close + 1).trim().split(" ");
            // f[0] is field 3 (state); field N is f[N - 3].
            if (f.length < 22) {
                throw new ParseException("truncated /proc/" + pid + "/stat (" + (f.length + 2) + " fields)");
            }
            return new ProcStat(
                    pid,
                    comm,
                    f[0].charAt(0),
                    Integer.parseInt(f[1]),
                    Long.parseLong(f[11]),
                    Long.parseLong(f[12]),
                    Long.parseLong(f[19]),
                    Long.parseLong(f[21]));
        } catch (NumberFormatException e) {
            throw new ParseException("bad number in /proc/PID/stat: " + Pressure.abbreviate(line), e);
        }
    }
}
