package io.colabtop.app.tui.state;

import io.colabtop.core.ProcessInfo;
import java.util.Comparator;

/**
 * The host view's sort of processes, in its columns' order. The default is the kernel's: the next
 * OOM victim first (oom_score, then size). {@code <} {@code >} move it, {@code I} inverts, as in the table.
 */
public enum ProcessSort {
    PID("pid", Comparator.comparingInt(ProcessInfo::pid)),
    USER("user", Comparator.comparing((ProcessInfo p) -> p.user().exact())),
    RSS("rss", Comparator.comparingLong(ProcessInfo::rssBytes).reversed()),
    OOM("oom", io.colabtop.core.SnapshotAssembler.OOM_ORDER),
    ADJ("adj", Comparator.comparingInt(ProcessInfo::oomScoreAdj).reversed()),
    STATE("state", Comparator.comparing(ProcessInfo::state)),
    AGE("age", Comparator.comparingLong(ProcessInfo::startTimeTicks)),
    COMMAND("command", Comparator.comparing((ProcessInfo p) -> p.command().exact()));

    private final String label;
    private final Comparator<ProcessInfo> order;

    ProcessSort(String label, Comparator<ProcessInfo> order) {
        this.label = label;
        this.order = order;
    }

    public String label() {
        return label;
    }

    public Comparator<ProcessInfo> order(boolean inverted) {
        Comparator<ProcessInfo> c = order.thenComparingInt(ProcessInfo::pid);
        return inverted ? c.reversed() : c;
    }

    public ProcessSort next() {
        return values()[(ordinal() + 1) % values().length];
    }

    public ProcessSort previous() {
        return values()[(ordinal() + values().length - 1) % values().length];
    }
}
