package io.colabtop.app.tui.state;

import io.colabtop.core.cost.FleetTotal;
import io.colabtop.core.cost.Fx;
import io.colabtop.core.cost.IdleTracker;
import io.colabtop.core.cost.Money;
import io.colabtop.core.cost.VmCost;
import io.colabtop.core.cost.VmInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cloud side of the fleet: the VMs discovery found (by host name, NAME.ZONE.PROJECT), what each
 * bills per hour now (and what of it has no price), the currency money is shown in, and since when
 * a running VM has been idle.
 */
public final class VmLedger {
    private final Map<String, VmInfo> vms = new HashMap<>();
    private final Map<String, VmCost> costs = new HashMap<>();
    private Fx fx = Fx.USD;
    private IdleTracker idle = new IdleTracker(Duration.ofMinutes(30));
    private String discovery;

    public void setMoney(Fx fx, Duration idleAfter) {
        this.fx = fx;
        this.idle = new IdleTracker(idleAfter);
    }

    /** One discovery round: the VMs found, with their cost per hour now (known in full), and its note. */
    public void apply(List<VmInfo> found, Map<String, Money> perHour, String note) {
        Map<String, VmCost> c = new HashMap<>();
        perHour.forEach((host, m) -> c.put(host, VmCost.of(m)));
        applyPriced(found, c, note);
    }

    /** One discovery round: the VMs found, what each bills (and what has no price), and its note. */
    public void applyPriced(List<VmInfo> found, Map<String, VmCost> priced, String note) {
        for (VmInfo v : found) {
            vms.put(v.hostName(), v);
            costs.remove(v.hostName()); // a VM no longer priced must not keep an old price
            if (!v.running()) {
                idle.forget(v.hostName());
            }
        }
        costs.putAll(priced);
        discovery = note;
    }

    /** A VM's status as the API last said (or as a running stop/start reports it). */
    public void status(String host, String status) {
        VmInfo v = vms.get(host);
        if (v != null) {
            vms.put(host, v.withStatus(status));
        }
    }

    /** A host's CPU and GPU reading, for the idle flag. */
    public void observe(String host, Instant at, double cpuBusy, int gpuMaxUtil) {
        idle.observe(host, at, cpuBusy, gpuMaxUtil);
    }

    public VmInfo vm(String host) {
        return vms.get(host);
    }

    /**
     * What a row calls a host: a VM by its name, with its zone (and project) only where another VM
     * has the same name; any other host by the name it was given.
     */
    public String label(String host) {
        VmInfo v = vms.get(host);
        if (v == null) {
            return host;
        }
        boolean sameName = false;
        boolean sameZone = false;
        for (VmInfo o : vms.values()) {
            if (o != v && o.name().equals(v.name())) {
                sameName = true;
                sameZone |= o.zone().equals(v.zone());
            }
        }
        return !sameName ? v.name() : !sameZone ? v.name() + "." + v.zone() : v.hostName();
    }

    /** What the VM bills per hour now, the priced part (see {@link #cost}); null when not a VM. */
    public Money costPerHour(String host) {
        VmCost c = costs.get(host);
        return c == null ? null : c.now();
    }

    /** What the VM bills now, with what has no price and the Colab runtime it compares with; null when not a VM. */
    public VmCost cost(String host) {
        return costs.get(host);
    }

    /** The fleet's bill per hour: a lower bound, saying how many VMs it leaves out, when one is not priced. */
    public FleetTotal fleetTotal() {
        Map<String, VmCost> byLabel = new HashMap<>();
        costs.forEach((host, c) -> byLabel.put(label(host), c));
        return FleetTotal.of(byLabel);
    }

    public Money fleetPerHour() {
        return fleetTotal().perHour();
    }

    /** The fleet over 730 h at its rate now, with the sustained-use discounts Google applies by itself. */
    public Money fleetPerMonth() {
        return fleetTotal().perMonth();
    }

    public boolean hasCosts() {
        return !costs.isEmpty();
    }

    /** The currency money is shown in. */
    public Fx fx() {
        return fx;
    }

    /** The last discovery round's note (VMs found, running, what could not be priced or reached). */
    public String discovery() {
        return discovery;
    }

    /** How long a running VM has been idle, when past the threshold; else null. */
    public Duration idleFor(String host, Instant now) {
        VmInfo v = vms.get(host);
        return v == null || !v.running() ? null : idle.idleFor(host, now);
    }
}
