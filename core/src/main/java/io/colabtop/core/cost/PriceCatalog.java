package io.colabtop.core.cost;

import java.util.Map;

/**
 * List prices as data (loaded from config/prices.json by the app): per region, per machine family
 * the hourly price of one vCPU and one GB of memory (on-demand and spot), custom-shape and
 * extended-memory rates, GPUs per hour, and persistent disks per GB-month.
 */
public record PriceCatalog(String source, String date, String currency, Map<String, Region> regions) {

    public record Rate(double vcpuHour, double memGbHour) {}

    public record Family(Rate onDemand, Rate spot, Rate custom, Double extendedMemGbHour) {}

    public record Gpu(double hour, Double spotHour) {}

    public record Region(Map<String, Family> families, Map<String, Gpu> gpus, Map<String, Double> diskGbMonth) {}

    /** Upper bounds of a believable list price, in USD: far above any real rate, far below a typo's. */
    static final double MAX_VCPU_HOUR = 5;

    static final double MAX_MEM_GB_HOUR = 1;
    static final double MAX_GPU_HOUR = 100;
    static final double MAX_DISK_GB_MONTH = 5;

    /**
     * Checks every rate: a price file is read from disk (the user's, or one downloaded), and a
     * negative, NaN, infinite or absurd rate would print a wrong bill with a straight face.
     *
     * @throws IllegalArgumentException naming the first bad key, e.g.
     *         {@code regions.us-central1.gpus.nvidia-tesla-t4.hour = -0.35}
     */
    public PriceCatalog validate() {
        if (currency == null || !currency.matches("[A-Z]{3}")) {
            throw new IllegalArgumentException("currency = " + currency + " is not a 3-letter ISO code");
        }
        if (regions == null || regions.isEmpty()) {
            throw new IllegalArgumentException("regions is empty");
        }
        for (Map.Entry<String, Region> r : regions.entrySet()) {
            String at = "regions." + r.getKey();
            Region reg = r.getValue();
            if (reg == null || reg.families() == null || reg.gpus() == null || reg.diskGbMonth() == null) {
                throw new IllegalArgumentException(at + " needs families, gpus and diskGbMonth");
            }
            for (Map.Entry<String, Family> f : reg.families().entrySet()) {
                String fa = at + ".families." + f.getKey();
                Family fam = f.getValue();
                if (fam == null || fam.onDemand() == null) {
                    throw new IllegalArgumentException(fa + ".onDemand is missing");
                }
                rate(fa + ".onDemand", fam.onDemand());
                rate(fa + ".spot", fam.spot());
                rate(fa + ".custom", fam.custom());
                if (fam.extendedMemGbHour() != null) {
                    check(fa + ".extendedMemGbHour", fam.extendedMemGbHour(), MAX_MEM_GB_HOUR);
                }
            }
            for (Map.Entry<String, Gpu> g : reg.gpus().entrySet()) {
                String ga = at + ".gpus." + g.getKey();
                if (g.getValue() == null) {
                    throw new IllegalArgumentException(ga + " is empty");
                }
                check(ga + ".hour", g.getValue().hour(), MAX_GPU_HOUR);
                if (g.getValue().spotHour() != null) {
                    check(ga + ".spotHour", g.getValue().spotHour(), MAX_GPU_HOUR);
                }
            }
            for (Map.Entry<String, Double> d : reg.diskGbMonth().entrySet()) {
                if (d.getValue() == null) {
                    throw new IllegalArgumentException(at + ".diskGbMonth." + d.getKey() + " is empty");
                }
                check(at + ".diskGbMonth." + d.getKey(), d.getValue(), MAX_DISK_GB_MONTH);
            }
        }
        return this;
    }

    private static void rate(String at, Rate r) {
        if (r != null) {
            check(at + ".vcpuHour", r.vcpuHour(), MAX_VCPU_HOUR);
            check(at + ".memGbHour", r.memGbHour(), MAX_MEM_GB_HOUR);
        }
    }

    private static void check(String at, double v, double max) {
        if (!Double.isFinite(v) || v < 0 || v > max) {
            throw new IllegalArgumentException(
                    at + " = " + v + " is not a believable price (a finite number from 0 to " + max + " USD)");
        }
    }

    public Region region(String region) {
        Region r = regions.get(region);
        if (r == null) {
            throw new IllegalArgumentException(
                    "no prices for region " + region + " (catalog has " + regions.keySet() + ")");
        }
        return r;
    }

    /** "us-central1-a" to "us-central1". */
    public static String regionOf(String zone) {
        int dash = zone.lastIndexOf('-');
        return dash > 0 && zone.length() - dash <= 2 ? zone.substring(0, dash) : zone;
    }
}
