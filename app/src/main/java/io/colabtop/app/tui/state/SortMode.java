package io.colabtop.app.tui.state;

import io.colabtop.core.HostSnapshot;
import io.colabtop.core.HostState;
import java.util.Comparator;
import java.util.function.ToDoubleFunction;

/** Orders of the fleet table, cycled with 's'. The worst host comes first in every order but name. */
public enum SortMode {
    NAME("name", Comparator.comparing(HostState::name)),
    RAM("ram%", worstFirst(s -> s.memory().usedFraction())),
    PRESSURE("psi", worstFirst(s -> s.pressure() == null ? -1 : s.pressure().someAvg10())),
    OOM(
            "oom",
            worstFirst(
                    s -> s.topOomCandidate() == null ? -1 : s.topOomCandidate().oomScore())),
    GPU(
            "gpu%",
            worstFirst(s ->
                    s.gpuMemoryTotalBytes() == 0 ? -1 : (double) s.gpuMemoryUsedBytes() / s.gpuMemoryTotalBytes()));

    private final String label;
    private final Comparator<HostState> order;

    SortMode(String label, Comparator<HostState> order) {
        this.label = label;
        this.order = order;
    }

    public String label() {
        return label;
    }

    public Comparator<HostState> order() {
        return order;
    }

    public SortMode next() {
        return values()[(ordinal() + 1) % values().length];
    }

    /** Hosts with no data sort last; ties by name so rows do not jump between ticks. */
    private static Comparator<HostState> worstFirst(ToDoubleFunction<HostSnapshot> key) {
        return Comparator.<HostState>comparingDouble(
                        h -> h.latest() == null ? Double.NEGATIVE_INFINITY : key.applyAsDouble(h.latest()))
                .reversed()
                .thenComparing(HostState::name);
    }
}
