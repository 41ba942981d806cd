package io.colabtop.app.tui.render;

import io.colabtop.app.tui.state.ActionLog;
import io.colabtop.app.tui.state.FleetView;
import io.colabtop.core.ByteFormat;
import io.colabtop.core.Gpu;
import io.colabtop.core.HostSnapshot;
import io.colabtop.core.HostState;
import io.colabtop.core.MemInfo;
import io.colabtop.core.ProcessInfo;
import io.colabtop.core.SwapArea;
import io.colabtop.core.Thresholds;
import io.colabtop.core.oom.OomEvent;
import io.colabtop.core.oom.OomForecast;
import io.colabtop.core.oom.OomReport;
import io.colabtop.core.oom.OomdState;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
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
        oomPanel(out, view, h, s, cols, rows, now);
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

    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    /**
     * The OOM panel: the kill counter and where the log was read (or why it could not be), what
     * systemd-oomd watches, the forecast, what the swap guard did, the newest kills (when, killer,
     * reason, victim, RSS at death, cgroup, the units systemd stopped) and which killer can reach
     * the selected process.
     */
    private static void oomPanel(
            List<Line> out, FleetView view, HostState h, HostSnapshot s, int cols, int rows, Instant now) {
        OomReport r = s.oom();
        StringBuilder head = new StringBuilder(" OOM  ");
        head.append(
                r.killsSinceBoot() == null
                        ? "no kill counter (kernel before 4.13)"
                        : r.killsSinceBoot() + " kills since boot");
        if (r.source() == null) {
            head.append(", log not read yet");
        } else if (r.source().equals("none")) {
            head.append(", no log readable");
        } else {
            head.append(" (log: ").append(r.source()).append(')');
        }
        OomdState d = r.oomd();
        head.append("  systemd-oomd ");
        if (d == null) {
            head.append("not checked yet");
        } else if (!d.active()) {
            head.append(d.status().label());
        } else {
            head.append("active");
            for (OomdState.Monitored m : d.pressureMonitored()) {
                head.append(String.format(
                        Locale.ROOT,
                        ": %s full %.1f%% of %.0f%% for %ds",
                        leaf(m.path().shown()),
                        m.fullAvg10(),
                        m.limitPercent(),
                        d.durationOf(m).toSeconds()));
            }
            if (!d.swapMonitored().isEmpty()) {
                head.append(", swap rule on ")
                        .append(d.swapMonitored().get(0).shown())
                        .append(
                                d.swapUsedLimitPercent() == null
                                        ? ""
                                        : String.format(Locale.ROOT, " (%.0f%%)", d.swapUsedLimitPercent()));
            }
            if (d.error() != null) {
                head.append(" (").append(d.error()).append(')');
            }
        }
        OomForecast f = h.forecast();
        Style headStyle = r.killsWithin(Duration.ofHours(24), now) > 0 ? Style.WARNING : Style.TEXT;
        out.add(Line.of(Line.fit(head.toString(), cols), headStyle));
        if (f.secondsToOom() != null) {
            out.add(Line.of(
                    Line.fit(" forecast: OOM in " + f.shortText() + " (" + f.why() + ")", cols),
                    f.secondsToOom() < 300 ? Style.CRITICAL : Style.WARNING));
        }
        ActionLog.GuardNote g = view.actions().guard(h.name());
        if (g != null) {
            out.add(Line.of(
                    Line.fit(" GUARD at " + WHEN.format(g.at()) + ": " + g.text(), cols),
                    g.refused() ? Style.CRITICAL : Style.WARNING));
        }
        if ("none".equals(r.source()) && r.sourceNote() != null) {
            out.add(Line.of(Line.fit(" OOM history: no log readable: " + r.sourceNote(), cols), Style.DIM));
        }
        List<OomEvent> events = r.events();
        int room = Math.max(1, rows / 6);
        for (int i = events.size() - 1; i >= 0 && i >= events.size() - room; i--) {
            out.add(Line.of(Line.fit(" " + event(events.get(i)), cols), Style.TEXT));
        }
        ProcessInfo sel = view.hosts().selectedProcess();
        if (sel != null) {
            io.colabtop.core.HostText cg = r.cgroups().get(sel.pid());
            out.add(Line.of(
                    Line.fit(
                            " pid " + sel.pid() + (cg == null ? "" : " in " + cg.shown()) + "  "
                                    + r.coverage(sel.pid(), s.memory()).words(),
                            cols),
                    Style.DIM));
        }
    }

    /** "05-03 10:32:35 kernel ✗ pid 393802 java RSS 1.6G adj 0 in …: host out of memory" */
    static String event(OomEvent e) {
        return (e.time() == null ? "(no time)     " : WHEN.format(e.time())) + " " + e.summary();
    }

    private static String leaf(String path) {
        int slash = path.lastIndexOf('/');
        return slash >= 0 && slash < path.length() - 1 ? path.substring(slash + 1) : path;
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
