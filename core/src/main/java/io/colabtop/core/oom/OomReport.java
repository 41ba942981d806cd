package io.colabtop.core.oom;

import io.colabtop.core.HostText;
import io.colabtop.core.MemInfo;
import io.colabtop.core.Words;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a snapshot knows about OOM kills on its host: the kernel's kill counter and boot id (read
 * every tick: two tiny reads), the kills found in its log and where that log came from (read on
 * connect and when the counter moves), systemd-oomd's state (every few ticks) and the cgroups of
 * the top processes (for which killer can reach them).
 *
 * @param killsSinceBoot {@code oom_kill} of /proc/vmstat (kernel 4.13+; memory-cgroup kills count
 *                       too); null where the kernel has no such counter
 * @param bootId         /proc/sys/kernel/random/boot_id, or null
 * @param source         where {@code events} were read: journal, kern.log, dmesg, or none; null
 *                       before the log was read
 * @param sourceNote     which sources were tried and why each was not used, or null
 * @param events         kills found, oldest first
 * @param oomd           systemd-oomd's state, or null before it was read
 * @param cgroups        cgroup path of each top process, by pid
 */
public record OomReport(
        Long killsSinceBoot,
        String bootId,
        String source,
        String sourceNote,
        List<OomEvent> events,
        OomdState oomd,
        Map<Integer, HostText> cgroups) {
    /** The oom_kill figure: digits, at most a long (read every tick, so compiled once). */
    private static final java.util.regex.Pattern COUNTER = java.util.regex.Pattern.compile("\\d{1,19}");

    public static final OomReport NONE = new OomReport(null, null, null, null, List.of(), null, Map.of());

    private static final Pattern BOOT_ID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    public OomReport {
        events = events == null ? List.of() : List.copyOf(events);
        cgroups = cgroups == null ? Map.of() : Map.copyOf(cgroups);
        bootId = bootId == null || !BOOT_ID.matcher(bootId.strip()).matches() ? null : bootId.strip();
    }

    /** Kills logged in the {@code window} before {@code now} (the table's badge). */
    public int killsWithin(Duration window, Instant now) {
        Instant from = now.minus(window);
        int n = 0;
        for (OomEvent e : events) {
            if (e.time() != null && e.time().isAfter(from) && !e.time().isAfter(now.plusSeconds(60))) {
                n++;
            }
        }
        return n;
    }

    /** The newest kill, or null. */
    public OomEvent latest() {
        return events.isEmpty() ? null : events.get(events.size() - 1);
    }

    /** Which oomd rule can kill {@code pid}, and how close it is. */
    public OomdCoverage coverage(int pid, MemInfo memory) {
        HostText cg = cgroups.get(pid);
        return OomdCoverage.of(oomd, cg == null ? null : cg.exact(), memory);
    }

    /**
     * This report, with the log's kills and oomd's state of {@code previous} where this tick did
     * not read them (they are read on connect, when the counter moves, and every few ticks), as
     * long as the host did not reboot in between.
     */
    public OomReport carryFrom(OomReport previous) {
        if (previous == null || (bootId != null && previous.bootId != null && !bootId.equals(previous.bootId))) {
            return this;
        }
        boolean keepLog = source == null && previous.source != null;
        return new OomReport(
                killsSinceBoot,
                bootId != null ? bootId : previous.bootId,
                keepLog ? previous.source : source,
                keepLog ? previous.sourceNote : sourceNote,
                keepLog ? previous.events : events,
                oomd != null ? oomd : previous.oomd,
                cgroups);
    }

    /** Where the log came from and what it says. */
    public record History(String source, String note, List<OomEvent> events) {}

    /**
     * Reads the probe's two oom sections: {@code oomsrc}, lines the probe writes itself
     * <pre>
     * clock 1763912345 +0000 1763900000
     * tried journal empty
     * tried kern.log absent
     * source dmesg
     * </pre>
     * and {@code oomlog}, the matching lines of that source. Null when the tick did not read them.
     */
    public static History history(String sourceText, String log) {
        if (sourceText == null) {
            return null;
        }
        LogClock clock = LogClock.UTC_NOW_UNKNOWN_BOOT;
        String source = "none";
        List<String> tried = new ArrayList<>();
        for (String line : sourceText.split("\n")) {
            String[] f = Words.of(line);
            if (f[0].equals("clock")) {
                clock = LogClock.parse(line);
            } else if (f[0].equals("source") && f.length >= 2) {
                source = switch (f[1]) {
                    case "journal", "kern.log", "dmesg" -> f[1];
                    default -> "none";
                };
            } else if (f[0].equals("tried") && f.length >= 3) {
                tried.add(tried(f[1], f[2]));
            }
        }
        List<OomEvent> events = source.equals("none") ? List.of() : KillLog.parse(log, clock);
        String note = tried.isEmpty() ? null : String.join("; ", tried);
        if (source.equals("none") && note == null) {
            note = "no kernel log was readable";
        }
        return new History(source, note, events);
    }

    /** Why a source was passed over, in words, from the probe's fixed codes (anything else is not echoed). */
    private static String tried(String what, String why) {
        return switch (what + " " + why) {
            case "journal none" -> "journal: no journalctl";
            case "journal empty" ->
                "journal: no kernel messages readable (no persistent journal, or this user is "
                        + "not in the systemd-journal or adm group)";
            case "kern.log absent" -> "kern.log: /var/log/kern.log does not exist";
            case "kern.log unreadable" -> "kern.log: /var/log/kern.log is not readable by this user (adm group)";
            case "kern.log empty" -> "kern.log: /var/log/kern.log is empty";
            case "dmesg absent" -> "dmesg: not installed";
            case "dmesg refused" ->
                "dmesg: refused (kernel.dmesg_restrict=1), and sudo -n dmesg too (no passwordless sudo)";
            default ->
                switch (what) {
                    case "journal", "kern.log", "dmesg" -> what + ": not usable";
                    default -> "a source colabtop does not know";
                };
        };
    }

    /** {@code oom_kill 3} of /proc/vmstat; null when absent (kernels before 4.13) or garbled. */
    public static Long oomKillCounter(String vmstat) {
        if (vmstat == null) {
            return null;
        }
        for (String line : vmstat.split("\n")) {
            if (line.startsWith("oom_kill ")) {
                String v = line.substring(9).strip();
                if (COUNTER.matcher(v).matches()) {
                    try {
                        return Long.parseLong(v);
                    } catch (NumberFormatException e) {
                        return null;
                    }
                }
            }
        }
        return null;
    }

    /**
     * The cgroup path in the text of /proc/PID/cgroup: the unified hierarchy's {@code 0::/user.slice/…}
     * line, else the {@code 1:name=systemd:/…} line of a v1 host; null when neither is there.
     */
    public static String cgroupPath(String procPidCgroup) {
        if (procPidCgroup == null) {
            return null;
        }
        String named = null;
        for (String line : procPidCgroup.split("\n")) {
            if (line.startsWith("0::")) {
                return line.substring(3);
            }
            int at = line.indexOf(":name=systemd:");
            if (at > 0 && named == null) {
                named = line.substring(at + ":name=systemd:".length());
            }
        }
        return named;
    }

    /** Cgroup paths by pid, from the texts of /proc/PID/cgroup. */
    public static Map<Integer, HostText> cgroups(Map<Integer, String> texts) {
        Map<Integer, HostText> out = new LinkedHashMap<>();
        if (texts != null) {
            texts.forEach((pid, t) -> {
                String p = cgroupPath(t);
                if (p != null) {
                    out.put(pid, HostText.of(p, 1024));
                }
            });
        }
        return out;
    }
}
