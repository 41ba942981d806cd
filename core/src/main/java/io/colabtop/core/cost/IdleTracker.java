package io.colabtop.core.cost;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Remembers since when each host's CPU and GPUs have been near zero, to flag a VM that bills
 * while doing nothing (the notebook closed, the VM forgotten). One busy reading resets it; a
 * host with no reading yet is never idle. Time comes from the readings, so it is testable.
 */
public final class IdleTracker {
    /** Below this CPU busy share and GPU utilisation a host counts as idle. */
    public static final double CPU_IDLE = 0.05;

    public static final int GPU_IDLE_PERCENT = 5;

    private final Duration after;
    private final Map<String, Instant> idleSince = new HashMap<>();

    public IdleTracker(Duration after) {
        this.after = after;
    }

    public Duration after() {
        return after;
    }

    /**
     * @param cpuBusy  busy fraction 0..1 between the last two readings, or negative when unknown
     * @param gpuMaxUtilPercent the busiest GPU's utilisation, or negative when there is no GPU
     */
    public void observe(String host, Instant at, double cpuBusy, int gpuMaxUtilPercent) {
        if (cpuBusy < 0) {
            return; // one reading says nothing about CPU use
        }
        boolean idle = cpuBusy < CPU_IDLE && gpuMaxUtilPercent < GPU_IDLE_PERCENT;
        if (idle) {
            idleSince.putIfAbsent(host, at);
        } else {
            idleSince.remove(host);
        }
    }

    public void forget(String host) {
        idleSince.remove(host);
    }

    /** How long the host has been idle, when that is at least the threshold; else null. */
    public Duration idleFor(String host, Instant now) {
        Instant since = idleSince.get(host);
        if (since == null) {
            return null;
        }
        Duration d = Duration.between(since, now);
        return d.compareTo(after) >= 0 ? d : null;
    }
}
