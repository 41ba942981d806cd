package io.colabtop.app.tui.state;

import io.colabtop.core.HostState;
import io.colabtop.core.HostUpdate;
import java.time.Duration;
import java.util.List;

/**
 * Everything the screen shows, in three parts (the hosts, the VMs and their costs, the actions)
 * plus which screen is up and the message line. Owned by the UI thread alone: collectors and
 * background work reach it only through the session's event queue.
 */
public final class FleetView {
    public enum Mode {
        TABLE,
        DETAIL,
        HELP
    }

    private final HostTable hosts;
    private final VmLedger vms = new VmLedger();
    private final ActionLog actions = new ActionLog();
    private final Autostops autostops = new Autostops();
    private Mode mode = Mode.TABLE;
    private Mode beforeHelp = Mode.TABLE;
    private String message;
    private int helpTop;
    static final int MAX_LOG = 200;
    private final java.util.ArrayDeque<String> log = new java.util.ArrayDeque<>();
    private io.colabtop.core.Footprint own;
    private final java.util.Map<String, Trends> trends = new java.util.HashMap<>();
    private final Duration interval;

    /** How far back the sparklines and graphs reach. */
    public static final Duration HISTORY = Duration.ofMinutes(10);

    public FleetView(List<String> hostNames, Duration interval) {
        this.hosts = new HostTable(hostNames, interval);
        this.interval = interval;
    }

    /** A host's history of RAM, swap, PSI and GPU memory (empty until its first answer). */
    public Trends trends(String host) {
        return trends.computeIfAbsent(host, h -> new Trends(HISTORY, interval));
    }

    public HostTable hosts() {
        return hosts;
    }

    public VmLedger vms() {
        return vms;
    }

    public ActionLog actions() {
        return actions;
    }

    /** What autostop each host has armed, as read back from it. */
    public Autostops autostops() {
        return autostops;
    }

    /** The table's rows now: the host filter's matches in the sort's order (COST and AGE need the ledger and the time). */
    public List<HostState> rows(java.time.Instant now) {
        return hosts.rows(vms, now);
    }

    /**
     * Sets the table's host filter. The selection follows what is shown: a key must never act on a
     * host the filter hides, so a hidden selection moves to the first row shown, and to none when
     * nothing matches (the action keys then say there is no host).
     */
    public void setHostFilter(String filter, java.time.Instant now) {
        hosts.setFilter(filter);
        List<HostState> shown = rows(now);
        String sel = hosts.selected();
        if (sel == null || shown.stream().noneMatch(h -> h.name().equals(sel))) {
            hosts.select(shown.isEmpty() ? null : shown.get(0).name());
        }
    }

    /** Moves the selection: hosts in the table, processes in a host view. */
    public void move(int delta, java.time.Instant now) {
        if (mode == Mode.DETAIL) {
            hosts.moveProcess(delta);
        } else {
            hosts.moveSelection(delta, rows(now));
        }
    }

    /** Applies a poll's outcome to the host and feeds the idle tracker; null for an unknown host. */
    public HostState apply(HostUpdate u) {
        HostState next = hosts.apply(u);
        if (next != null && u.snapshot() != null) {
            trends(u.host()).add(u.snapshot(), io.colabtop.core.Thresholds.DEFAULT);
            int gpu = u.snapshot().gpus().stream()
                    .mapToInt(g -> g.utilizationPercent() == null ? 0 : g.utilizationPercent())
                    .max()
                    .orElse(-1);
            vms.observe(u.host(), u.snapshot().takenAt(), next.cpuBusyFraction(), gpu);
        }
        return next;
    }

    public Mode mode() {
        return mode;
    }

    public void openDetail() {
        if (hosts.selected() != null) {
            mode = Mode.DETAIL;
            hosts.resetProcess();
        }
    }

    public void back() {
        mode = mode == Mode.HELP ? beforeHelp : Mode.TABLE;
    }

    public void toggleHelp() {
        if (mode == Mode.HELP) {
            mode = beforeHelp;
        } else {
            beforeHelp = mode;
            mode = Mode.HELP;
            helpTop = 0;
        }
    }

    /** The first help row shown: the help screen scrolls. */
    public int helpTop() {
        return helpTop;
    }

    public void scrollHelp(int delta) {
        helpTop = (int) Math.max(0, Math.min(500, (long) helpTop + delta));
    }

    /** What colabtop itself costs this machine, or null before the first reading. */
    public io.colabtop.core.Footprint own() {
        return own;
    }

    public void setOwn(io.colabtop.core.Footprint f) {
        this.own = f;
    }

    public String message() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
        if (message != null && !message.isBlank()) {
            log.addLast(java.time.LocalTime.now().withNano(0) + "  " + message);
            while (log.size() > MAX_LOG) {
                log.removeFirst();
            }
        }
    }

    /** The last messages, oldest first, each with its time: what the message line said, in full. */
    public List<String> messageLog() {
        return List.copyOf(log);
    }
}
