package io.colabtop.core.oom;

import io.colabtop.core.HostText;
import io.colabtop.core.oom.OomEvent.Constraint;
import io.colabtop.core.oom.OomEvent.Killer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads who killed what out of a host's log: the kernel OOM killer's report, systemd-oomd's kill
 * lines, and systemd's words about the units that lost processes. The lines come from whichever
 * source the host let colabtop read (see the probe's {@code oomlog}), in any of these framings:
 * <pre>
 * 1763912345.123456 trainer kernel: Out of memory: Killed process 4242 (python3) ...   journalctl -o short-unix
 * 2025-05-03T10:32:35.701215+02:00 trainer kernel: ...                              rsyslog, RFC 3339
 * May  3 10:32:35 trainer kernel: [421366.701215] Out of memory: ...                 rsyslog, classic (no year, local time)
 * [ 5605.388515] Memory cgroup out of memory: Killed process 28585 (python3) ...    dmesg (seconds since boot)
 * [Fri Nov 21 14:22:56 2025] Out of memory: Killed process ...                       dmesg -T
 * </pre>
 * and a line in none of them (a journal printed in another locale) still counts, without a time.
 *
 * <p>The kernel's victim line changed over the years; all of these are read (recorded examples and
 * where they came from are in core/src/test/resources/oom/README.md):
 * <pre>
 * Killed process 1312 (java) total-vm:2133696kB, anon-rss:256140kB, file-rss:0kB                 before 4.5
 * Killed process 27438 (R) total-vm:…kB, anon-rss:…kB, file-rss:4kB, shmem-rss:0kB                 4.5 - 4.19, after "Out of memory: Kill process 27438 (R) score 31 or sacrifice child"
 * Killed process 42452 (memcg_test_1), UID 0, total-vm:7296kB, …                                   RHEL 7's 3.10
 * Out of memory: Killed process 15784 (python3) total-vm:…kB, anon-rss:…kB, file-rss:…kB, shmem-rss:0kB       5.0 - 5.2
 * …, shmem-rss:0kB, UID:1000                                                                        5.3 - 5.4
 * Out of memory: Killed process 393802 (java) total-vm:…kB, …, shmem-rss:148kB, UID:1000 pgtables:5180kB oom_score_adj:0   5.5 - 6.x
 * </pre>
 * Since 4.19 the kernel also prints {@code oom-kill:constraint=CONSTRAINT_MEMCG,…,oom_memcg=/docker/ab12,
 * task_memcg=/docker/ab12,task=python3,pid=28585,uid=0} first: what ran out, and the victim's cgroup.
 * A comm is at most 15 bytes but may hold {@code )}, spaces and commas ({@code ((resolved))}): the
 * victim line is read from its fixed tail, the summary from its end.
 *
 * <p>systemd-oomd, by era: {@code Killed /…/app.scope due to memory pressure for /…/user@1000.service
 * being 57.97% > 50.00% for > 20s with reclaim activity}; {@code Killed X due to swap used (N) / total (N)
 * being more than 90.00%} (249); {@code … due to memory used (N) / total (N) and swap used (N) / total (N)
 * being more than 90.00%} (250+); and since 256 {@code Marked X for killing due to …}. systemd then says
 * {@code X: systemd-oomd killed 27 process(es) in this unit.}, and after a kernel kill
 * {@code X: A process of this unit has been killed by the OOM killer.}; {@code X: Failed with result
 * 'oom-kill'.} means the whole unit was stopped.
 */
public final class KillLog {
    /** Most events kept, newest last. */
    public static final int MAX_EVENTS = 100;
    /** Lines read at most (the probe sends the last 400 matching ones). */
    static final int MAX_LINES = 4000;
    /** A unit line belongs to a kill logged this close to it. */
    static final Duration NEAR = Duration.ofSeconds(30);

    private static final String MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec";
    private static final String IDENT = "([^\\s:\\[]+)(?:\\[\\d+\\])?: ";
    private static final Pattern UNIX = Pattern.compile("^(\\d{9,11})(?:\\.(\\d{1,9}))? \\S+ " + IDENT + "(.*)$");
    private static final Pattern ISO = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:[.,]\\d{1,9})?)"
            + "(Z|[+-]\\d\\d:?\\d\\d)? \\S+ " + IDENT + "(.*)$");
    private static final Pattern SYSLOG = Pattern.compile(
            "^(" + MONTHS + ") +(\\d{1,2}) (\\d\\d):(\\d\\d):(\\d\\d)(?:\\.\\d+)? \\S+ " + IDENT + "(.*)$");
    private static final Pattern DMESG = Pattern.compile("^\\[ *(\\d{1,10})\\.(\\d{1,9})\\] (.*)$");
    private static final Pattern DMESG_T = Pattern.compile("^\\[(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (" + MONTHS
            + ") +(\\d{1,2}) (\\d\\d):(\\d\\d):(\\d\\d) (\\d{4})\\] (.*)$");
    private static final Pattern UPTIME_PREFIX = Pattern.compile("^\\[ *\\d+\\.\\d+\\] ");

    private static final Pattern SUMMARY = Pattern.compile(
            "oom-kill:constraint=(CONSTRAINT_[A-Z_]+),(.*?),task=(.*),pid=(\\d{1,9}),uid=(\\d{1,10})\\s*$");
    private static final Pattern VICTIM = Pattern.compile("(?:(.*?): )?Killed process (\\d{1,9}) \\((.*)\\),? "
            + "(?:UID (\\d{1,10}), )?total-vm:(\\d{1,19})kB, anon-rss:(\\d{1,19})kB, file-rss:(\\d{1,19})kB"
            + "(?:, shmem-rss:(\\d{1,19})kB)?(?:, UID:(\\d{1,10}))?(?: pgtables:(\\d{1,19})kB)?"
            + "(?: oom_score_adj:(-?\\d{1,5}))?");
    private static final Pattern OLD_HEADER = Pattern.compile(
            "(Memory cgroup out of memory|Out of memory(?: \\([^)]*\\))?): Kill process (\\d{1,9}) \\(.*\\) score");
    private static final Pattern UNIT_KERNEL =
            Pattern.compile("(\\S+): A process of this unit has been killed by the OOM killer");
    private static final Pattern UNIT_FAILED = Pattern.compile("(\\S+): Failed with result 'oom-kill'");
    private static final Pattern UNIT_OOMD =
            Pattern.compile("(\\S+): systemd-oomd killed (\\d{1,9}|some) process\\(es\\) in this unit");
    private static final String OOMD_HEAD = "(Killed|Marked) (\\S+) (?:for killing )?due to ";
    private static final Pattern OOMD_PRESSURE = Pattern.compile(
            OOMD_HEAD
                    + "memory pressure for (\\S+) being ([\\d.]{1,12})% > ([\\d.]{1,12})% for > (.{1,40}?) with reclaim activity");
    private static final Pattern OOMD_SWAP_249 = Pattern.compile(
            OOMD_HEAD + "swap used \\((\\d{1,20})\\) / total \\((\\d{1,20})\\) being more than ([\\d.]{1,12})%");
    private static final Pattern OOMD_SWAP = Pattern.compile(OOMD_HEAD
            + "memory used \\((\\d{1,20})\\) / total \\((\\d{1,20})\\) and swap used \\((\\d{1,20})\\) / total"
            + " \\((\\d{1,20})\\) being more than ([\\d.]{1,12})%");

    private KillLog() {}

    /** One line, framed: when, and what it said. */
    private record Line(int index, Instant time, String message) {}

    /** A unit line waiting for the kill it belongs to. */
    private record UnitLine(Line line, HostText unit, Kind kind, Integer count) {}

    private enum Kind {
        LOST_PROCESS,
        FAILED,
        OOMD_KILLED
    }

    /** What the kernel's summary said about a pid (4.19+). */
    private record Summary(String constraint, String oomMemcg, String taskMemcg, Integer uid) {}

    /** Kills in {@code log} (any of the framings above, one per line), oldest first, at most {@link #MAX_EVENTS}. */
    public static List<OomEvent> parse(String log, LogClock clock) {
        if (log == null || log.isBlank()) {
            return List.of();
        }
        List<OomEvent> events = new ArrayList<>();
        List<Line> eventLines = new ArrayList<>();
        List<UnitLine> units = new ArrayList<>();
        Map<Integer, Summary> summaries = new HashMap<>();
        Map<Integer, Boolean> memcgHeader = new HashMap<>();
        String[] raw = log.split("\n", MAX_LINES + 1);
        for (int i = 0; i < Math.min(raw.length, MAX_LINES); i++) {
            Line l = frame(i, raw[i], clock);
            String m = l.message();
            Matcher x;
            if (m.contains("oom-kill:constraint=") && (x = SUMMARY.matcher(m)).find()) {
                summaries.put(
                        Integer.parseInt(x.group(4)),
                        new Summary(
                                x.group(1),
                                field(x.group(2), "oom_memcg"),
                                field(x.group(2), "task_memcg"),
                                uid(x.group(5))));
            } else if (m.contains("Killed process ") && (x = VICTIM.matcher(m)).find()) {
                events.add(victim(l, x, summaries, memcgHeader));
                eventLines.add(l);
            } else if (m.contains("Kill process ") && (x = OLD_HEADER.matcher(m)).find()) {
                memcgHeader.put(Integer.parseInt(x.group(2)), x.group(1).startsWith("Memory cgroup"));
            } else if (m.contains(" due to ") && (m.contains("Killed ") || m.contains("Marked "))) {
                OomEvent e = oomd(l, m);
                if (e != null) {
                    events.add(e);
                    eventLines.add(l);
                }
            } else if (m.contains("killed by the OOM killer") && (x = UNIT_KERNEL.matcher(m)).find()) {
                units.add(new UnitLine(l, unit(x.group(1)), Kind.LOST_PROCESS, null));
            } else if (m.contains("'oom-kill'") && (x = UNIT_FAILED.matcher(m)).find()) {
                units.add(new UnitLine(l, unit(x.group(1)), Kind.FAILED, null));
            } else if (m.contains("systemd-oomd killed") && (x = UNIT_OOMD.matcher(m)).find()) {
                Integer n = x.group(2).equals("some") ? null : parseInt(x.group(2));
                units.add(new UnitLine(l, unit(x.group(1)), Kind.OOMD_KILLED, n));
            }
        }
        for (UnitLine u : units) {
            int at = nearest(eventLines, events, u);
            if (at >= 0) {
                events.set(at, events.get(at).withUnit(u.unit(), u.kind() == Kind.FAILED, u.count()));
            } else if (u.kind() == Kind.OOMD_KILLED) {
                // oomd's own line was not in what colabtop could read (a user journal): the unit's is enough
                events.add(new OomEvent(
                        u.line().time(),
                        Killer.SYSTEMD_OOMD,
                        Constraint.UNKNOWN,
                        "systemd-oomd killed " + (u.count() == null ? "some" : u.count()) + " process(es) in "
                                + u.unit().exact() + " (oomd's reason was not in the log colabtop read)",
                        null,
                        u.unit(),
                        null,
                        null,
                        null,
                        null,
                        null,
                        List.of(u.unit()),
                        List.of(),
                        u.count()));
                eventLines.add(u.line());
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            order.add(i);
        }
        // oldest first; a line without a time keeps its place in the log
        order.sort(Comparator.comparing((Integer i) -> sortKey(eventLines.get(i)))
                .thenComparingInt(i -> eventLines.get(i).index()));
        List<OomEvent> sorted = new ArrayList<>();
        order.forEach(i -> sorted.add(events.get(i)));
        return sorted.size() > MAX_EVENTS
                ? List.copyOf(sorted.subList(sorted.size() - MAX_EVENTS, sorted.size()))
                : List.copyOf(sorted);
    }

    private static Instant sortKey(Line l) {
        return l.time() == null ? Instant.MIN : l.time();
    }

    private static OomEvent victim(Line l, Matcher x, Map<Integer, Summary> summaries, Map<Integer, Boolean> headers) {
        int pid = Integer.parseInt(x.group(2));
        String prefix = x.group(1) == null ? "" : x.group(1);
        Summary s = summaries.remove(pid);
        Boolean memcgHead = headers.remove(pid);
        long rssBytes = kibToBytes(x.group(6), x.group(7), x.group(8));
        Integer uid = x.group(9) != null ? uid(x.group(9)) : x.group(4) != null ? uid(x.group(4)) : null;
        if (uid == null && s != null) {
            uid = s.uid();
        }
        Constraint c;
        HostText limit = null;
        if (s != null) {
            c = switch (s.constraint()) {
                case "CONSTRAINT_NONE" -> Constraint.HOST;
                case "CONSTRAINT_MEMCG" -> Constraint.CGROUP_LIMIT;
                case "CONSTRAINT_CPUSET", "CONSTRAINT_MEMORY_POLICY" -> Constraint.NODES;
                default -> Constraint.UNKNOWN;
            };
            if (c == Constraint.CGROUP_LIMIT && s.oomMemcg() != null) {
                limit = HostText.of(s.oomMemcg(), 1024);
            }
        } else if (prefix.contains("Memory cgroup out of memory") || Boolean.TRUE.equals(memcgHead)) {
            c = Constraint.CGROUP_LIMIT;
        } else if (prefix.contains("Out of memory") || Boolean.FALSE.equals(memcgHead)) {
            c = Constraint.HOST;
        } else {
            c = Constraint.UNKNOWN;
        }
        String reason = switch (c) {
            case HOST -> "host out of memory";
            case CGROUP_LIMIT ->
                limit == null
                        ? "a memory cgroup's limit was hit (not a host OOM; this kernel does not say which)"
                        : "memory limit of cgroup " + limit.exact() + " hit (not a host OOM)";
            case NODES -> "out of memory on the NUMA nodes it may use (cpuset or memory policy)";
            default -> "out of memory (the kernel did not say what ran out)";
        };
        return new OomEvent(
                l.time(),
                Killer.KERNEL,
                c,
                reason,
                pid,
                HostText.of(x.group(3), 64),
                rssBytes,
                x.group(11) == null ? null : parseInt(x.group(11)),
                uid,
                s == null || s.taskMemcg() == null ? null : HostText.of(s.taskMemcg(), 1024),
                limit,
                List.of(),
                List.of(),
                null);
    }

    private static OomEvent oomd(Line l, String m) {
        Matcher x = OOMD_PRESSURE.matcher(m);
        if (x.find()) {
            HostText killed = HostText.of(x.group(2), 1024);
            HostText monitored = HostText.of(x.group(3), 1024);
            return oomdKill(
                    l,
                    Constraint.PRESSURE,
                    "memory pressure (full avg10) of " + monitored.exact() + " " + x.group(4) + "% > " + x.group(5)
                            + "% for > " + x.group(6),
                    killed,
                    monitored);
        }
        x = OOMD_SWAP.matcher(m);
        if (x.find()) {
            HostText killed = HostText.of(x.group(2), 1024);
            return oomdKill(
                    l,
                    Constraint.SWAP,
                    "memory used " + percent(x.group(3), x.group(4)) + " and swap used "
                            + percent(x.group(5), x.group(6)) + ", both over " + x.group(7)
                            + "% (oomd's swap rule: the cgroup using the most swap)",
                    killed,
                    null);
        }
        x = OOMD_SWAP_249.matcher(m);
        if (x.find()) {
            HostText killed = HostText.of(x.group(2), 1024);
            return oomdKill(
                    l,
                    Constraint.SWAP,
                    "swap used " + percent(x.group(3), x.group(4)) + ", over " + x.group(5)
                            + "% (oomd's swap rule: the cgroup using the most swap)",
                    killed,
                    null);
        }
        return null;
    }

    /** Index of the kill {@code u} belongs to: the nearest compatible one in time (else in the log), or -1. */
    private static int nearest(List<Line> lines, List<OomEvent> events, UnitLine u) {
        int best = -1;
        long bestDistance = Long.MAX_VALUE;
        for (int i = 0; i < events.size(); i++) {
            OomEvent e = events.get(i);
            boolean fits = switch (u.kind()) {
                case LOST_PROCESS -> e.killer() == Killer.KERNEL;
                case OOMD_KILLED -> e.killer() == Killer.SYSTEMD_OOMD;
                case FAILED -> true;
            };
            if (!fits) {
                continue;
            }
            Line l = lines.get(i);
            long d;
            if (l.time() != null && u.line().time() != null) {
                Duration gap = Duration.between(l.time(), u.line().time()).abs();
                if (gap.compareTo(NEAR) > 0) {
                    continue;
                }
                d = gap.toMillis();
            } else {
                d = Math.abs((long) l.index() - u.line().index()) * 1000;
                if (d > 200_000) {
                    continue;
                }
            }
            // a kill that names the unit's cgroup (oomd's victim, the kernel's task_memcg) wins over a nearer one
            if (e.cgroup().exact().endsWith("/" + u.unit().exact())) {
                d = -1;
            }
            if (d < bestDistance) {
                bestDistance = d;
                best = i;
            }
        }
        return best;
    }

    /** When and what: the framing parsed off, the message left (the whole line when no framing fits). */
    static Line frame(int index, String line, LogClock clock) {
        Matcher m;
        if ((m = UNIX.matcher(line)).matches()) {
            long s = Long.parseLong(m.group(1));
            long nanos = m.group(2) == null ? 0 : fraction(m.group(2));
            return new Line(index, Instant.ofEpochSecond(s, nanos), stripUptime(m.group(4)));
        }
        if ((m = ISO.matcher(line)).matches()) {
            return new Line(index, iso(m.group(1), m.group(2), clock), stripUptime(m.group(4)));
        }
        if ((m = SYSLOG.matcher(line)).matches()) {
            return new Line(index, syslog(m, clock), stripUptime(m.group(7)));
        }
        if ((m = DMESG.matcher(line)).matches()) {
            Instant t = clock.bootTime() == null
                    ? null
                    : clock.bootTime().plusSeconds(Long.parseLong(m.group(1))).plusNanos(fraction(m.group(2)));
            return new Line(index, t, m.group(3));
        }
        if ((m = DMESG_T.matcher(line)).matches()) {
            Instant t = local(
                    Integer.parseInt(m.group(6)),
                    month(m.group(1)),
                    Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)),
                    Integer.parseInt(m.group(4)),
                    Integer.parseInt(m.group(5)),
                    clock.offset());
            return new Line(index, t, m.group(7));
        }
        return new Line(index, null, line);
    }

    private static String stripUptime(String message) {
        return UPTIME_PREFIX.matcher(message).replaceFirst("");
    }

    private static Instant iso(String local, String zone, LogClock clock) {
        try {
            ZoneOffset off = clock.offset();
            if (zone != null) {
                off = zone.equals("Z")
                        ? ZoneOffset.UTC
                        : ZoneOffset.of(zone.length() == 5 ? zone.substring(0, 3) + ":" + zone.substring(3) : zone);
            }
            return LocalDateTime.parse(local.replace(',', '.')).toInstant(off);
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    /** A classic syslog time: this year in the host's offset, or last year if that would be in the future. */
    private static Instant syslog(Matcher m, LogClock clock) {
        int year = OffsetDateTime.ofInstant(clock.now(), clock.offset()).getYear();
        int month = month(m.group(1));
        int day = Integer.parseInt(m.group(2));
        int h = Integer.parseInt(m.group(3));
        int min = Integer.parseInt(m.group(4));
        int s = Integer.parseInt(m.group(5));
        Instant t = local(year, month, day, h, min, s, clock.offset());
        if (t != null
                && !clock.now().equals(Instant.EPOCH)
                && t.isAfter(clock.now().plus(Duration.ofDays(1)))) {
            t = local(year - 1, month, day, h, min, s, clock.offset());
        }
        return t;
    }

    private static Instant local(int y, int mo, int d, int h, int mi, int s, ZoneOffset off) {
        try {
            return LocalDateTime.of(y, mo, d, h, mi, s).toInstant(off);
        } catch (java.time.DateTimeException e) {
            return null; // Feb 30 from a garbled line
        }
    }

    private static int month(String name) {
        return MONTHS.indexOf(name) / 4 + 1;
    }

    private static long fraction(String digits) {
        String d = (digits + "000000000").substring(0, 9);
        return Long.parseLong(d);
    }

    /** The value of {@code key=} in the kernel's comma-separated summary, or null. */
    private static String field(String fields, String key) {
        String k = key + "=";
        int at = fields.startsWith(k) ? 0 : fields.indexOf("," + k);
        if (at < 0) {
            return null;
        }
        int from = at == 0 && fields.startsWith(k) ? k.length() : at + 1 + k.length();
        // task_memcg is the last field before task=: a cgroup path may hold commas, so it runs to the end
        if (key.equals("task_memcg")) {
            return fields.substring(from);
        }
        int end = fields.indexOf(",task_memcg=", from);
        if (end < 0) {
            end = fields.indexOf(',', from);
        }
        return fields.substring(from, end < 0 ? fields.length() : end);
    }

    private static HostText unit(String s) {
        return HostText.of(s, 512);
    }

    /** A kill of systemd-oomd's own line: the cgroup it killed, and the one whose limit it watched (or null). */
    private static OomEvent oomdKill(
            Line l, Constraint constraint, String reason, HostText killed, HostText monitored) {
        return new OomEvent(
                l.time(),
                Killer.SYSTEMD_OOMD,
                constraint,
                reason,
                null,
                leaf(killed),
                null,
                null,
                null,
                killed,
                monitored,
                List.of(),
                List.of(),
                null);
    }

    private static HostText leaf(HostText cgroup) {
        String e = cgroup.exact();
        int slash = e.lastIndexOf('/');
        return HostText.of(slash >= 0 && slash < e.length() - 1 ? e.substring(slash + 1) : e, 512);
    }

    private static String percent(String used, String total) {
        try {
            double u = Double.parseDouble(used);
            double t = Double.parseDouble(total);
            return t <= 0 ? "?" : String.format(Locale.ROOT, "%.0f%%", 100 * u / t);
        } catch (NumberFormatException e) {
            return "?";
        }
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A user id as the kernel prints it (unsigned 32 bits); null when it is not one. */
    private static Integer uid(String s) {
        try {
            long v = Long.parseLong(s);
            return v >= 0 && v <= Integer.MAX_VALUE ? (int) v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The sum of some kB figures in bytes, saturating: a garbled line cannot overflow into a negative size. */
    private static long kibToBytes(String... kib) {
        long sum = 0;
        for (String k : kib) {
            if (k == null) {
                continue;
            }
            try {
                long v = Long.parseLong(k);
                sum = v > (Long.MAX_VALUE >> 10) - sum ? Long.MAX_VALUE >> 10 : sum + v;
            } catch (NumberFormatException e) {
                return Long.MAX_VALUE;
            }
        }
        return sum << 10;
    }
}
