package io.colabtop.core.cost;

/**
 * Hourly cost of a VM from list prices: machine (vCPUs and memory at its family's rate, custom
 * and extended memory at theirs, spot rates for spot VMs) + GPUs + disks (GB-month / 730 h).
 * A stopped VM costs its disks only. No sustained or committed use discounts: this is what the
 * VM bills at list price, the number to beat by stopping it.
 */
public final class CostModel {
    public static final double HOURS_PER_MONTH = 730;

    private final PriceCatalog catalog;

    public CostModel(PriceCatalog catalog) {
        this.catalog = catalog;
    }

    public PriceCatalog catalog() {
        return catalog;
    }

    /** Per-hour cost, at list price. */
    public record Cost(Money machine, Money gpus, Money disks) {
        public Money total() {
            return machine.plus(gpus).plus(disks);
        }

        public Money perMonth() {
            return total().times(HOURS_PER_MONTH);
        }

        public Cost stopped() {
            return new Cost(Money.ZERO, Money.ZERO, disks);
        }

        /** What {@code vm} bills per hour in its current state: everything until TERMINATED, then its disks. */
        public Money now(VmInfo vm) {
            return vm.billingCompute() ? total() : stopped().total();
        }

        /** What stopping saves per hour: all but the disks. */
        public Money savedByStopping() {
            return total().minus(stopped().total());
        }
    }

    /**
     * What a VM billing {@code perHour} has cost since its lastStartTimestamp; zero when it does not
     * bill compute now or never started.
     */
    public static Money sinceStart(Money perHour, VmInfo vm, java.time.Instant now) {
        if (!vm.billingCompute() || vm.lastStart() == null) {
            return Money.ZERO;
        }
        return perHour.times(
                Math.max(0, java.time.Duration.between(vm.lastStart(), now).toSeconds()) / 3600.0);
    }

    public Cost hourly(VmShape vm) {
        PriceCatalog.Region r = catalog.region(PriceCatalog.regionOf(vm.zone()));
        MachineShape m = MachineShape.parse(vm.machineType());
        PriceCatalog.Family f = r.families().get(m.family());
        if (f == null) {
            throw new IllegalArgumentException("no " + m.family() + " prices in " + PriceCatalog.regionOf(vm.zone()));
        }
        PriceCatalog.Rate rate = vm.spot() ? f.spot() : m.custom() ? f.custom() : f.onDemand();
        if (rate == null) {
            throw new IllegalArgumentException("no " + (vm.spot() ? "spot" : "custom") + " " + m.family()
                    + " prices in " + PriceCatalog.regionOf(vm.zone()));
        }
        double machine = m.vcpus() * rate.vcpuHour() + m.memGb() * rate.memGbHour();
        if (m.extendedMemGb() > 0) {
            if (f.extendedMemGbHour() == null) {
                throw new IllegalArgumentException("no extended-memory price for " + m.family());
            }
            machine += m.extendedMemGb() * f.extendedMemGbHour();
        }
        double gpus = 0;
        if (m.bundledGpu() != null) {
            gpus += m.bundledGpus() * gpuHour(r, m.bundledGpu(), vm.spot());
        }
        for (VmShape.GpuCount g : vm.gpus()) {
            if (g.type().equals(m.bundledGpu())) {
                continue; // the API lists an A2/G2's bundled GPUs too: counted once
            }
            gpus += g.count() * gpuHour(r, g.type(), vm.spot());
        }
        double disks = 0;
        for (VmShape.Disk d : vm.disks()) {
            Double perGbMonth = r.diskGbMonth().get(d.type());
            if (perGbMonth == null) {
                throw new IllegalArgumentException("no price for disk type " + d.type());
            }
            disks += d.sizeGb() * perGbMonth / HOURS_PER_MONTH;
        }
        return new Cost(Money.usd(machine), Money.usd(gpus), Money.usd(disks));
    }

    private static double gpuHour(PriceCatalog.Region r, String type, boolean spot) {
        PriceCatalog.Gpu g = r.gpus().get(type);
        if (g == null) {
            throw new IllegalArgumentException("no price for GPU " + type + " in this region");
        }
        if (spot) {
            if (g.spotHour() == null) {
                throw new IllegalArgumentException("no spot price for GPU " + type);
            }
            return g.spotHour();
        }
        return g.hour();
    }
}
