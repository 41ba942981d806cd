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

/** The plain-text table of {@code colabtop status}: one block per host, for a terminal or a log. */
public final class StatusTable {
    private StatusTable() {}

    public static String write(List<HostState> hosts, int processesShown) {
        StringBuilder sb = new StringBuilder();
        for (HostState h : hosts) {
            HostSnapshot s = h.latest();
            if (!h.reachable() || s == null) {
                sb.append(h.name()).append(": UNREACHABLE: ").append(h.error()).append("\n\n");
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
                sb.append(String.format(
                        Locale.ROOT,
                        "  %7d %-10.10s %7s %5d %6d  %s%n",
                        p.pid(),
                        p.user(),
                        ByteFormat.bytes(p.rssBytes()),
                        p.oomScore(),
                        p.oomScoreAdj(),
                        p.displayCommand()));
            }
            sb.append('\n');
        }
        return sb.toString();
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
