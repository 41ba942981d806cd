package io.colabtop.app.output;

import io.colabtop.core.ByteFormat;
import io.colabtop.core.HostSnapshot;
import io.colabtop.core.HostState;
import io.colabtop.core.MemInfo;
import io.colabtop.core.ProcessInfo;
import io.colabtop.core.oom.OomEvent;
import io.colabtop.core.oom.OomReport;
import java.util.List;
import java.util.Locale;

/**
 * The plain-text table of {@code colabtop status}: one block per host, for a terminal or a log. On
 * a terminal, command lines are cut to its width (JSON and CSV keep them whole). A host that could
 * not be read is one line here; why is said once, on stderr.
 */
public final class StatusTable {
    private StatusTable() {}

    public static String write(List<HostState> hosts, int processesShown) {
        return write(hosts, processesShown, 0);
    }

    /** @param width the terminal's columns, or 0 to cut nothing (not a terminal) */
    public static String write(List<HostState> hosts, int processesShown, int width) {
        StringBuilder sb = new StringBuilder();
        for (HostState h : hosts) {
            HostSnapshot s = h.latest();
            if (!h.reachable() || s == null) {
                sb.append(h.name()).append(": UNREACHABLE\n\n");
                continue;
            }
            MemInfo m = s.memory();
            sb.append(String.format(
                    Locale.ROOT,
                    "%s: RAM %s/%s (available %s)  swap %s  PSI some %s full %s  cpus %d%n",
                    h.name(),
                    ByteFormat.bytes(m.usedBytes()),
                    ByteFormat.bytes(m.totalBytes()),
                    ByteFormat.bytes(m.availableBytes()),
                    m.swapTotalBytes() == 0
                            ? "NONE"
                            : ByteFormat.bytes(m.swapUsedBytes()) + "/" + ByteFormat.bytes(m.swapTotalBytes()),
                    s.pressure() == null
                            ? "n/a"
                            : String.format(Locale.ROOT, "%.2f", s.pressure().someAvg10()),
                    s.pressure() == null
                            ? "n/a"
                            : String.format(Locale.ROOT, "%.2f", s.pressure().fullAvg10()),
                    s.cpuCount()));
            s.swaps()
                    .forEach(a -> sb.append(String.format(
                            Locale.ROOT,
                            "  swap %s %s used %s prio %d%n",
                            a.path(),
                            ByteFormat.bytes(a.sizeBytes()),
                            ByteFormat.bytes(a.usedBytes()),
                            a.priority())));
            s.gpus()
                    .forEach(g -> sb.append(String.format(
                            Locale.ROOT,
                            "  gpu%d %s mem %s/%s util %s%n",
                            g.index(),
                            g.name(),
                            g.memoryUsedBytes() == null ? "?" : ByteFormat.bytes(g.memoryUsedBytes()),
                            g.memoryTotalBytes() == null ? "?" : ByteFormat.bytes(g.memoryTotalBytes()),
                            g.utilizationPercent() == null ? "?" : g.utilizationPercent() + "%")));
            if (s.gpuError() != null) {
                sb.append("  gpu: ").append(s.gpuError()).append('\n');
            }
            oom(sb, s.oom());
            sb.append(String.format(
                    Locale.ROOT, "  %7s %-10s %7s %5s %6s  %s%n", "PID", "USER", "RSS", "OOM", "ADJ", "COMMAND"));
            for (ProcessInfo p : s.processes()
                    .subList(0, Math.min(processesShown, s.processes().size()))) {
                String head = String.format(
                        Locale.ROOT,
                        "  %7d %-10.10s %7s %5d %6d  ",
                        p.pid(),
                        p.user(),
                        ByteFormat.bytes(p.rssBytes()),
                        p.oomScore(),
                        p.oomScoreAdj());
                String cmd = p.displayCommand();
                if (width > 0 && head.length() + cmd.length() > width) {
                    cmd = io.colabtop.core.SafeText.clip(cmd, Math.max(1, width - head.length() - 1));
                }
                sb.append(head).append(cmd).append('\n');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** One row per host for --format csv: the figures a spreadsheet wants, exact. */
    public static String csv(List<HostState> hosts) {
        List<List<Object>> rows = new java.util.ArrayList<>();
        for (HostState h : hosts) {
            HostSnapshot s = h.reachable() ? h.latest() : null;
            MemInfo m = s == null ? null : s.memory();
            ProcessInfo top = s == null ? null : s.topOomCandidate();
            rows.add(java.util.Arrays.asList(
                    h.name(),
                    h.reachable(),
                    h.error(),
                    m == null ? null : m.totalBytes(),
                    m == null ? null : m.availableBytes(),
                    m == null ? null : m.swapTotalBytes(),
                    m == null ? null : m.swapFreeBytes(),
                    s == null || s.pressure() == null ? null : s.pressure().someAvg10(),
                    s == null || s.pressure() == null ? null : s.pressure().fullAvg10(),
                    s == null ? null : s.cpuCount(),
                    s == null ? null : s.gpuMemoryUsedBytes(),
                    s == null ? null : s.gpuMemoryTotalBytes(),
                    top == null ? null : top.pid(),
                    top == null ? null : top.exactCommand(),
                    top == null ? null : top.oomScore(),
                    top == null ? null : top.oomScoreAdj()));
        }
        return Csv.write(
                List.of(
                        "host",
                        "reachable",
                        "error",
                        "memTotalBytes",
                        "memAvailableBytes",
                        "swapTotalBytes",
                        "swapFreeBytes",
                        "psiSomeAvg10",
                        "psiFullAvg10",
                        "cpus",
                        "gpuMemoryUsedBytes",
                        "gpuMemoryTotalBytes",
                        "topPid",
                        "topCommand",
                        "topOomScore",
                        "topOomScoreAdj"),
                rows);
    }

    /** The kill counter, where the log was read, oomd, and the three newest kills. */
    private static void oom(StringBuilder sb, OomReport r) {
        sb.append("  oom: ")
                .append(r.killsSinceBoot() == null ? "no kill counter" : r.killsSinceBoot() + " kills since boot")
                .append(r.source() == null ? "" : " (log: " + r.source() + ")")
                .append("; systemd-oomd ")
                .append(r.oomd() == null ? "not checked" : r.oomd().status().label())
                .append('\n');
        if ("none".equals(r.source()) && r.sourceNote() != null) {
            sb.append("  oom: no log readable: ").append(r.sourceNote()).append('\n');
        }
        List<OomEvent> ev = r.events();
        for (int i = ev.size() - 1; i >= 0 && i >= ev.size() - 3; i--) {
            OomEvent e = ev.get(i);
            sb.append("  oom: ")
                    .append(e.time() == null ? "(no time)" : e.time().toString())
                    .append(' ')
                    .append(e.summary())
                    .append('\n');
        }
    }
}
