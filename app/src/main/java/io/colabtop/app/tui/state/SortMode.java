package io.colabtop.app.tui.state;

import io.colabtop.core.HostSnapshot;
import io.colabtop.core.HostState;
import io.colabtop.core.cost.Money;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.function.ToDoubleFunction;

/**
 * The fleet table's sort, one per sortable column, in the columns' order: {@code <} and {@code >}
 * move it a column left or right (as in htop), {@code s} cycles, {@code I} inverts. Every metric
 * sorts worst first; hosts with no data sort last whichever way; ties go by name so rows do not
 * jump between ticks.
 */
public enum SortMode {
    NAME("name"),
    RAM("ram%"),
    AVAIL("avail"),
    SWAP("swap%"),
    PSI("psi"),
    GPU("gpu%"),
    COST("cost"),
    AGE("age"),
    OOM("oom");

    private final String label;

    SortMode(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public SortMode next() {
        return values()[(ordinal() + 1) % values().length];
    }

    public SortMode previous() {
        return values()[(ordinal() + values().length - 1) % values().length];
    }

    /** The order of rows: this sort, inverted or not; no data last; then by name. */
    public Comparator<HostState> order(boolean inverted, VmLedger vms, Instant now) {
        if (this == NAME) {
            Comparator<HostState> byName = Comparator.comparing((HostState h) -> vms.label(h.name()));
            return inverted ? byName.reversed() : byName;
        }
        ToDoubleFunction<HostState> key = switch (this) {
            case RAM -> snap(s -> s.memory().usedFraction());
            case AVAIL -> snap(s -> -s.memory().availableBytes()); // least available is worst
            case SWAP ->
                snap(s -> s.memory().swapTotalBytes() == 0
                        ? 2 // no swap at all is worse than a full swap: one spike and the OOM killer runs
                        : (double) s.memory().swapUsedBytes() / s.memory().swapTotalBytes());
            case PSI -> snap(s -> s.pressure() == null ? -1 : s.pressure().someAvg10());
            case GPU ->
                snap(s ->
                        s.gpuMemoryTotalBytes() == 0 ? -1 : (double) s.gpuMemoryUsedBytes() / s.gpuMemoryTotalBytes());
            case COST ->
                h -> {
                    Money m = vms.costPerHour(h.name());
                    return m == null ? Double.NaN : m.usd();
                };
            case AGE ->
                h -> {
                    Duration age = h.staleness(now);
                    return age == null ? Double.NaN : age.toMillis();
                };
            case OOM ->
                snap(s -> s.topOomCandidate() == null ? -1 : s.topOomCandidate().oomScore());
            default -> throw new IllegalStateException(name());
        };
        Comparator<HostState> worstFirst = Comparator.comparingDouble((HostState h) -> key.applyAsDouble(h))
                .reversed();
        Comparator<HostState> chosen = inverted ? worstFirst.reversed() : worstFirst;
        return Comparator.comparing((HostState h) -> Double.isNaN(key.applyAsDouble(h)))
                .thenComparing(chosen)
                .thenComparing(HostState::name);
    }

    private static ToDoubleFunction<HostState> snap(ToDoubleFunction<HostSnapshot> f) {
        return h -> h.latest() == null ? Double.NaN : f.applyAsDouble(h.latest());
    }
}
