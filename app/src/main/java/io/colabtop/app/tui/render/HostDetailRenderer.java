package io.colabtop.app.tui.render;

import io.colabtop.app.tui.state.ActionLog;
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
        String autostop = view.autostops().line(h.name(), now);
        if (autostop != null) {
            io.colabtop.core.action.AutostopState a = view.autostops().get(h.name());
            out.add(Line.of(
                    Line.fit(
                            " " + autostop + (a.note() == null || a.fired() != null ? "" : "; last check: " + a.note()),
                            cols),
                    view.autostops().alarming(h.name()) ? Style.WARNING : Style.CAREFUL));
        }
        io.colabtop.app.tui.state.ActionLog.Running running = view.actions().runningEntry(h.name());
        if (running != null) {
            out.add(runningLine(running, cols));
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
        out.addAll(meters(s, cols));
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
        out.addAll(history(view.trends(h.name()), s, cols, rows - out.size() - MIN_PROCESS_ROWS - 3, now));
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
                    " %7d %-10.10s %7s %5d %6d %s %7s  %s%s",
                    p.pid(),
                    p.user(),
                    ByteFormat.bytes(p.rssBytes()),
                    p.oomScore(),
                    p.oomScoreAdj(),
                    p.state(),
                    ByteFormat.elapsed(s.elapsed(p)),
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

    /**
     * An action under way: its name, and for long work a bar with bytes, rate and time left
     * ("⟳ swap-on: writing zeros [████░░░░] 64M/256M (25%), 32M/s, 6s left   c cancels").
     */
    static Line runningLine(io.colabtop.app.tui.state.ActionLog.Running r, int cols) {
        io.colabtop.core.action.ProgressRate.Estimate p = r.progress();
        String cancel = r.cancelRequested() ? "   cancelling…" : "   c cancels";
        if (p == null || p.progress().fraction() < 0) {
            return Line.of(Line.fit(" ⟳ " + r.what() + " running…" + cancel, cols), Style.CAREFUL);
        }
        List<Line.Span> spans = new ArrayList<>();
        spans.add(new Line.Span(" ⟳ " + r.what() + ": ", Style.CAREFUL));
        spans.addAll(Graphs.meter(
                List.of(new Graphs.Segment(p.progress().fraction(), Graphs.FULL, Style.CAREFUL)),
                "",
                Math.max(10, Math.min(32, cols / 4))));
        spans.add(new Line.Span(" " + p.describe() + cancel, Style.CAREFUL));
        return clip(new Line(spans, false), cols);
    }

    /** Rows the process table keeps however tall the graphs could be. */
    static final int MIN_PROCESS_ROWS = 8;

    /**
     * htop's meters: RAM as what the job uses, then reclaimable cache (░, there if the job needs
     * it), then free; swap used; each GPU's memory. Two to a row on a wide screen.
     */
    List<Line> meters(HostSnapshot s, int cols) {
        List<List<Line.Span>> ms = new ArrayList<>();
        int perRow = cols >= 100 ? 2 : 1;
        int w = Math.max(12, (cols - 1) / perRow - 6);
        MemInfo m = s.memory();
        double total = Math.max(1, m.totalBytes());
        double used = m.usedBytes() / total;
        double cache = Math.max(0, m.availableBytes() - m.freeBytes()) / total;
        ms.add(labelled(
                " RAM ",
                Graphs.meter(
                        List.of(
                                new Graphs.Segment(used, Graphs.FULL, Style.of(thresholds.ram(m))),
                                new Graphs.Segment(cache, Graphs.SHADE, Style.DIM)),
                        ByteFormat.bytes(m.usedBytes()) + "/" + ByteFormat.bytes(m.totalBytes()),
                        w)));
        if (m.swapTotalBytes() > 0) {
            ms.add(labelled(
                    " Swp ",
                    Graphs.meter(
                            List.of(new Graphs.Segment(
                                    (double) m.swapUsedBytes() / m.swapTotalBytes(),
                                    Graphs.FULL,
                                    Style.of(thresholds.swap(m)))),
                            ByteFormat.bytes(m.swapUsedBytes()) + "/" + ByteFormat.bytes(m.swapTotalBytes()),
                            w)));
        }
        for (Gpu g : s.gpus()) {
            double f = g.memoryUsedFraction();
            if (f < 0) {
                continue;
            }
            ms.add(labelled(
                    String.format(Locale.ROOT, " G%-2d ", g.index()),
                    Graphs.meter(
                            List.of(new Graphs.Segment(f, Graphs.FULL, Style.of(thresholds.gpu(f)))),
                            ByteFormat.bytes(g.memoryUsedBytes()) + "/" + ByteFormat.bytes(g.memoryTotalBytes()),
                            w)));
        }
        List<Line> rows = new ArrayList<>();
        for (int i = 0; i < ms.size(); i += perRow) {
            List<Line.Span> row = new ArrayList<>(ms.get(i));
            if (i + 1 < ms.size() && perRow > 1) {
                row.add(new Line.Span(" ", Style.TEXT));
                row.addAll(ms.get(i + 1));
            }
            rows.add(clip(new Line(row, false), cols));
        }
        return rows;
    }

    private static List<Line.Span> labelled(String label, List<Line.Span> meter) {
        List<Line.Span> l = new ArrayList<>();
        l.add(new Line.Span(label, Style.HEADER));
        l.addAll(meter);
        return l;
    }

    /**
     * The last ten minutes as graphs (btop, nvitop): RAM and PSI, then swap and GPU memory where the
     * host has them, two to a row on a wide screen, as tall as {@code room} allows (up to 6 rows),
     * none when the process table would get too short.
     */
    List<Line> history(io.colabtop.app.tui.state.Trends trends, HostSnapshot s, int cols, int room, Instant now) {
        List<io.colabtop.app.tui.state.Trends.Metric> panels = new ArrayList<>(
                List.of(io.colabtop.app.tui.state.Trends.Metric.RAM, io.colabtop.app.tui.state.Trends.Metric.PSI));
        if (s.memory().swapTotalBytes() > 0) {
            panels.add(io.colabtop.app.tui.state.Trends.Metric.SWAP);
        }
        if (!s.gpus().isEmpty()) {
            panels.add(io.colabtop.app.tui.state.Trends.Metric.GPU);
        }
        int perRow = cols >= 100 ? 2 : 1;
        int height = 0;
        while (!panels.isEmpty()) {
            int panelRows = (panels.size() + perRow - 1) / perRow;
            height = Math.min(6, room / panelRows - 1);
            if (height >= 2) {
                break;
            }
            panels.remove(panels.size() - 1); // the least needed goes first
        }
        List<Line> out = new ArrayList<>();
        if (panels.isEmpty() || trends.size() == 0) {
            return out;
        }
        int panelWidth = (cols - (perRow - 1)) / perRow;
        int graphWidth = Math.max(4, panelWidth - 6);
        for (int i = 0; i < panels.size(); i += perRow) {
            List<List<Line>> row = new ArrayList<>();
            for (int j = i; j < Math.min(panels.size(), i + perRow); j++) {
                row.add(panel(trends, panels.get(j), panelWidth, graphWidth, height, now));
            }
            for (int r = 0; r <= height; r++) {
                List<Line.Span> spans = new ArrayList<>();
                for (int p = 0; p < row.size(); p++) {
                    if (p > 0) {
                        spans.add(new Line.Span(" ", Style.TEXT));
                    }
                    Line part = row.get(p).get(r);
                    spans.addAll(part.spans());
                    spans.add(new Line.Span(" ".repeat(Math.max(0, panelWidth - part.width())), Style.TEXT));
                }
                out.add(clip(new Line(spans, false), cols));
            }
        }
        return out;
    }

    private static List<Line> panel(
            io.colabtop.app.tui.state.Trends trends,
            io.colabtop.app.tui.state.Trends.Metric metric,
            int panelWidth,
            int graphWidth,
            int height,
            Instant now) {
        io.colabtop.app.tui.state.Trends.Series series =
                trends.series(metric, now, FleetView.HISTORY, Math.min(graphWidth, trends.capacity()));
        double full = metric.fullScale() == 1.0 ? 100 : metric.fullScale();
        double last = series.last();
        double max = java.util.Arrays.stream(series.values())
                .filter(v -> !Double.isNaN(v))
                .max()
                .orElse(Double.NaN);
        String title = String.format(
                Locale.ROOT,
                " %s, last %dm: now %s, max %s",
                metric == io.colabtop.app.tui.state.Trends.Metric.PSI ? "PSI some" : metric.label() + " used",
                FleetView.HISTORY.toMinutes(),
                percent(last, full),
                percent(max, full));
        List<Line> lines = new ArrayList<>();
        lines.add(Line.of(Line.fit(title, panelWidth), Style.DIM));
        for (Line g : Graphs.graph(series, graphWidth, height, String.format(Locale.ROOT, "%.0f%%", full))) {
            lines.add(clip(g, panelWidth));
        }
        return lines;
    }

    /** A graph's figure in percent; at the top of a clipped scale (PSI over 50 %) it says so. */
    private static String percent(double fraction, double full) {
        if (Double.isNaN(fraction)) {
            return "-";
        }
        return (fraction >= 1 && full < 100 ? "≥" : "") + String.format(Locale.ROOT, "%.0f%%", fraction * full);
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

    /** The process table's header: the sorted column marked (▾ worst first, ▴ inverted), the view it is in. */
    static Line processHeader(HostTable t, int cols) {
        String[] names = {"PID", "USER", "RSS", "OOM", "ADJ", "S", "ELAPSED", "COMMAND"};
        io.colabtop.app.tui.state.ProcessSort[] sorts = {
            io.colabtop.app.tui.state.ProcessSort.PID,
            io.colabtop.app.tui.state.ProcessSort.USER,
            io.colabtop.app.tui.state.ProcessSort.RSS,
            io.colabtop.app.tui.state.ProcessSort.OOM,
            io.colabtop.app.tui.state.ProcessSort.ADJ,
            io.colabtop.app.tui.state.ProcessSort.STATE,
            io.colabtop.app.tui.state.ProcessSort.AGE,
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
                                " %7s %-10s %7s %5s %6s %s %7s  %s%s",
                                names[0],
                                names[1],
                                names[2],
                                names[3],
                                names[4],
                                names[5],
                                names[6],
                                names[7],
                                notes),
                        cols),
                Style.HEADER);
    }
}
