package io.colabtop.app.serve;

import io.colabtop.core.HostSnapshot;
import io.colabtop.core.HostState;
import io.colabtop.core.ProcessInfo;
import io.colabtop.core.cost.Fx;
import io.colabtop.core.cost.Money;
import io.colabtop.core.cost.VmInfo;
import java.time.Instant;
import java.util.List;

/**
 * What one scrape knows about one host: the poller's state of it, and, for a VM found by
 * discovery, the VM and what it bills per hour. Immutable; built fresh for each scrape.
 *
 * @param state       the poller's state, or null for a VM that is not running (nothing to poll)
 * @param vm          the VM discovery found under this name, or null for a host given by name
 * @param costPerHour what the VM bills per hour now, or null when unknown or not a VM
 * @param at          when the scrape happens (ages are measured to it)
 */
public record HostReading(
        String host, HostState state, VmInfo vm, Money costPerHour, Fx fx, Instant at, Exposure exposure) {

    /**
     * How much of each host a scrape shows: the {@code top} likeliest OOM victims (the snapshot is
     * already sorted, next victim first), with their command lines or without.
     */
    public record Exposure(int topProcesses, boolean commandLines) {
        public static final int MAX_TOP = 500;

        public Exposure {
            if (topProcesses < 0 || topProcesses > MAX_TOP) {
                throw new IllegalArgumentException(
                        "processes exported per host must be between 0 and " + MAX_TOP + ", not " + topProcesses);
            }
        }
    }

    /** The latest snapshot when the latest poll succeeded, else null: a host that is down shows no stale figures. */
    public HostSnapshot up() {
        return state != null && state.reachable() ? state.latest() : null;
    }

    /** The processes a scrape may show: the first {@code topProcesses} of the snapshot's, next OOM victim first. */
    public List<ProcessInfo> topProcesses() {
        HostSnapshot s = up();
        if (s == null) {
            return List.of();
        }
        List<ProcessInfo> all = s.processes();
        return all.size() <= exposure.topProcesses() ? all : all.subList(0, exposure.topProcesses());
    }
}
