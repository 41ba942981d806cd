package io.colabtop.core.cost;

import java.util.Map;

/**
 * List prices as data (loaded from config/prices.json by the app): per region, per machine family
 * the hourly price of one vCPU and one GB of memory (on-demand and spot), custom-shape and
 * extended-memory rates, GPUs per hour, and persistent disks per GB-month.
 */
public record PriceCatalog(String source, String date, String currency, Map<String, Region> regions) {

    public record Rate(double vcpuHour, double memGbHour) {
    }

    public record Family(Rate onDemand, Rate spot, Rate custom, Double extendedMemGbHour) {
    }

    public record Gpu(double hour, Double spotHour) {
    }

    public record Region(Map<String, Family> families, Map<String, Gpu> gpus, Map<String, Double> diskGbMonth) {
    }

    public Region region(String region) {
        Region r = regions.get(region);
        if (r == null) {
            throw new IllegalArgumentException("no prices for region " + region + " (catalog has " + regions.keySet() + ")");
        }
        return r;
    }

    /** "us-central1-a" to "us-central1". */
    public static String regionOf(String zone) {
        int dash = zone.lastIndexOf('-');
        return dash > 0 && zone.length() - dash <= 2 ? zone.substring(0, dash) : zone;
    }
}
