package io.colabtop.core;

import java.time.Duration;

/**
 * Where a value turns careful, warning or critical. Defaults follow glances (50/70/90 for
 * memory is too eager on ML boxes whose page cache fills RAM, so "used" here already excludes
 * reclaimable cache, and the steps are 70/85/95). PSI here is the whole machine's
 * /proc/pressure/memory, "some" (at least one task stalled) and "full" (all stalled); 10/25/50 on
 * "some" and half that on "full" mark a box that starts to thrash. systemd-oomd does not read this
 * file: it reads the "full" line of each cgroup it monitors (Ubuntu: user@UID.service, over 50 %
 * for 20 s; oomd's defaults are 60 % for 30 s), so how close oomd is comes from oomctl, per
 * process (see io.colabtop.core.oom.OomdCoverage), not from these thresholds.
 */
public record Thresholds(
        double ramCareful,
        double ramWarning,
        double ramCritical,
        double psiCareful,
        double psiWarning,
        double psiCritical,
        double gpuCareful,
        double gpuWarning,
        double gpuCritical) {

    public static final Thresholds DEFAULT = new Thresholds(0.70, 0.85, 0.95, 10, 25, 50, 0.80, 0.90, 0.97);

    public Severity ram(MemInfo m) {
        return level(m.usedFraction(), ramCareful, ramWarning, ramCritical);
    }

    /** No swap at all is itself a warning on a training box: one spike and the OOM killer runs. */
    public Severity swap(MemInfo m) {
        if (m.swapTotalBytes() == 0) {
            return Severity.WARNING;
        }
        double used = (double) m.swapUsedBytes() / m.swapTotalBytes();
        return level(used, 0.50, 0.80, 0.95);
    }

    public Severity pressure(Pressure p) {
        if (p == null) {
            return Severity.OK;
        }
        Severity s = level(p.someAvg10(), psiCareful, psiWarning, psiCritical);
        // "full" means every task stalled: the box is thrashing
        return Severity.max(s, level(p.fullAvg10(), psiCareful / 2, psiWarning / 2, psiCritical / 2));
    }

    public Severity gpu(double usedFraction) {
        return usedFraction < 0 ? Severity.OK : level(usedFraction, gpuCareful, gpuWarning, gpuCritical);
    }

    /** Data older than three intervals is stale; older than ten, the row is greyed as lost. */
    public static Severity staleness(Duration age, Duration interval) {
        if (age == null) {
            return Severity.OK;
        }
        if (age.compareTo(interval.multipliedBy(10)) > 0) {
            return Severity.CRITICAL;
        }
        if (age.compareTo(interval.multipliedBy(3)) > 0) {
            return Severity.WARNING;
        }
        return Severity.OK;
    }

    private static Severity level(double v, double careful, double warning, double critical) {
        if (v >= critical) {
            return Severity.CRITICAL;
        }
        if (v >= warning) {
            return Severity.WARNING;
        }
        if (v >= careful) {
            return Severity.CAREFUL;
        }
        return Severity.OK;
    }
}
