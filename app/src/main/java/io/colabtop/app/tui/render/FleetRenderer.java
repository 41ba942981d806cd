package io.colabtop.app.tui.render;

import io.colabtop.app.tui.state.ActionLog;
import io.colabtop.app.tui.state.FleetView;
import io.colabtop.app.tui.state.SortMode;
import io.colabtop.app.tui.state.Trends;
import io.colabtop.core.ByteFormat;
import io.colabtop.core.HostSnapshot;
import io.colabtop.core.HostState;
import io.colabtop.core.MemInfo;
import io.colabtop.core.ProcessInfo;
import io.colabtop.core.Severity;
import io.colabtop.core.Thresholds;
import io.colabtop.core.oom.OomForecast;
import io.colabtop.core.oom.OomReport;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The fleet table: a pure function from view state to screen rows. */
public final class FleetRenderer {
    private static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final int MIN_TOP_OOM = 20;
    /** A forecast under this is red. */
    static final Duration OOM_SOON = Duration.ofMinutes(5);
    /** How long the table shows what the swap guard did (a refusal stays). */
    static final Duration GUARD_SHOWN = Duration.ofMinutes(10);

    /**
     * Columns in screen order, each with the sort it stands for. Narrow terminals drop the highest
     * priority number first (STATE, then AVAIL and TREND, then RAM's bar, then OOM, GPU and AGE, then COST), so at
     * 80x24 HOST, RAM, SWAP, PSI, COST and the next OOM victim remain; a down host says so there.
     */
    enum Column {
        HOST("HOST", 16, 0, false, SortMode.NAME),
        STATE("STATE", 5, 4, false, null),
        RAM("RAM", 24, 0, false, SortMode.RAM),
        AVAIL("AVAIL", 6, 3, true, SortMode.AVAIL),
        SWAP("SWAP", 11, 0, false, SortMode.SWAP),
        PSI("PSI s/f", 10, 0, false, SortMode.PSI),
        /** Kills logged in the last 24 h and the time-to-OOM forecast ("✗2 in ~7m"). */
        OOM("OOM", 11, 2, false, null),
        GPU("GPU MEM", 11, 2, false, SortMode.GPU),
        /** The last ten minutes of the sorted figure (RAM unless sorted by swap, PSI or GPU), as a sparkline. */
        TREND("TREND", 12, 3, false, null),
        COST("COST/h", 8, 1, true, SortMode.COST),
        AGE("DATA AGE", 8, 2, true, SortMode.AGE);

        final String title;
        final int width;
        final int priority;
        final boolean right;
        final SortMode sort;

        Column(String title, int width, int priority, boolean right, SortMode sort) {
            this.title = title;
            this.width = width;
            this.priority = priority;
            this.right = right;
            this.sort = sort;
        }
    }

    /** RAM without its bar: "12G/16G". */
    static final int RAM_NARROW = 11;

    /** Which columns fit, and whether RAM keeps its bar. */
    record Layout(List<Column> columns, boolean ramBar) {}

    private final Thresholds thresholds;

    public FleetRenderer(Thresholds thresholds) {
        this.thresholds = thresholds;
    }

    public List<Line> render(FleetView view, List<KeyHelp> hints, int cols, int rows, Instant now) {
        List<HostState> hosts = view.rows(now);
        // the HOST column fits the longest name (user@10.164.0.12:2222 is common), within bounds
        int hostWidth = Math.max(
                8,
                Math.min(
                        32,
                        hosts.stream()
                                .mapToInt(h -> TerminalColumns.width(view.vms().label(h.name())))
                                .max()
                                .orElse(8)));
        Layout layout = layout(cols, hostWidth);
        List<Column> columns = layout.columns();
        List<Line> out = new ArrayList<>();
        out.add(title(view, hosts, cols, now));
        Line.Builder header = new Line.Builder();
        SortMode sort = view.hosts().sort();
        String mark = view.hosts().inverted() ? "▴" : "▾";
        for (Column c : columns) {
            String t =
                    c == Column.TREND ? trendMetric(sort).label() + " 10m" : c.sort == sort ? c.title + mark : c.title;
            if (c.right) {
                header.rcell(t, width(c, hostWidth, layout), Style.HEADER);
            } else {
                header.cell(t, width(c, hostWidth, layout), Style.HEADER);
            }
        }
        header.add(
                Line.fit(
                        "TOP OOM CANDIDATE" + (sort == SortMode.OOM ? mark : "") + "  pid command score/adj",
                        Math.max(0, cols - header.width())),
                Style.HEADER);
        out.add(header.build(false));

        int bodyRows = Math.max(1, rows - 4);
        int sel = view.hosts().selectedIndex(hosts);
        int first = view.hosts().firstVisible(hosts, sel, bodyRows);
        for (int i = first; i < hosts.size() && out.size() < 2 + bodyRows; i++) {
            out.add(row(
                            view,
                            hosts.get(i),
                            layout,
                            hostWidth,
                            cols,
                            now,
                            view.hosts().interval(),
                            i == sel)
                    .about(hosts.get(i).name()));
        }
        if (hosts.isEmpty() && !view.hosts().filter().isEmpty()) {
            out.add(Line.of(
                    Line.fit(" no host matches '" + view.hosts().filter() + "' (/ then Esc clears)", cols), Style.DIM));
        }
        while (out.size() < rows - 2) {
            out.add(Line.of("", Style.TEXT));
        }
        String msg = view.message() != null
                ? view.message()
                : view.vms().discovery() != null ? view.vms().discovery() : "";
        out.add(Line.of(Line.fit(msg, cols), Style.TEXT));
        out.add(HintBar.line(cols, hints));
        return out.subList(0, Math.min(out.size(), rows));
    }

    static Layout layout(int cols, int hostWidth) {
        List<Column> chosen = new ArrayList<>(List.of(Column.values()));
        boolean bar = true;
        for (int drop = 4; drop >= 1 && widthOf(chosen, hostWidth, bar) + MIN_TOP_OOM > cols; drop--) {
            final int p = drop;
            chosen.removeIf(c -> c.priority == p);
            if (p == 3 && widthOf(chosen, hostWidth, bar) + MIN_TOP_OOM > cols) {
                bar = false; // RAM's bar goes before GPU, AGE and COST do
            }
        }
        return new Layout(chosen, bar);
    }

    /** The figure the TREND column draws: the one sorted by, when it has a history; else RAM. */
    static Trends.Metric trendMetric(SortMode sort) {
        return switch (sort) {
            case SWAP -> Trends.Metric.SWAP;
            case PSI -> Trends.Metric.PSI;
            case GPU -> Trends.Metric.GPU;
            default -> Trends.Metric.RAM;
        };
    }

    private static int width(Column c, int hostWidth, Layout layout) {
        return c == Column.HOST ? hostWidth : c == Column.RAM && !layout.ramBar() ? RAM_NARROW : c.width;
    }

    private static int widthOf(List<Column> cs, int hostWidth, boolean ramBar) {
        Layout l = new Layout(cs, ramBar);
        return cs.stream().mapToInt(c -> width(c, hostWidth, l) + 1).sum();
    }

    private Line title(FleetView view, List<HostState> all, int cols, Instant now) {
        long down = all.stream().filter(h -> !h.pending() && !h.reachable()).count();
        String left = String.format(
                Locale.ROOT,
                " colabtop  %d host%s%s  every %s  sort: %s%s%s",
                all.size(),
                all.size() == 1 ? "" : "s",
                down > 0 ? ", " + down + " down" : "",
                ByteFormat.age(view.hosts().interval()),
                view.hosts().sort().label(),
                view.hosts().inverted() ? " (inverted)" : "",
                view.hosts().filter().isEmpty()
                        ? ""
                        : "  filter: " + view.hosts().filter());
        io.colabtop.core.cost.FleetTotal total =
                view.vms().hasCosts() ? view.vms().fleetTotal() : null;
        // a total that leaves a VM out says so (the message line says which and why)
        String money = total == null
                ? ""
                : total.complete()
                        ? "fleet " + view.vms().fx().format(total.perHour()) + "/h, "
                                + view.vms().fx().format(total.perMonth()) + "/month"
                                + (total.sustainedUse() ? " (sustained use)" : "") + "   "
                        : "fleet " + total.perHour(view.vms().fx()) + "   ";
        io.colabtop.core.Footprint own = view.own();
        String self = own == null
                ? ""
                : "self " + ByteFormat.bytes(own.rssBytes()) + " " + own.threads() + "thr"
                        + (own.cpuPercent() < 0 ? "" : String.format(Locale.ROOT, " %.0f%%", own.cpuPercent())) + "   ";
        String right = money + self + CLOCK.format(now) + " ";
        int pad = Math.max(1, cols - TerminalColumns.width(left) - TerminalColumns.width(right));
        return Line.of(Line.fit(left + " ".repeat(pad) + right, cols), Style.TITLE);
    }

    private static String vmState(String status) {
        return switch (status) {
            case "TERMINATED" -> "off";
            case "STOPPING" -> "stop…";
            case "SUSPENDED", "SUSPENDING" -> "susp";
            case "PROVISIONING", "STAGING" -> "boot…";
            default -> status.toLowerCase();
        };
    }

    private Line row(
            FleetView view,
            HostState h,
            Layout layout,
            int hostWidth,
            int cols,
            Instant now,
            Duration interval,
            boolean selected) {
        Line.Builder b = new Line.Builder();
        HostSnapshot s = h.latest();
        boolean down = !h.pending() && !h.reachable();
        Style dimIfDown = down ? Style.DIM : Style.TEXT;
        for (Column c : layout.columns()) {
            switch (c) {
                case HOST -> b.cell(view.vms().label(h.name()), hostWidth, Style.TEXT);
                case STATE -> {
                    io.colabtop.core.cost.VmInfo vm = view.vms().vm(h.name());
                    if (vm != null && !vm.running()) {
                        b.cell(
                                vmState(vm.status()),
                                c.width,
                                vm.status().equals("TERMINATED") ? Style.DIM : Style.CAREFUL);
                    } else if (h.pending()) {
                        b.cell("…", c.width, Style.DIM);
                    } else if (down) {
                        b.cell("DOWN", c.width, Style.CRITICAL);
                    } else {
                        b.cell("up", c.width, Style.OK);
                    }
                }
                case RAM -> ram(b, s, layout.ramBar() ? c.width : RAM_NARROW, layout.ramBar(), down);
                case AVAIL ->
                    b.rcell(s == null ? "-" : ByteFormat.bytes(s.memory().availableBytes()), c.width, dimIfDown);
                case SWAP -> {
                    if (s == null) {
                        b.cell("-", c.width, Style.DIM);
                    } else if (s.memory().swapTotalBytes() == 0) {
                        b.cell("none", c.width, down ? Style.DIM : Style.of(thresholds.swap(s.memory())));
                    } else {
                        MemInfo m = s.memory();
                        b.cell(
                                ByteFormat.bytes(m.swapUsedBytes()) + "/" + ByteFormat.bytes(m.swapTotalBytes()),
                                c.width,
                                down ? Style.DIM : Style.of(thresholds.swap(m)));
                    }
                }
                case PSI -> {
                    if (s == null || s.pressure() == null) {
                        b.cell(s == null ? "-" : "n/a", c.width, Style.DIM);
                    } else {
                        b.cell(
                                String.format(
                                        Locale.ROOT,
                                        "%.1f/%.1f",
                                        s.pressure().someAvg10(),
                                        s.pressure().fullAvg10()),
                                c.width,
                                down ? Style.DIM : Style.of(thresholds.pressure(s.pressure())));
                    }
                }
                case OOM -> oom(b, h, c.width, now, down);
                case GPU -> {
                    if (s == null || s.gpus().isEmpty()) {
                        b.cell(
                                s != null && s.gpuError() != null ? "error" : "-",
                                c.width,
                                s != null && s.gpuError() != null ? Style.WARNING : Style.DIM);
                    } else {
                        long used = s.gpuMemoryUsedBytes();
                        long total = s.gpuMemoryTotalBytes();
                        String t = ByteFormat.bytes(used) + "/" + ByteFormat.bytes(total);
                        b.cell(
                                t,
                                c.width,
                                down ? Style.DIM : Style.of(thresholds.gpu(total == 0 ? -1 : (double) used / total)));
                    }
                }
                case COST -> {
                    io.colabtop.core.cost.VmCost cost = view.vms().cost(h.name());
                    b.rcell(
                            cost == null
                                    ? "-"
                                    : cost.unpriced()
                                            ? "?"
                                            : (cost.complete() ? "" : "≥")
                                                    + view.vms().fx().format(cost.now()),
                            c.width,
                            cost == null ? Style.DIM : cost.complete() ? Style.TEXT : Style.CAREFUL);
                }
                case TREND -> {
                    Trends.Series series = view.trends(h.name())
                            .series(trendMetric(view.hosts().sort()), now, FleetView.HISTORY, c.width);
                    if (series.empty()) {
                        b.cell("-", c.width, Style.DIM);
                    } else {
                        Graphs.sparkline(series).forEach(sp -> b.add(sp.text(), down ? Style.DIM : sp.style()));
                        b.add(" ", Style.TEXT);
                    }
                }
                case AGE -> {
                    Duration age = h.staleness(now);
                    b.rcell(
                            ByteFormat.age(age),
                            c.width,
                            age == null ? Style.DIM : Style.of(Thresholds.staleness(age, interval)));
                }
            }
        }
        int rest = Math.max(0, cols - b.width());
        io.colabtop.core.cost.VmInfo vm = view.vms().vm(h.name());
        Duration idle = view.vms().idleFor(h.name(), now);
        io.colabtop.core.cost.Money cost = view.vms().costPerHour(h.name());
        io.colabtop.core.cost.VmCost priced = view.vms().cost(h.name());
        String money = cost == null
                ? ""
                : (priced != null && !priced.complete() ? "≥ " : "")
                        + view.vms().fx().format(cost) + "/h";
        io.colabtop.app.tui.state.ActionLog.Running running = view.actions().runningEntry(h.name());
        ActionLog.GuardNote guard = view.actions().guard(h.name());
        if (running != null) {
            io.colabtop.core.action.ProgressRate.Estimate p = running.progress();
            b.add(
                    Line.fit(
                            "⟳ " + running.what() + (p == null ? " running…" : ": " + p.describe())
                                    + (running.cancelRequested() ? " (cancelling…)" : " (c cancels)"),
                            rest),
                    Style.CAREFUL);
        } else if (guard != null
                && (guard.refused() || Duration.between(guard.at(), now).compareTo(GUARD_SHOWN) < 0)) {
            // loud: colabtop changed (or could not change) a host on its own
            b.add(Line.fit("GUARD: " + guard.text(), rest), guard.refused() ? Style.CRITICAL : Style.WARNING);
        } else if (vm != null && !vm.running()) {
            b.add(
                    Line.fit(
                            vm.status() + " in " + vm.zone()
                                    + (cost == null
                                            ? ""
                                            : vm.billingCompute()
                                                    ? "; billing " + money + " until TERMINATED"
                                                    : "; disks still bill " + money),
                            rest),
                    Style.DIM);
        } else if (idle != null) {
            // the warning says whether the VM will stop itself
            String auto = view.autostops().line(h.name(), now);
            b.add(
                    Line.fit(
                            "IDLE " + ByteFormat.age(idle) + ": CPU and GPU near zero, still billing " + money
                                    + (auto == null ? " (S stops it; a: autostop)" : " (S stops it); " + auto),
                            rest),
                    Style.WARNING);
        } else if (down) {
            b.add(Line.fit("✗ " + h.error(), rest), Style.CRITICAL);
        } else if (view.autostops().line(h.name(), now) != null) {
            // "autostop: when PID 4242 exits │ 4242 python train.py 912/0": what is armed first
            String auto = view.autostops().line(h.name(), now);
            String top = s == null || s.topOomCandidate() == null
                    ? ""
                    : " │ " + s.topOomCandidate().pid() + " "
                            + s.topOomCandidate().displayCommand();
            b.add(Line.fit(auto + top, rest), view.autostops().alarming(h.name()) ? Style.WARNING : Style.CAREFUL);
        } else if (s != null && s.topOomCandidate() != null) {
            ProcessInfo p = s.topOomCandidate();
            String score = " " + p.oomScore() + "/" + p.oomScoreAdj();
            String head = p.pid() + " ";
            int cmdWidth = Math.max(0, rest - head.length() - score.length()); // ASCII digits
            b.add(
                    Line.fit(head + Line.fit(p.displayCommand(), cmdWidth).stripTrailing() + score, rest),
                    p.oomScoreAdj() <= -1000 ? Style.OK : Style.TEXT);
        } else {
            b.add(Line.fit(h.pending() ? "connecting…" : "", rest), Style.DIM);
        }
        return b.build(selected);
    }

    /**
     * The OOM cell: kills the host logged in the last 24 h ("✗2"; with a "b" when the log could
     * not be read and the kernel's counter since boot is all there is) and the time-to-OOM
     * forecast ("in ~7m"), red under {@link #OOM_SOON}, magenta under half an hour.
     */
    private static void oom(Line.Builder b, HostState h, int width, Instant now, boolean down) {
        HostSnapshot s = h.latest();
        if (s == null) {
            b.cell("-", width, Style.DIM);
            return;
        }
        OomReport r = s.oom();
        String kills = "";
        Severity sev = Severity.OK;
        int recent = r.killsWithin(Duration.ofHours(24), now);
        if (recent > 0) {
            kills = "✗" + recent;
            sev = Severity.WARNING;
        } else if ("none".equals(r.source()) && r.killsSinceBoot() != null && r.killsSinceBoot() > 0) {
            kills = "✗" + r.killsSinceBoot() + "b";
            sev = Severity.WARNING;
        }
        OomForecast f = h.forecast();
        String soon = "";
        if (f.secondsToOom() != null) {
            soon = "in " + f.shortText();
            Severity fs = f.secondsToOom() < OOM_SOON.toSeconds()
                    ? Severity.CRITICAL
                    : f.secondsToOom() < 1800 ? Severity.WARNING : Severity.CAREFUL;
            sev = Severity.max(sev, fs);
        }
        String text = (kills + " " + soon).strip();
        b.cell(text.isEmpty() ? "-" : text, width, down || text.isEmpty() ? Style.DIM : Style.of(sev));
    }

    private void ram(Line.Builder b, HostSnapshot s, int width, boolean bar, boolean down) {
        if (s == null) {
            b.cell("-", width, Style.DIM);
            return;
        }
        MemInfo m = s.memory();
        String text = ByteFormat.bytes(m.usedBytes()) + "/" + ByteFormat.bytes(m.totalBytes());
        if (!bar) {
            b.cell(text, width, down ? Style.DIM : Style.of(thresholds.ram(m)));
            return;
        }
        int barWidth = Math.max(3, width - text.length() - 3); // ASCII sizes
        // clamped: a snapshot is a host's word, and "|".repeat(-3) would take the whole frame down
        int filled = (int) Math.max(0, Math.min(barWidth, Math.round(m.usedFraction() * barWidth)));
        Severity sev = thresholds.ram(m);
        Style st = down ? Style.DIM : Style.of(sev);
        b.add("[", Style.DIM);
        b.add("|".repeat(filled), st);
        b.add(" ".repeat(barWidth - filled) + "]", Style.DIM);
        b.add(Line.fit(" " + text, width - barWidth - 2) + " ", down ? Style.DIM : Style.TEXT);
    }
}
