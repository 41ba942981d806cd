package io.colabtop.core.cost;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fleet's bill per hour, and what it leaves out: a total never hides a VM. When a VM could
 * not be priced (or only in part) the total is a lower bound and says so: "≥ $3.51/h, 1 VM unpriced".
 *
 * @param perHour  the sum of every VM's priced part
 * @param perMonth the same over 730 h, with the sustained-use discounts Google applies by itself
 * @param unpriced VMs of which nothing that bills now has a price
 * @param partly   VMs priced in part
 * @param why      "trainer: 1x GPU nvidia-tesla-k80: not a GPU type in the …", one per VM not fully priced
 */
public record FleetTotal(Money perHour, Money perMonth, int vms, int unpriced, int partly, List<String> why) {
    public FleetTotal {
        why = List.copyOf(why);
    }

    /** @param costs by the VM's name as a person knows it */
    public static FleetTotal of(Map<String, VmCost> costs) {
        Money sum = Money.ZERO;
        Money month = Money.ZERO;
        int none = 0;
        int part = 0;
        List<String> why = new ArrayList<>();
        for (Map.Entry<String, VmCost> e : new TreeMap<>(costs).entrySet()) {
            VmCost c = e.getValue();
            sum = sum.plus(c.now());
            month = month.plus(c.perMonth());
            if (!c.complete()) {
                if (c.unpriced()) {
                    none++;
                } else {
                    part++;
                }
                why.add(e.getKey() + ": " + String.join("; ", c.missing()));
            }
        }
        return new FleetTotal(sum, month, costs.size(), none, part, why);
    }

    /** Whether {@link #perMonth} is below 730 h at list price: a sustained-use discount is in it. */
    public boolean sustainedUse() {
        return perMonth.compareTo(perHour.times(CostModel.HOURS_PER_MONTH)) < 0
                && perHour.times(CostModel.HOURS_PER_MONTH).minus(perMonth).usd() > 1e-9;
    }

    public boolean complete() {
        return unpriced == 0 && partly == 0;
    }

    /** "$3.56/h", or "≥ $0.05/h, 1 VM unpriced, 2 partly priced". */
    public String perHour(Fx fx) {
        return (complete() ? "" : "≥ ") + fx.format(perHour) + "/h" + shortfall();
    }

    /** ", 1 VM unpriced, 2 partly priced", or "" when complete. */
    public String shortfall() {
        StringBuilder b = new StringBuilder();
        if (unpriced > 0) {
            b.append(", ")
                    .append(unpriced)
                    .append(unpriced == 1 ? " VM" : " VMs")
                    .append(" unpriced");
        }
        if (partly > 0) {
            b.append(", ").append(partly).append(partly == 1 ? " VM" : " VMs").append(" partly priced");
        }
        return b.toString();
    }
}
