package io.colabtop.app.tui.render;

import io.colabtop.app.tui.state.FleetView;
import io.colabtop.app.tui.state.HostTable;
import io.colabtop.core.ByteFormat;
import io.colabtop.core.Gpu;
import io.colabtop.core.HostSnapshot;
import io.colabtop.core.HostState;
import io.colabtop.core.MemInfo;
import io.colabtop.core.ProcessInfo;
import io.colabtop.core.SwapArea;
import io.colabtop.core.Thresholds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One host in full: memory, swaps, GPUs, and its processes by oom_score. Pure, like the table. */
public final class HostDetailRenderer {
    private final Thresholds thresholds;

    public HostDetailRenderer(Thresholds thresholds) {
        this.thresholds = thresholds;
    }

    public List<Line> render(FleetView view, List<KeyHelp> hints, int cols, int rows, Instant now) {
        List<Line> out = new ArrayList<>();
        HostState h = view.hosts().selectedState();
        if (h == null) {
            out.add(Line.of("no host selected", Style.DIM));
            return out;
        }
        HostSnapshot s = h.latest();
        String state = h.pending() ? "connecting" : h.reachable() ? "up" : "DOWN";
        out.add(Line.of(
                Line.fit(
                        String.format(
                                Locale.ROOT,
                                " %s  %s  data %s old%s",
                                view.vms().label(h.name()),
                                state,
                                ByteFormat.age(h.staleness(now)),
                                s != null && s.kernel() != null ? "  " + s.kernel() : ""),
                        cols),
                Style.TITLE));
        if (!h.reachable() && h.error() != null) {
            out.add(Line.of(Line.fit(" ✗ " + h.error(), cols), Style.CRITICAL));
        }
        io.colabtop.core.cost.VmInfo vm = view.vms().vm(h.name());
        if (vm != null) {
            io.colabtop.core.cost.Money cost = view.vms().costPerHour(h.name());
            String money = cost == null ? "" : "  " + view.vms().fx().format(cost) + "/h";
            String soFar = "";
            if (cost != null && vm.billingCompute() && vm.lastStart() != null) {
                io.colabtop.core.cost.Money spent = io.colabtop.core.cost.CostModel.sinceStart(cost, vm, now);
                soFar = ", " + view.vms().fx().format(spent) + " since it started "
                        + ByteFormat.age(java.time.Duration.between(vm.lastStart(), now)) + " ago";
            }
            String gpus = vm.gpus().isEmpty()
                    ? ""
                    : " + " + vm.gpus().get(0).count() + "x " + vm.gpus().get(0).type();
            out.add(Line.of(
                    Line.fit(
                            " GCE " + vm.project() + "/" + vm.zone() + "  " + vm.machineType() + gpus
                                    + (vm.spot() ? " (spot)" : "") + "  " + vm.status() + money + soFar,
                            cols),
                    Style.TEXT));
        }
        if (view.actions().running(h.name()) != null) {
            out.add(Line.of(Line.fit(" ⟳ " + view.actions().running(h.name()) + " running…", cols), Style.CAREFUL));
        } else if (view.actions().last(h.name()) != null) {
            out.add(Line.of(Line.fit(" last action: " + view.actions().last(h.name()), cols), Style.TEXT));
        }
        if (s == null) {
            pad(out, rows - 1);
            out.add(HintBar.line(cols, hints));
            return out;
        }
        MemInfo m = s.memory();
        Line.Builder mem = new Line.Builder();
        mem.add(" RAM ", Style.HEADER);
        mem.add(ByteFormat.bytes(m.usedBytes()) + "/" + ByteFormat.bytes(m.totalBytes()), Style.of(thresholds.ram(m)));
        mem.add(String.format(Locale.ROOT, " (available %s)  ", ByteFormat.bytes(m.availableBytes())), Style.TEXT);
        mem.add("swap ", Style.HEADER);
        mem.add(
                m.swapTotalBytes() == 0
                        ? "none"
                        : ByteFormat.bytes(m.swapUsedBytes()) + "/" + ByteFormat.bytes(m.swapTotalBytes()),
                Style.of(thresholds.swap(m)));
        mem.add("  PSI ", Style.HEADER);
        mem.add(
                s.pressure() == null
                        ? "n/a (kernel without PSI)"
                        : String.format(
                                Locale.ROOT,
                                "some %.2f/%.2f/%.2f full %.2f/%.2f/%.2f",
                                s.pressure().someAvg10(),
                                s.pressure().someAvg60(),
                                s.pressure().someAvg300(),
                                s.pressure().fullAvg10(),
                                s.pressure().fullAvg60(),
                                s.pressure().fullAvg300()),
                Style.of(thresholds.pressure(s.pressure())));
        double cpu = h.cpuBusyFraction();
        mem.add(
                String.format(
                        Locale.ROOT,
                        "  cpus %d%s",
                        s.cpuCount(),
                        cpu < 0 ? "" : String.format(Locale.ROOT, " %.0f%% busy", cpu * 100)),
                Style.TEXT);
        out.add(clip(mem.build(false), cols));
        if (s.swaps().isEmpty()) {
            out.add(Line.of(
                    Line.fit(" No swap: one spike over RAM and the OOM killer ends the run.", cols), Style.WARNING));
        }
        for (SwapArea a : s.swaps()) {
            out.add(Line.of(
                    Line.fit(
                            String.format(
                                    Locale.ROOT,
                                    " swap %s  %s  %s used  prio %d",
                                    a.path(),
                                    a.type(),
                                    ByteFormat.bytes(a.usedBytes()) + "/" + ByteFormat.bytes(a.sizeBytes()),
                                    a.priority()),
                            cols),
                    Style.TEXT));
        }
        for (Gpu g : s.gpus()) {
            out.add(Line.of(
                    Line.fit(
                            String.format(
                                    Locale.ROOT,
                                    " gpu%d %s  %s/%s  util %s",
                                    g.index(),
                                    g.name(),
                                    g.memoryUsedBytes() == null ? "?" : ByteFormat.bytes(g.memoryUsedBytes()),
                                    g.memoryTotalBytes() == null ? "?" : ByteFormat.bytes(g.memoryTotalBytes()),
                                    g.utilizationPercent() == null ? "?" : g.utilizationPercent() + "%"),
                            cols),
                    Style.of(thresholds.gpu(g.memoryUsedFraction()))));
        }
        for (io.colabtop.core.MountEntry mnt : s.mounts()) {
            out.add(Line.of(
                    Line.fit(" mount " + mnt.device() + " on " + mnt.mountPoint() + " (" + mnt.type() + ")", cols),
                    mnt.gcsfuse() ? Style.OK : Style.TEXT));
        }
        if (s.gpuError() != null) {
            out.add(Line.of(Line.fit(" gpu: " + s.gpuError(), cols), Style.WARNING));
        }
        HostTable t = view.hosts();
        out.add(processHeader(t, cols));
        List<HostTable.ProcessRow> procs = t.processRows();
        int room = Math.max(1, rows - out.size() - 2);
        int sel = Math.min(t.processIndex(), Math.max(0, procs.size() - 1));
        int first = t.firstVisible(procs, sel, room);
        ProcessInfo victim = s.topOomCandidate();
        for (int i = first; i < procs.size() && i < first + room; i++) {
            HostTable.ProcessRow row = procs.get(i);
            ProcessInfo p = row.process();
            String branch = row.depth() == 0 ? "" : "  ".repeat(row.depth() - 1) + " └ ";
            String text = String.format(
                    Locale.ROOT,
                    " %7d %-10.10s %7s %5d %6d %s  %s%s",
                    p.pid(),
                    p.user(),
                    ByteFormat.bytes(p.rssBytes()),
                    p.oomScore(),
                    p.oomScoreAdj(),
                    p.state(),
                    branch,
                    p.displayCommand());
            Style st = p.oomScoreAdj() <= -1000 ? Style.OK : p == victim ? Style.WARNING : Style.TEXT;
            out.add(new Line(List.of(new Line.Span(Line.fit(text, cols), st)), i == sel, "pid:" + p.pid()));
        }
        if (procs.isEmpty() && !t.processFilter().isEmpty()) {
            out.add(Line.of(
                    Line.fit(" no process matches '" + t.processFilter() + "' (/ then Esc clears)", cols), Style.DIM));
        }
        pad(out, rows - 2);
        out.add(Line.of(Line.fit(view.message() == null ? "" : view.message(), cols), Style.TEXT));
        out.add(HintBar.line(cols, hints));
        return out.subList(0, Math.min(out.size(), rows));
    }

    private static void pad(List<Line> out, int rows) {
        while (out.size() < rows) {
            out.add(Line.of("", Style.TEXT));
        }
    }

    private static Line clip(Line l, int cols) {
        List<Line.Span> spans = new ArrayList<>();
        int used = 0;
        for (Line.Span sp : l.spans()) {
            if (used >= cols) {
                break;
            }
            int w = TerminalColumns.width(sp.text());
            String t = w > cols - used ? Line.fit(sp.text(), cols - used) : sp.text();
            spans.add(new Line.Span(t, sp.style()));
            used += Math.min(w, cols - used);
        }
        return new Line(spans, l.selected());
    }

    /** The process table's header: the sorted column marked (▾ worst first, ▴ inverted), the view it is in. */
    static Line processHeader(HostTable t, int cols) {
        String[] names = {"PID", "USER", "RSS", "OOM", "ADJ", "S", "COMMAND"};
        io.colabtop.app.tui.state.ProcessSort[] sorts = {
            io.colabtop.app.tui.state.ProcessSort.PID,
            io.colabtop.app.tui.state.ProcessSort.USER,
            io.colabtop.app.tui.state.ProcessSort.RSS,
            io.colabtop.app.tui.state.ProcessSort.OOM,
            io.colabtop.app.tui.state.ProcessSort.ADJ,
            io.colabtop.app.tui.state.ProcessSort.STATE,
            io.colabtop.app.tui.state.ProcessSort.COMMAND
        };
        for (int i = 0; i < names.length; i++) {
            if (sorts[i] == t.processSort()) {
                names[i] = names[i] + (t.processInverted() ? "▴" : "▾");
            }
        }
        String notes = (t.processSort() == io.colabtop.app.tui.state.ProcessSort.OOM && !t.processInverted()
                        ? " (next OOM victim first)"
                        : "")
                + (t.tree() ? " [tree]" : "")
                + (t.processFilter().isEmpty() ? "" : " [filter: " + t.processFilter() + "]");
        return Line.of(
                Line.fit(
                        String.format(
                                Locale.ROOT,
                                " %7s %-10s %7s %5s %6s %s  %s%s",
                                names[0],
                                names[1],
                                names[2],
                                names[3],
                                names[4],
                                names[5],
                                names[6],
                                notes),
                        cols),
                Style.HEADER);
    }
}
