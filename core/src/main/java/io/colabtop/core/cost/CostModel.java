package io.colabtop.core.cost;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a VM costs from list prices, item by item: the machine (vCPUs and memory at its family's
 * rates, custom and extended memory at theirs, spot rates for spot VMs, or the type's own price),
 * its GPUs, disks (GB-month / 730 h), local SSD, external IPv4, and what it cannot price (an
 * unknown family, a GPU not offered in the region, a premium image's licence). Nothing is ever
 * dropped silently: an item that has no price is an item with a reason, and a total with one is a
 * lower bound that says so. A stopped VM bills its disks (and a reserved IP) only.
 *
 * <p>Hourly figures are list prices. Monthly figures (730 h) include the sustained-use discount
 * Google applies by itself to a VM that runs the whole month: 30 % on N1 (and GPUs attached to
 * it), M1, M2, F1 and G1; about 20 % on N2, N2D and C2; none on spot VMs or other families.
 */
public final class CostModel {
    public static final double HOURS_PER_MONTH = 730;

    /**
     * Google's sustained-use tiers: the share of the list price paid for each quarter of a month.
     * A full month averages them: N1 (1 + 0.8 + 0.6 + 0.4) / 4 = 0.7; N2 0.8002.
     */
    static final double[] N1_TIERS = {1.0, 0.8, 0.6, 0.4};

    static final double[] N2_TIERS = {1.0, 0.8678, 0.733, 0.6};
    static final Set<String> N1_SUD = Set.of("n1", "m1", "m2", "f1", "g1");
    static final Set<String> N2_SUD = Set.of("n2", "n2d", "c2");

    /** Disk types whose capacity is not the whole bill: provisioned IOPS or throughput come on top. */
    static final Set<String> PROVISIONED = Set.of(
            "pd-extreme",
            "hyperdisk-extreme",
            "hyperdisk-balanced",
            "hyperdisk-throughput",
            "hyperdisk-balanced-high-availability");

    /**
     * Projects whose public images carry no licence fee. An image from anywhere else (Windows,
     * RHEL, SLES, Ubuntu Pro, a Marketplace product) may bill a surcharge colabtop cannot price.
     */
    static final Set<String> FREE_IMAGE_PROJECTS = Set.of(
            "debian-cloud",
            "ubuntu-os-cloud",
            "cos-cloud",
            "centos-cloud",
            "rocky-linux-cloud",
            "almalinux-cloud",
            "fedora-cloud",
            "fedora-coreos-cloud",
            "opensuse-cloud",
            "deeplearning-platform-release",
            "ml-images",
            "cloud-hpc-image-public",
            "gce-uefi-images");

    private final PriceCatalog catalog;

    public CostModel(PriceCatalog catalog) {
        this.catalog = catalog;
    }

    public PriceCatalog catalog() {
        return catalog;
    }

    /** What an item is. */
    public enum Kind {
        MACHINE,
        GPU,
        DISK,
        LOCAL_SSD,
        IP,
        LICENCE
    }

    /**
     * One thing a VM bills for.
     *
     * @param perHour          what it bills per hour while the VM runs; null when unpriced
     * @param stoppedPerHour   what it bills per hour while the VM is stopped; null when nothing
     * @param unpriced         why it has no price, or null
     * @param billsWhenStopped whether it bills while the VM is stopped (disks, a reserved IP)
     * @param sustainedUse     the share of the list price paid over a full month (1 without discount)
     */
    public record Item(
            Kind kind,
            String what,
            Money perHour,
            Money stoppedPerHour,
            String unpriced,
            boolean billsWhenStopped,
            double sustainedUse) {
        public boolean priced() {
            return unpriced == null;
        }

        static Item priced(Kind k, String what, double usdPerHour, boolean billsWhenStopped, double sud) {
            Money m = Money.usd(usdPerHour);
            return new Item(k, what, m, billsWhenStopped ? m : null, null, billsWhenStopped, sud);
        }

        static Item missing(Kind k, String what, String why, boolean billsWhenStopped) {
            return new Item(k, what, null, null, why, billsWhenStopped, 1);
        }
    }

    /** A VM's items, per hour at list price; totals count what has a price and say what has not. */
    public record Cost(List<Item> items, String region, boolean spot) {
        public Cost {
            items = List.copyOf(items);
        }

        private Money sum(Set<Kind> kinds) {
            return items.stream()
                    .filter(i -> i.priced() && kinds.contains(i.kind()))
                    .map(Item::perHour)
                    .reduce(Money.ZERO, Money::plus);
        }

        public Money machine() {
            return sum(Set.of(Kind.MACHINE));
        }

        public Money gpus() {
            return sum(Set.of(Kind.GPU));
        }

        /** Persistent disks and local SSD. */
        public Money disks() {
            return sum(Set.of(Kind.DISK, Kind.LOCAL_SSD));
        }

        public Money network() {
            return sum(Set.of(Kind.IP));
        }

        /** Everything priced, per hour while the VM runs: a lower bound when {@link #complete()} is false. */
        public Money total() {
            return sum(Set.of(Kind.values()));
        }

        public boolean complete() {
            return items.stream().allMatch(Item::priced);
        }

        /** What has no price and why: "GPU nvidia-tesla-k80: not offered in us-west2 (…)". */
        public List<String> missing() {
            return items.stream()
                    .filter(i -> !i.priced())
                    .map(i -> i.what() + ": " + i.unpriced())
                    .toList();
        }

        /** A month (730 h) running, with the sustained-use discount Google applies by itself. */
        public Money perMonth() {
            return items.stream()
                    .filter(Item::priced)
                    .map(i -> i.perHour().times(HOURS_PER_MONTH * i.sustainedUse()))
                    .reduce(Money.ZERO, Money::plus);
        }

        /** The discount that {@link #perMonth()} includes, for a person: "N1 sustained-use discount 30 %". */
        public String sustainedUseNote() {
            Money list = total().times(HOURS_PER_MONTH);
            if (list.isZero() || perMonth().compareTo(list) >= 0) {
                return null;
            }
            return String.format(
                    Locale.ROOT,
                    "includes Google's automatic sustained-use discount (%.0f %% off this VM's list price for a full month)",
                    100 * (1 - perMonth().usd() / list.usd()));
        }

        /** What the VM bills while stopped: its disks, a reserved IP. */
        public Cost stopped() {
            List<Item> out = new ArrayList<>();
            for (Item i : items) {
                if (i.billsWhenStopped()) {
                    out.add(new Item(
                            i.kind(), i.what(), i.stoppedPerHour(), i.stoppedPerHour(), i.unpriced(), true, 1));
                }
            }
            return new Cost(out, region, spot);
        }

        /** The items billing in {@code vm}'s current state: everything until TERMINATED, then the stopped ones. */
        public Cost now(VmInfo vm) {
            return vm.billingCompute() ? this : stopped();
        }

        /** What {@code vm} bills per hour in its current state (a lower bound unless {@link #now} is complete). */
        public Money perHourNow(VmInfo vm) {
            return now(vm).total();
        }

        /** What stopping saves per hour: all but the disks and a reserved IP. */
        public Money savedByStopping() {
            return total().minus(stopped().total());
        }
    }

    /**
     * What a VM billing {@code perHour} has cost since its lastStartTimestamp; zero when it does not
     * bill compute now or never started.
     */
    public static Money sinceStart(Money perHour, VmInfo vm, Instant now) {
        if (!vm.billingCompute() || vm.lastStart() == null) {
            return Money.ZERO;
        }
        return perHour.times(Math.max(0, Duration.between(vm.lastStart(), now).toSeconds()) / 3600.0);
    }

    /** The share of the list price paid over a full month for a family (1 when Google gives no discount). */
    static double sustainedUse(String family, boolean spot) {
        if (spot) {
            return 1;
        }
        double[] tiers = N1_SUD.contains(family) ? N1_TIERS : N2_SUD.contains(family) ? N2_TIERS : null;
        if (tiers == null) {
            return 1;
        }
        double sum = 0;
        for (double t : tiers) {
            sum += t;
        }
        return sum / tiers.length;
    }

    /** Every item of {@code vm}, priced where the catalog can; never throws for what it cannot price. */
    public Cost hourly(VmShape vm) {
        String region = PriceCatalog.regionOf(vm.zone());
        List<Item> items = new ArrayList<>();
        PriceCatalog.Region r = catalog.regionOrNull(region);
        if (r == null) {
            String why;
            try {
                catalog.region(region);
                why = "no prices";
            } catch (IllegalArgumentException e) {
                why = e.getMessage();
            }
            items.add(Item.missing(Kind.MACHINE, "the whole VM", why, true));
            return new Cost(items, region, vm.spot());
        }
        MachineShape shape = null;
        try {
            shape = MachineShape.resolve(vm.machineType(), catalog.shapes());
        } catch (IllegalArgumentException e) {
            items.add(Item.missing(
                    Kind.MACHINE,
                    "machine " + io.colabtop.core.SafeText.clip(vm.machineType(), 70),
                    e.getMessage(),
                    false));
        }
        if (shape != null) {
            machine(items, r, region, shape, vm.spot());
        }
        String family = shape == null ? "" : shape.family();
        for (VmShape.GpuCount g : vm.gpus()) {
            if (g.count() <= 0 || (shape != null && g.type().equals(shape.bundledGpu()))) {
                continue; // the API lists an A2/G2's bundled GPUs too: counted with the machine
            }
            String what = g.count() + "x GPU " + io.colabtop.core.SafeText.clip(g.type(), 60);
            PriceCatalog.Price p = r.gpus().get(g.type());
            Double h = p == null ? null : p.of(vm.spot());
            if (h == null) {
                items.add(Item.missing(Kind.GPU, what, gpuWhy(g.type(), region, p != null, vm.spot()), false));
            } else {
                double sud = family.equals("n1") ? sustainedUse("n1", vm.spot()) : 1;
                items.add(Item.priced(Kind.GPU, what, g.count() * h, false, sud));
            }
        }
        for (VmShape.Disk d : vm.disks()) {
            disk(items, r, region, d, vm.spot());
        }
        ip(items, r, region, vm);
        for (String l : vm.licences()) {
            String project = licenceProject(l);
            if (project == null || !FREE_IMAGE_PROJECTS.contains(project)) {
                items.add(Item.missing(
                        Kind.LICENCE,
                        "licence " + io.colabtop.core.SafeText.clip(last(l), 60),
                        "a premium image's surcharge (" + (project == null ? "unknown project" : project)
                                + ") is not in colabtop's catalog",
                        false));
            }
        }
        return new Cost(items, region, vm.spot());
    }

    private void machine(List<Item> items, PriceCatalog.Region r, String region, MachineShape s, boolean spot) {
        double sud = sustainedUse(s.family(), spot);
        PriceCatalog.Price own = s.custom() ? null : r.types().get(s.type());
        String what = describe(s, own != null);
        if (own != null) {
            Double h = own.of(spot);
            if (h == null) {
                items.add(Item.missing(
                        Kind.MACHINE, what, "no " + (spot ? "spot" : "on-demand") + " price in " + region, false));
            } else {
                items.add(Item.priced(Kind.MACHINE, what, h, false, sud));
            }
            return;
        }
        PriceCatalog.Rates x = r.machines().get(s.ratesKey());
        Double c = x == null ? null : spot ? x.spotVcpu() : x.vcpu();
        Double m = x == null ? null : spot ? x.spotMem() : x.mem();
        if (c == null || m == null) {
            String rates = (spot ? "spot " : "") + s.ratesKey().toUpperCase(Locale.ROOT) + " rates";
            items.add(Item.missing(
                    Kind.MACHINE,
                    what,
                    x == null && !r.machines().containsKey(s.family())
                            ? "no " + rates + " in " + region + " (the family is not offered there, or not in the "
                                    + catalog.info().label() + ")"
                            : "no " + rates + " in " + region + " in the "
                                    + catalog.info().label(),
                    false));
        } else {
            items.add(Item.priced(Kind.MACHINE, what, s.vcpus() * c + s.memGb() * m, false, sud));
        }
        if (s.extendedMemGb() > 0) {
            String ext = String.format(Locale.ROOT, "extended memory %.2f GB", s.extendedMemGb());
            PriceCatalog.Rates e = r.machines().get(s.family() + "-ext");
            Double em = e == null ? null : spot ? e.spotMem() : e.mem();
            if (em == null) {
                items.add(Item.missing(
                        Kind.MACHINE,
                        ext,
                        "no " + s.family().toUpperCase(Locale.ROOT) + " extended-memory rate in the "
                                + catalog.info().label() + " (colabtop prices update fetches it)",
                        false));
            } else {
                items.add(Item.priced(Kind.MACHINE, ext, s.extendedMemGb() * em, false, sud));
            }
        }
        if (s.bundledGpu() != null && s.bundledGpus() > 0) {
            String g = num(s.bundledGpus()) + "x GPU " + s.bundledGpu() + " (comes with " + s.type() + ")";
            PriceCatalog.Price p = r.gpus().get(s.bundledGpu());
            Double h = p == null ? null : p.of(spot);
            if (h == null) {
                items.add(Item.missing(Kind.GPU, g, gpuWhy(s.bundledGpu(), region, p != null, spot), false));
            } else {
                items.add(Item.priced(Kind.GPU, g, s.bundledGpus() * h, false, 1));
            }
        }
        if (s.localSsdGb() > 0) {
            disk(items, r, region, new VmShape.Disk(localSsdKey(s.family()), s.localSsdGb()), spot);
        }
    }

    /**
     * "machine n1-highmem-2 (2 vCPUs, 13 GB)"; a type with one price for all of it says what the
     * price includes: "machine a2-highgpu-1g (12 vCPUs, 85 GB, with 1x nvidia-tesla-a100)".
     */
    static String describe(MachineShape s, boolean onePrice) {
        String size = String.format(Locale.ROOT, "%s vCPUs, %s GB", num(s.vcpus()), num(s.memGb() + s.extendedMemGb()));
        if (onePrice && s.bundledGpu() != null) {
            size += ", with " + num(s.bundledGpus()) + "x " + s.bundledGpu();
        }
        if (onePrice && s.localSsdGb() > 0) {
            size += ", with " + s.localSsdGb() + " GB local SSD";
        }
        return "machine " + s.type() + " (" + size + ")";
    }

    private static String num(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%.2f", d);
    }

    /** The local SSD of a -lssd type bills at its family's rate: C4, C4A and C4D have their own. */
    static String localSsdKey(String family) {
        return switch (family) {
            case "c4", "c4a", "c4d" -> "local-ssd-" + family;
            default -> "local-ssd";
        };
    }

    private String gpuWhy(String type, String region, boolean known, boolean spot) {
        if (known) {
            return "no " + (spot ? "spot" : "on-demand") + " price in " + region + " in the "
                    + catalog.info().label();
        }
        if (!catalog.knowsGpu(type)) {
            return "not a GPU type in the " + catalog.info().label();
        }
        List<String> where = catalog.regionsWithGpu(type);
        return "not offered in " + region + " (priced in "
                + (where.isEmpty()
                        ? "no region alone: it comes with a machine type"
                        : where.size() > 6
                                ? String.join(", ", where.subList(0, 6)) + " and " + (where.size() - 6) + " more"
                                : String.join(", ", where))
                + ")";
    }

    private void disk(List<Item> items, PriceCatalog.Region r, String region, VmShape.Disk d, boolean spot) {
        boolean local = d.type().startsWith("local-ssd");
        String what = (local ? "local SSD " : "disk ") + d.sizeGb() + " GB "
                + (d.type().equals(VmShape.Disk.UNKNOWN) ? "" : io.colabtop.core.SafeText.clip(d.type(), 60));
        if (d.type().equals(VmShape.Disk.UNKNOWN)) {
            items.add(Item.missing(Kind.DISK, what.strip(), d.note() == null ? "type unknown" : d.note(), true));
            return;
        }
        PriceCatalog.Price p = r.disks().get(d.type());
        Double month = p == null ? null : local && spot && p.spot() != null ? p.spot() : p.onDemand();
        if (month == null) {
            items.add(Item.missing(
                    local ? Kind.LOCAL_SSD : Kind.DISK,
                    what,
                    "no price for this disk type in " + region + " in the "
                            + catalog.info().label(),
                    !local));
            return;
        }
        // local SSD is discarded when a VM stops (and stops billing); persistent disks bill on
        items.add(
                Item.priced(local ? Kind.LOCAL_SSD : Kind.DISK, what, d.sizeGb() * month / HOURS_PER_MONTH, !local, 1));
        if (PROVISIONED.contains(d.type())) {
            items.add(Item.missing(
                    Kind.DISK,
                    "provisioned IOPS/throughput of " + what,
                    "billed on top of capacity; colabtop prices capacity only",
                    true));
        }
    }

    private void ip(List<Item> items, PriceCatalog.Region r, String region, VmShape vm) {
        if (vm.externalIp() == VmShape.ExternalIp.NONE) {
            return;
        }
        boolean reserved = vm.externalIp() == VmShape.ExternalIp.RESERVED_WHILE_STOPPED;
        String what = "external IPv4";
        PriceCatalog.Ipv4 p = r.ipv4();
        if (p == null) {
            items.add(Item.missing(Kind.IP, what, "no IPv4 price in " + region, reserved));
            return;
        }
        double inUse = vm.spot() && p.spotInUse() != null ? p.spotInUse() : p.inUse();
        Money running = Money.usd(inUse);
        // an ephemeral address goes with the VM when it stops; one still there on a stopped VM is reserved
        items.add(new Item(Kind.IP, what, running, reserved ? Money.usd(p.unused()) : null, null, reserved, 1));
    }

    /** ".../projects/windows-cloud/global/licenses/windows-server-2022-dc" to "windows-cloud". */
    static String licenceProject(String licence) {
        int i = licence.indexOf("projects/");
        if (i < 0) {
            return null;
        }
        String rest = licence.substring(i + "projects/".length());
        int slash = rest.indexOf('/');
        return slash > 0 ? rest.substring(0, slash) : null;
    }

    private static String last(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }
}
