package io.colabtop.app.tui.render;

import io.colabtop.app.tui.state.FleetView;
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
            io.colabtop.core.cost.VmCost full = view.vms().cost(h.name());
            String money = cost == null
                    ? ""
                    : "  " + (full != null && !full.complete() ? "≥ " : "")
                            + view.vms().fx().format(cost) + "/h";
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
            io.colabtop.core.cost.VmCost priced = view.vms().cost(h.name());
            if (priced != null && !priced.complete()) {
                out.add(Line.of(Line.fit(" not priced: " + String.join("; ", priced.missing()), cols), Style.CAREFUL));
            }
            if (priced != null && priced.colab() != null) {
                // n1-highmem-2 + T4: $0.4683/h on GCE; Colab T4 runtime: 1.19 CU/h ~ $0.1189/h (units of 2026-03)
                io.colabtop.core.cost.ColabUnits.Comparison c = priced.colab();
                out.add(Line.of(
                        Line.fit(
                                String.format(
                                        Locale.ROOT,
                                        " %s: %s/h on GCE; Colab %s runtime: %.2f CU/h ~ %s/h (units of %s)",
                                        priced.label(),
                                        view.vms().fx().format(priced.running()),
                                        c.runtime(),
                                        c.unitsPerHour(),
                                        view.vms().fx().format(c.perHour()),
                                        c.date()),
                                cols),
                        Style.TEXT));
                if (!c.caveats().isEmpty()) {
                    out.add(Line.of(Line.fit(" Colab: " + String.join(" ", c.caveats()), cols), Style.DIM));
                }
            }
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
        out.add(Line.of(
                Line.fit(
                        String.format(
                                Locale.ROOT,
                                " %7s %-10s %7s %5s %6s %s  %s",
                                "PID",
                                "USER",
                                "RSS",
                                "OOM",
                                "ADJ",
                                "S",
                                "COMMAND (next OOM victim first)"),
                        cols),
                Style.HEADER));
        List<ProcessInfo> procs = s.processes();
        int room = Math.max(1, rows - out.size() - 2);
        int sel = Math.min(view.hosts().processIndex(), Math.max(0, procs.size() - 1));
        int first = Math.max(0, sel - room + 1);
        for (int i = first; i < procs.size() && i < first + room; i++) {
            ProcessInfo p = procs.get(i);
            String text = String.format(
                    Locale.ROOT,
                    " %7d %-10.10s %7s %5d %6d %s  %s",
                    p.pid(),
                    p.user(),
                    ByteFormat.bytes(p.rssBytes()),
                    p.oomScore(),
                    p.oomScoreAdj(),
                    p.state(),
                    p.displayCommand());
            Style st = p.oomScoreAdj() <= -1000 ? Style.OK : i == 0 ? Style.WARNING : Style.TEXT;
            out.add(new Line(List.of(new Line.Span(Line.fit(text, cols), st)), i == sel));
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
}
