package io.colabtop.core.cost;

import java.util.List;
import java.util.Locale;

/**
 * What one VM bills, for a row and a total: per hour in its current state (a lower bound when
 * something has no price, with what and why), per hour while running, and the Colab runtime it
 * compares with.
 *
 * @param now      what it bills per hour now: everything priced while it runs, its disks while stopped
 * @param missing  what has no price among what bills now ("GPU nvidia-tesla-k80: not offered in …")
 * @param running  what it bills per hour while running (priced part)
 * @param label    the shape in a few words: "n1-highmem-2 + T4"
 * @param colab    the Colab runtime with the same GPU, or null
 * @param perMonth what {@code now} comes to over a month (730 h), with the sustained-use discount
 *                 Google applies by itself to a VM that runs all month
 */
public record VmCost(
        Money now, List<String> missing, Money running, String label, ColabUnits.Comparison colab, Money perMonth) {
    public VmCost {
        missing = List.copyOf(missing);
    }

    /** A price known in full, with nothing else to say (tests, callers that only have a number). */
    public static VmCost of(Money now) {
        return new VmCost(now, List.of(), now, "", null, now.times(CostModel.HOURS_PER_MONTH));
    }

    /** {@code cost} as {@code vm} bills it now. */
    public static VmCost of(CostModel.Cost cost, VmInfo vm, ColabUnits.Comparison colab) {
        CostModel.Cost now = cost.now(vm);
        return new VmCost(now.total(), now.missing(), cost.total(), label(vm), colab, now.perMonth());
    }

    public boolean complete() {
        return missing.isEmpty();
    }

    /** Nothing of what bills now has a price. */
    public boolean unpriced() {
        return !complete() && now.isZero();
    }

    /** "n1-highmem-2 + T4", "a2-highgpu-1g", "g2-standard-4 (spot)". */
    public static String label(VmInfo vm) {
        StringBuilder b = new StringBuilder(vm.machineType());
        for (VmShape.GpuCount g : vm.gpus()) {
            if (g.count() > 0
                    && !vm.machineType().startsWith("a2-")
                    && !vm.machineType().startsWith("g2-")
                    && !vm.machineType().startsWith("a3-")
                    && !vm.machineType().startsWith("g4-")) {
                b.append(" + ").append(g.count() > 1 ? g.count() + "x " : "").append(shortGpu(g.type()));
            }
        }
        return b + (vm.spot() ? " (spot)" : "");
    }

    /** nvidia-tesla-t4 to T4, nvidia-a100-80gb to A100-80GB. */
    public static String shortGpu(String type) {
        return type.replace("nvidia-tesla-", "").replace("nvidia-", "").toUpperCase(Locale.ROOT);
    }
}
