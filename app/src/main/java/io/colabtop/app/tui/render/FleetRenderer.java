package io.colabtop.app.tui.render;

import io.colabtop.app.tui.state.ActionLog;
import io.colabtop.app.tui.state.FleetView;
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

    /** Columns in screen order; narrow terminals drop the lowest priority first. */
    enum Column {
        HOST("HOST", 16, 0, false),
        STATE("STATE", 5, 0, false),
        RAM("RAM", 24, 0, false),
        AVAIL("AVAIL", 6, 3, true),
        SWAP("SWAP", 11, 1, false),
        PSI("PSI s/f", 10, 2, false),
        OOM("OOM", 11, 2, false),
        GPU("GPU MEM", 11, 4, false),
        COST("COST/h", 8, 5, true),
        AGE("AGE", 5, 2, true);

        final String title;
        final int width;
        final int priority;
        final boolean right;

        Column(String title, int width, int priority, boolean right) {
            this.title = title;
            this.width = width;
            this.priority = priority;
            this.right = right;
        }
    }

    private final Thresholds thresholds;

    public FleetRenderer(Thresholds thresholds) {
        this.thresholds = thresholds;
    }

    public List<Line> render(FleetView view, List<KeyHelp> hints, int cols, int rows, Instant now) {
        List<HostState> hosts = view.hosts().rows();
        // the HOST column fits the longest name (user@10.164.0.12:2222 is common), within bounds
        int hostWidth = Math.max(
                8,
                Math.min(
                        32,
                        hosts.stream()
                                .mapToInt(h -> TerminalColumns.width(view.vms().label(h.name())))
                                .max()
                                .orElse(8)));
        List<Column> columns = columnsFor(cols, hostWidth);
        List<Line> out = new ArrayList<>();
        out.add(title(view, hosts, cols, now));
        Line.Builder header = new Line.Builder();
        for (Column c : columns) {
            if (c.right) {
                header.rcell(c.title, width(c, hostWidth), Style.HEADER);
            } else {
                header.cell(c.title, width(c, hostWidth), Style.HEADER);
            }
        }
        header.add(
                Line.fit("TOP OOM CANDIDATE  pid command score/adj", Math.max(0, cols - header.width())), Style.HEADER);
        out.add(header.build(false));

        int bodyRows = Math.max(1, rows - 4);
        int sel = view.hosts().selectedIndex(hosts);
        int first = Math.max(0, Math.min(sel - bodyRows + 1, hosts.size() - bodyRows));
        first = Math.max(0, Math.min(first, sel));
        for (int i = first; i < hosts.size() && out.size() < 2 + bodyRows; i++) {
            out.add(row(
                    view,
                    hosts.get(i),
                    columns,
                    hostWidth,
                    cols,
                    now,
                    view.hosts().interval(),
                    i == sel));
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

    static List<Column> columnsFor(int cols, int hostWidth) {
        List<Column> chosen = new ArrayList<>(List.of(Column.values()));
        for (int drop = 5; drop >= 1 && widthOf(chosen, hostWidth) + MIN_TOP_OOM > cols; drop--) {
            final int p = drop;
            chosen.removeIf(c -> c.priority == p);
        }
        return chosen;
    }

    private static int width(Column c, int hostWidth) {
        return c == Column.HOST ? hostWidth : c.width;
    }

    private static int widthOf(List<Column> cs, int hostWidth) {
        return cs.stream().mapToInt(c -> width(c, hostWidth) + 1).sum();
    }

    private Line title(FleetView view, List<HostState> all, int cols, Instant now) {
        long down = all.stream().filter(h -> !h.pending() && !h.reachable()).count();
        String left = String.format(
                Locale.ROOT,
                " colabtop  %d host%s%s  every %s  sort: %s",
                all.size(),
                all.size() == 1 ? "" : "s",
                down > 0 ? ", " + down + " down" : "",
                ByteFormat.age(view.hosts().interval()),
                view.hosts().sort().label());
        String money = view.vms().hasCosts()
                ? "fleet " + view.vms().fx().format(view.vms().fleetPerHour()) + "/h, "
                        + view.vms().fx().format(view.vms().fleetPerMonth()) + "/month   "
                : "";
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
            List<Column> columns,
            int hostWidth,
            int cols,
            Instant now,
            Duration interval,
            boolean selected) {
        Line.Builder b = new Line.Builder();
        HostSnapshot s = h.latest();
        boolean down = !h.pending() && !h.reachable();
        Style dimIfDown = down ? Style.DIM : Style.TEXT;
        for (Column c : columns) {
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
                case RAM -> ram(b, s, c.width, down);
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
                    io.colabtop.core.cost.Money cost = view.vms().costPerHour(h.name());
                    b.rcell(
                            cost == null ? "-" : view.vms().fx().format(cost),
                            c.width,
                            cost == null ? Style.DIM : Style.TEXT);
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
        String money = cost == null ? "" : view.vms().fx().format(cost) + "/h";
        ActionLog.GuardNote guard = view.actions().guard(h.name());
        if (guard != null
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
            b.add(
                    Line.fit(
                            "IDLE " + ByteFormat.age(idle) + ": CPU and GPU near zero, still billing " + money
                                    + " (S stops it)",
                            rest),
                    Style.WARNING);
        } else if (down) {
            b.add(Line.fit("✗ " + h.error(), rest), Style.CRITICAL);
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

    private void ram(Line.Builder b, HostSnapshot s, int width, boolean down) {
        if (s == null) {
            b.cell("-", width, Style.DIM);
            return;
        }
        MemInfo m = s.memory();
        String text = ByteFormat.bytes(m.usedBytes()) + "/" + ByteFormat.bytes(m.totalBytes());
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
