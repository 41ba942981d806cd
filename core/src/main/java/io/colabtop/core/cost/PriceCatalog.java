package io.colabtop.core.cost;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * List prices as data, in US dollars: per region, per machine family the hourly price of one vCPU
 * and one GB (on-demand and spot; {@code FAMILY-custom} for custom shapes, {@code FAMILY-ext} for
 * extended memory), the price of the predefined types the family rates do not give (bundled GPUs,
 * shared-core types), GPUs per hour, disks per GB-month, external IPv4 per hour; and the shapes of
 * predefined machine types. Loaded by the app from the shipped snapshot (config/prices.json, made
 * by tools/prices/generate.py), from what {@code colabtop prices update} fetched from the Cloud
 * Billing Catalog, or from the user's file.
 *
 * @param info    which catalog this is and how old, for every view that shows a price
 * @param shapes  machine type to what it is made of
 */
public record PriceCatalog(Info info, Map<String, Shape> shapes, Map<String, Region> regions) {

    /**
     * Where the prices come from.
     *
     * @param kind   {@link #SNAPSHOT}, {@link #BILLING_CATALOG} or {@link #FILE}
     * @param date   the day the prices were read from Google (YYYY-MM-DD)
     * @param origin the file it was read from, or "built in"
     */
    public record Info(String kind, String date, String currency, String source, String origin) {
        /** "shipped snapshot of 2026-07-30", "Billing Catalog fetched 2026-11-23", "prices file of 2026-01-02". */
        public String label() {
            return switch (kind) {
                case SNAPSHOT -> "shipped snapshot of " + date;
                case BILLING_CATALOG -> "Billing Catalog fetched " + date;
                default -> "prices file of " + date;
            };
        }
    }

    public static final String SNAPSHOT = "snapshot";
    public static final String BILLING_CATALOG = "billing-catalog";
    public static final String FILE = "file";

    /**
     * A predefined machine type: vCPUs (fractional for shared-core e2-micro), GB, bundled GPUs
     * (fractional for G4's shares of an RTX PRO 6000) and local SSD.
     */
    public record Shape(double vcpus, double memGb, String gpu, double gpus, int localSsdGb) {}

    /** USD per vCPU-hour and per GB-hour; either may be unknown (null), spot ones often are. */
    public record Rates(Double vcpu, Double mem, Double spotVcpu, Double spotMem) {}

    /** A price on demand and as spot (either may be unknown): USD per hour, or per GB-month for disks. */
    public record Price(Double onDemand, Double spot) {
        public Double of(boolean spotVm) {
            return spotVm ? spot : onDemand;
        }
    }

    /** External IPv4: in use by a VM (a spot VM's may be cheaper), reserved and unused, USD per hour. */
    public record Ipv4(double inUse, Double spotInUse, double unused) {}

    public record Region(
            Map<String, Rates> machines,
            Map<String, Price> types,
            Map<String, Price> gpus,
            Map<String, Price> disks,
            Ipv4 ipv4) {
        public Region {
            machines = Map.copyOf(machines);
            types = Map.copyOf(types);
            gpus = Map.copyOf(gpus);
            disks = Map.copyOf(disks);
        }
    }

    public PriceCatalog {
        shapes = Map.copyOf(shapes);
        regions = Map.copyOf(regions);
    }

    /** Upper bounds of a believable list price, in USD: far above any real rate, far below a typo's. */
    static final double MAX_VCPU_HOUR = 5;

    static final double MAX_MEM_GB_HOUR = 1;
    static final double MAX_TYPE_HOUR = 500;
    static final double MAX_GPU_HOUR = 100;
    static final double MAX_DISK_GB_MONTH = 5;
    static final double MAX_IP_HOUR = 1;

    /**
     * Checks every rate: a price file is read from disk (the user's, or one downloaded), and a
     * negative, NaN, infinite or absurd rate would print a wrong bill with a straight face.
     *
     * @throws IllegalArgumentException naming the first bad key, e.g.
     *         {@code regions.us-central1.gpus.nvidia-tesla-t4.onDemand = -0.35}
     */
    public PriceCatalog validate() {
        if (info == null || info.currency() == null || !info.currency().equals("USD")) {
            throw new IllegalArgumentException("currency = "
                    + (info == null ? null : io.colabtop.core.SafeText.clip(String.valueOf(info.currency()), 20))
                    + ": colabtop reads USD list prices (show them in another currency with --currency and --fx)");
        }
        if (regions.isEmpty()) {
            throw new IllegalArgumentException("regions is empty");
        }
        for (Map.Entry<String, Shape> s : shapes.entrySet()) {
            String at = "shapes." + s.getKey();
            Shape sh = s.getValue();
            if (!(sh.vcpus() > 0 && sh.vcpus() <= 4096 && sh.memGb() > 0 && sh.memGb() <= 65536)
                    || sh.gpus() < 0
                    || sh.gpus() > 64
                    || sh.localSsdGb() < 0
                    || (sh.gpus() > 0 && sh.gpu() == null)) {
                throw new IllegalArgumentException(at + " = " + sh + " is not a machine shape");
            }
        }
        for (Map.Entry<String, Region> r : regions.entrySet()) {
            String at = "regions." + r.getKey();
            Region reg = r.getValue();
            for (Map.Entry<String, Rates> f : reg.machines().entrySet()) {
                String fa = at + ".machines." + f.getKey();
                Rates x = f.getValue();
                check(fa + ".vcpu", x.vcpu(), MAX_VCPU_HOUR);
                check(fa + ".mem", x.mem(), MAX_MEM_GB_HOUR);
                check(fa + ".spotVcpu", x.spotVcpu(), MAX_VCPU_HOUR);
                check(fa + ".spotMem", x.spotMem(), MAX_MEM_GB_HOUR);
            }
            prices(at + ".types.", reg.types(), MAX_TYPE_HOUR);
            prices(at + ".gpus.", reg.gpus(), MAX_GPU_HOUR);
            prices(at + ".disks.", reg.disks(), MAX_DISK_GB_MONTH);
            if (reg.ipv4() != null) {
                check(at + ".ipv4.inUse", reg.ipv4().inUse(), MAX_IP_HOUR);
                check(at + ".ipv4.spotInUse", reg.ipv4().spotInUse(), MAX_IP_HOUR);
                check(at + ".ipv4.unused", reg.ipv4().unused(), MAX_IP_HOUR);
            }
        }
        return this;
    }

    private static void prices(String at, Map<String, Price> m, double max) {
        for (Map.Entry<String, Price> e : m.entrySet()) {
            check(at + e.getKey() + ".onDemand", e.getValue().onDemand(), max);
            check(at + e.getKey() + ".spot", e.getValue().spot(), max);
        }
    }

    private static void check(String at, Double v, double max) {
        if (v != null && (!Double.isFinite(v) || v < 0 || v > max)) {
            throw new IllegalArgumentException(
                    at + " = " + v + " is not a believable price (a finite number from 0 to " + max + " USD)");
        }
    }

    /** The region's prices, or null when the catalog has none for it. */
    public Region regionOrNull(String region) {
        return regions.get(region);
    }

    /**
     * The region's prices.
     *
     * @throws IllegalArgumentException saying which regions the catalog has
     */
    public Region region(String region) {
        Region r = regions.get(region);
        if (r == null) {
            throw new IllegalArgumentException("no prices for region " + io.colabtop.core.SafeText.clip(region, 40)
                    + " in the " + info.label() + " (" + regions.size() + " regions: "
                    + String.join(", ", new TreeMap<>(regions).keySet()) + ")");
        }
        return r;
    }

    /** The regions where a GPU type has a price, sorted: to say where a GPU is offered. */
    public List<String> regionsWithGpu(String gpu) {
        List<String> out = new ArrayList<>();
        new TreeMap<>(regions).forEach((name, r) -> {
            if (r.gpus().containsKey(gpu)) {
                out.add(name);
            }
        });
        return out;
    }

    /** Whether any region prices this GPU type (alone, or bundled with a machine type). */
    public boolean knowsGpu(String gpu) {
        return regions.values().stream().anyMatch(r -> r.gpus().containsKey(gpu))
                || shapes.values().stream().anyMatch(s -> gpu.equals(s.gpu()));
    }

    /** "us-central1-a" to "us-central1"; a region stays itself. */
    public static String regionOf(String zone) {
        int dash = zone.lastIndexOf('-');
        return dash > 0 && zone.length() - dash <= 2 ? zone.substring(0, dash) : zone;
    }
}
