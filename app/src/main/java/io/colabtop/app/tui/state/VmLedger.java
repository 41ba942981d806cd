package io.colabtop.app.tui.state;

import io.colabtop.core.cost.CostModel;
import io.colabtop.core.cost.Fx;
import io.colabtop.core.cost.IdleTracker;
import io.colabtop.core.cost.Money;
import io.colabtop.core.cost.VmInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cloud side of the fleet: the VMs discovery found (by host name, NAME.ZONE.PROJECT), what each
 * bills per hour now, the currency money is shown in, and since when a running VM has been idle.
 */
public final class VmLedger {
    private final Map<String, VmInfo> vms = new HashMap<>();
    private final Map<String, Money> costPerHour = new HashMap<>();
    private Fx fx = Fx.USD;
    private IdleTracker idle = new IdleTracker(Duration.ofMinutes(30));
    private String discovery;

    public void setMoney(Fx fx, Duration idleAfter) {
        this.fx = fx;
        this.idle = new IdleTracker(idleAfter);
    }

    /** One discovery round: the VMs found, with their cost per hour now, and its note. */
    public void apply(List<VmInfo> found, Map<String, Money> costs, String note) {
        for (VmInfo v : found) {
            vms.put(v.hostName(), v);
            if (!v.running()) {
                idle.forget(v.hostName());
            }
        }
        costPerHour.putAll(costs);
        discovery = note;
    }

    /** A VM's status as the API last said (or as a running stop/start reports it). */
    public void status(String host, String status) {
        VmInfo v = vms.get(host);
        if (v != null) {
            vms.put(
                    host,
                    new VmInfo(
                            v.project(),
                            v.name(),
                            v.id(),
                            v.zone(),
                            status,
                            v.machineType(),
                            v.gpus(),
                            v.disks(),
                            v.spot(),
                            v.labels(),
                            v.internalIp(),
                            v.externalIp(),
                            v.lastStart()));
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

    public Money costPerHour(String host) {
        return costPerHour.get(host);
    }

    public Money fleetPerHour() {
        return costPerHour.values().stream().reduce(Money.ZERO, Money::plus);
    }

    public Money fleetPerMonth() {
        return fleetPerHour().times(CostModel.HOURS_PER_MONTH);
    }

    public boolean hasCosts() {
        return !costPerHour.isEmpty();
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
