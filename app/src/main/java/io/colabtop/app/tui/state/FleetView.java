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
    private Mode mode = Mode.TABLE;
    private Mode beforeHelp = Mode.TABLE;
    private String message;
    private io.colabtop.core.Footprint own;

    public FleetView(List<String> hostNames, Duration interval) {
        this.hosts = new HostTable(hostNames, interval);
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

    /** Applies a poll's outcome to the host and feeds the idle tracker; null for an unknown host. */
    public HostState apply(HostUpdate u) {
        HostState next = hosts.apply(u);
        if (next != null && u.snapshot() != null) {
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
        }
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
    }
}
