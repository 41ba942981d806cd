package io.colabtop.core.oom;

import io.colabtop.core.HostText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What systemd-oomd watches on a host: whether it runs ({@code systemctl is-active systemd-oomd})
 * and its dump ({@code oomctl}, which runs unprivileged). The probe sends the state word, then the
 * dump; every systemd era's dump is read (recorded examples in core/src/test/resources/oom):
 * <pre>
 * Dry Run: no
 * Swap Used Limit: 90.00%
 * Default Memory Pressure Limit: 60.00%
 * Default Memory Pressure Duration: 20s
 * System Context:
 *         Memory: Used: 1.5G Total: 3.7G            250+ ("Used: 1.5G, Total: 3.7G" in the newest; 249 has only Swap)
 *         Swap: Used: 914.5M Total: 43.7G
 * Swap Monitored CGroups:
 *         Path: /
 *                 Swap Usage: (see System Context)
 * Memory Pressure Monitored CGroups:
 *         Path: /user.slice/user-1000.slice/user@1000.service
 *                 Memory Pressure Limit: 50.00%
 *                 Memory Pressure Duration: 20s     newest only; before, the default applies to all
 *                 Pressure: Avg10: 0.22 Avg60: 0.33 Avg300: 0.64 Total: 9min 17s    (newest: "Avg10: 0.22, Avg60: …")
 *                 Current Memory Usage: 1.1G
 * </pre>
 * oomd reads the {@code full} line of each monitored cgroup's {@code memory.pressure} (not
 * /proc/pressure/memory, not {@code some}): the Avg10 here is that figure.
 *
 * @param dryRun                      null when the dump was not read
 * @param swapUsedLimitPercent        SwapUsedLimit (default 90): the swap rule acts when memory
 *                                    and swap are both used over it
 * @param defaultPressureDuration     how long pressure must stay over the limit (default 30 s,
 *                                    Ubuntu 20 s)
 * @param error                       why the dump could not be read, else null
 */
public record OomdState(
        Status status,
        Boolean dryRun,
        Double swapUsedLimitPercent,
        Double defaultPressureLimitPercent,
        Duration defaultPressureDuration,
        Long memoryUsedBytes,
        Long memoryTotalBytes,
        Long swapUsedBytes,
        Long swapTotalBytes,
        List<HostText> swapMonitored,
        List<Monitored> pressureMonitored,
        String error) {

    /** Whether systemd-oomd runs. JSON writes {@link #label()}. */
    public enum Status {
        ACTIVE("active"),
        /** The unit exists but does not run, or does not exist (systemctl says inactive either way). */
        INACTIVE("inactive"),
        /** No systemctl, or systemd is not PID 1 (a container): no oomd can run. */
        ABSENT("absent"),
        /** systemctl answered something else (activating, failed…). */
        OTHER("other");

        private final String label;

        Status(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * One cgroup whose memory pressure oomd watches ({@code ManagedOOMMemoryPressure=kill}).
     *
     * @param duration null in dumps before the per-unit duration (then the default applies)
     * @param fullAvg10 the share of the last 10 s all its tasks stalled on memory, in percent
     */
    public record Monitored(
            HostText path,
            double limitPercent,
            Duration duration,
            double fullAvg10,
            double fullAvg60,
            double fullAvg300,
            Long currentMemoryBytes) {}

    public OomdState {
        swapMonitored = swapMonitored == null ? List.of() : List.copyOf(swapMonitored);
        pressureMonitored = pressureMonitored == null ? List.of() : List.copyOf(pressureMonitored);
    }

    public boolean active() {
        return status == Status.ACTIVE;
    }

    /** How long pressure must stay over {@code m}'s limit: its own duration, else the default, else oomd's 30 s. */
    public Duration durationOf(Monitored m) {
        if (m.duration() != null && !m.duration().isZero()) {
            return m.duration();
        }
        return defaultPressureDuration != null ? defaultPressureDuration : Duration.ofSeconds(30);
    }

    private static final Pattern PERCENT = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,2})?)%");
    private static final Pattern BYTES = Pattern.compile("(\\d{1,19}(?:\\.\\d{1,3})?)([BKMGTPE])");
    private static final Pattern SPAN = Pattern.compile("(\\d{1,12}(?:\\.\\d{1,6})?)(us|µs|ms|min|s|h|d|w|M|y)");
    private static final Pattern AVG = Pattern.compile(
            "Avg10: ?(\\d{1,3}\\.\\d{1,2}),? Avg60: ?(\\d{1,3}\\.\\d{1,2}),? Avg300: ?(\\d{1,3}\\.\\d{1,2})");
    private static final Pattern USED_TOTAL = Pattern.compile("Used: (\\S+?),? Total: (\\S+)");
    static final int MAX_MONITORED = 256;

    /**
     * Reads the probe's oomd section: the first line is {@code systemctl is-active}'s word (or
     * {@code absent}), the rest oomctl's dump. Unknown lines are skipped, so a newer systemd's
     * additions do not break it; a dump that has none of the lines above says so in {@link #error}.
     */
    public static OomdState parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String[] lines = text.split("\n");
        Status status = switch (lines[0].strip()) {
            case "active" -> Status.ACTIVE;
            case "inactive", "unknown" -> Status.INACTIVE;
            case "absent", "" -> Status.ABSENT;
            default -> Status.OTHER;
        };
        Boolean dry = null;
        Double swapLimit = null;
        Double defLimit = null;
        Duration defDuration = null;
        Long memUsed = null;
        Long memTotal = null;
        Long swapUsed = null;
        Long swapTotal = null;
        List<HostText> swapPaths = new ArrayList<>();
        List<Monitored> pressure = new ArrayList<>();
        String section = "";
        // the cgroup being read in the pressure section, and what was read of it
        HostText path = null;
        double limit = -1;
        Duration duration = null;
        double[] avg = null;
        Long current = null;
        boolean sawDump = false;
        for (int i = 1; i < lines.length; i++) {
            String l = lines[i].strip();
            if (l.isEmpty()) {
                continue;
            }
            if (l.startsWith("Dry Run:")) {
                dry = l.substring(8).strip().equals("yes");
                sawDump = true;
            } else if (l.startsWith("Swap Used Limit:")) {
                swapLimit = percent(l);
                sawDump = true;
            } else if (l.startsWith("Default Memory Pressure Limit:")) {
                defLimit = percent(l);
            } else if (l.startsWith("Default Memory Pressure Duration:")) {
                defDuration = span(l.substring(l.indexOf(':') + 1));
            } else if (l.equals("System Context:")) {
                section = "system";
            } else if (l.equals("Swap Monitored CGroups:")) {
                section = "swap";
                sawDump = true;
            } else if (l.equals("Memory Pressure Monitored CGroups:")) {
                section = "pressure";
                sawDump = true;
            } else if (section.equals("system") && (l.startsWith("Memory:") || l.startsWith("Swap:"))) {
                Matcher m = USED_TOTAL.matcher(l);
                if (m.find()) {
                    if (l.startsWith("Memory:")) {
                        memUsed = bytes(m.group(1));
                        memTotal = bytes(m.group(2));
                    } else {
                        swapUsed = bytes(m.group(1));
                        swapTotal = bytes(m.group(2));
                    }
                }
            } else if (l.startsWith("Path: ")) {
                HostText p = HostText.of(l.substring(6).strip(), 1024);
                if (section.equals("swap") && swapPaths.size() < MAX_MONITORED) {
                    swapPaths.add(p);
                } else if (section.equals("pressure")) {
                    add(pressure, path, limit, duration, avg, current);
                    path = p;
                    limit = -1;
                    duration = null;
                    avg = null;
                    current = null;
                }
            } else if (section.equals("pressure") && path != null) {
                if (l.startsWith("Memory Pressure Limit:")) {
                    Double v = percent(l);
                    limit = v == null ? -1 : v;
                } else if (l.startsWith("Memory Pressure Duration:")) {
                    duration = span(l.substring(l.indexOf(':') + 1));
                } else if (l.startsWith("Pressure:")) {
                    Matcher m = AVG.matcher(l);
                    if (m.find()) {
                        avg = new double[] {
                            Double.parseDouble(m.group(1)),
                            Double.parseDouble(m.group(2)),
                            Double.parseDouble(m.group(3))
                        };
                    }
                } else if (l.toLowerCase(Locale.ROOT).startsWith("current memory usage:")) {
                    current = bytes(l.substring(l.indexOf(':') + 1).strip());
                }
            }
        }
        add(pressure, path, limit, duration, avg, current);
        String error = null;
        if (status == Status.ACTIVE && !sawDump) {
            error = lines.length > 1 ? "oomctl printed no dump colabtop can read" : "oomctl printed nothing";
        }
        return new OomdState(
                status,
                dry,
                swapLimit,
                defLimit,
                defDuration,
                memUsed,
                memTotal,
                swapUsed,
                swapTotal,
                swapPaths,
                pressure,
                error);
    }

    private static void add(List<Monitored> out, HostText path, double limit, Duration d, double[] avg, Long cur) {
        if (path == null || out.size() >= MAX_MONITORED) {
            return;
        }
        double[] a = avg == null ? new double[3] : avg;
        out.add(new Monitored(path, Math.max(0, limit), d, a[0], a[1], a[2], cur));
    }

    private static Double percent(String line) {
        Matcher m = PERCENT.matcher(line);
        return m.find() ? Double.valueOf(m.group(1)) : null;
    }

    /** systemd's format_bytes: 1024-based, one decimal ("914.5M", "0B"); null when it is not one. */
    static Long bytes(String s) {
        Matcher m = BYTES.matcher(s.strip());
        if (!m.matches()) {
            return null;
        }
        double v = Double.parseDouble(m.group(1));
        int power = "BKMGTPE".indexOf(m.group(2));
        double b = v * Math.pow(1024, power);
        return b >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) b;
    }

    /** systemd's format_timespan: "20s", "1min 24s", "60ms"; null when none of it reads. */
    static Duration span(String s) {
        Matcher m = SPAN.matcher(s);
        double nanos = 0;
        boolean any = false;
        while (m.find()) {
            any = true;
            double v = Double.parseDouble(m.group(1));
            double unit = switch (m.group(2)) {
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "min" -> 60e9;
                case "h" -> 3600e9;
                case "d" -> 86400e9;
                case "w" -> 7 * 86400e9;
                case "M" -> 30.44 * 86400e9;
                default -> 365.25 * 86400e9;
            };
            nanos += v * unit;
        }
        return any && nanos < 1e18 ? Duration.ofNanos((long) nanos) : null;
    }
}
