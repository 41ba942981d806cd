package io.colabtop.core.cost;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * From the Cloud Billing Catalog's Compute Engine SKUs to a price catalog. A SKU is a unit price
 * for one thing in some regions; what it is for is only in its description, so this is a parser
 * of descriptions, e.g.
 * <pre>
 *   N1 Predefined Instance Core running in Americas            (n1, vCPU, on demand)
 *   Spot Preemptible N2D AMD Custom Instance Ram running in …  (n2d-custom, GB, spot)
 *   Nvidia Tesla T4 GPU attached to Spot Preemptible VMs running in Americas
 *   Balanced PD Capacity in Tokyo                              (pd-balanced, GB-month)
 *   External IP Charge on a Standard VM                        (IPv4 in use)
 * </pre>
 * Commitments, reservations, sole tenancy and premiums are not list prices and are skipped; a
 * description it does not understand is counted and named, never guessed at.
 */
public final class BillingSkus {
    private BillingSkus() {}

    /** One SKU as the API gives it. */
    public record Sku(
            String id,
            String description,
            String resourceFamily,
            String resourceGroup,
            String usageType,
            List<String> regions,
            String usageUnit,
            List<Tier> tiers) {
        public Sku {
            regions = List.copyOf(regions);
            tiers = List.copyOf(tiers);
        }
    }

    /** A tier of a tiered rate: from {@code startUsage} units on, {@code unitPrice} per unit. */
    public record Tier(double startUsage, double unitPrice) {}

    /**
     * The catalog made, and an account of the SKUs: how many were read, used, skipped as not list
     * prices, and the descriptions not understood (the first few).
     */
    public record Result(PriceCatalog catalog, int read, int used, int skipped, List<String> notUnderstood) {}

    static final Pattern MACHINE =
            Pattern.compile("(?<spot>(?:Spot )?Preemptible )?(?<what>.+?) (?<unit>Core|Ram) running in .+");
    static final Pattern GPU = Pattern.compile(
            "(?<name>(?:Nvidia|NVIDIA) .+?|RTX .+?)(?: GPU)? (?:(?<spot>attached to Spot Preemptible VMs )|)running in .+");
    static final Pattern FAMILY = Pattern.compile("[A-Z][0-9][A-Z]?(?:Plus)?");
    static final Pattern LOCATION = Pattern.compile(" in [A-Z][^,]*$");

    /** GPU names in descriptions to the API's accelerator types. */
    static final Map<String, String> GPUS = Map.ofEntries(
            Map.entry("Nvidia Tesla T4", "nvidia-tesla-t4"),
            Map.entry("Nvidia Tesla P4", "nvidia-tesla-p4"),
            Map.entry("Nvidia Tesla P100", "nvidia-tesla-p100"),
            Map.entry("Nvidia Tesla V100", "nvidia-tesla-v100"),
            Map.entry("Nvidia Tesla K80", "nvidia-tesla-k80"),
            Map.entry("Nvidia Tesla A100", "nvidia-tesla-a100"),
            Map.entry("Nvidia Tesla A100 80GB", "nvidia-a100-80gb"),
            Map.entry("Nvidia L4", "nvidia-l4"),
            Map.entry("Nvidia H100 80GB", "nvidia-h100-80gb"),
            Map.entry("Nvidia H100 80GB Mega", "nvidia-h100-mega-80gb"),
            Map.entry("Nvidia H200 141GB", "nvidia-h200-141gb"),
            Map.entry("Nvidia B200", "nvidia-b200"),
            Map.entry("RTX 6000 96GB", "nvidia-rtx-pro-6000"));

    /** Disk capacity descriptions (before " in LOCATION") to the API's disk types. */
    static final Map<String, String> DISKS = Map.ofEntries(
            Map.entry("Storage PD Capacity", "pd-standard"),
            Map.entry("Balanced PD Capacity", "pd-balanced"),
            Map.entry("SSD backed PD Capacity", "pd-ssd"),
            Map.entry("Extreme PD Capacity", "pd-extreme"),
            Map.entry("Regional Storage PD Capacity", "regional-pd-standard"),
            Map.entry("Regional Balanced PD Capacity", "regional-pd-balanced"),
            Map.entry("Regional SSD backed PD Capacity", "regional-pd-ssd"),
            Map.entry("Hyperdisk Balanced Capacity", "hyperdisk-balanced"),
            Map.entry("Hyperdisk Extreme Capacity", "hyperdisk-extreme"),
            Map.entry("Hyperdisk Throughput Capacity", "hyperdisk-throughput"),
            Map.entry("Hyperdisk ML Capacity", "hyperdisk-ml"),
            Map.entry("SSD backed Local Storage", "local-ssd"));

    /** Words that mark a SKU that is not a list price for an hour of use. */
    static final List<String> NOT_LIST = List.of(
            "Commitment",
            "Reserved",
            "Reservation",
            "Sole Tenancy",
            "Premium",
            "DWS",
            "Calendar",
            "Flex",
            "Licensing",
            "Dynamic Workload",
            "Upgrade");

    private static final class Acc {
        final Map<String, Double[]> machines = new HashMap<>(); // family -> vcpu, mem, spot vcpu, spot mem
        final Map<String, Double[]> types = new HashMap<>();
        final Map<String, Double[]> gpus = new HashMap<>();
        final Map<String, Double[]> disks = new HashMap<>();
        final Double[] ip = new Double[3]; // in use, spot in use, unused
    }

    /**
     * @param shapes the machine shapes to carry over (the Billing Catalog has prices, not shapes)
     * @param date   the day of the fetch, YYYY-MM-DD
     */
    public static Result toCatalog(List<Sku> skus, Map<String, PriceCatalog.Shape> shapes, String date, String origin) {
        Map<String, Acc> byRegion = new LinkedHashMap<>();
        List<Acc> global = new ArrayList<>();
        Acc globalAcc = new Acc();
        global.add(globalAcc);
        int used = 0;
        int skipped = 0;
        TreeSet<String> notUnderstood = new TreeSet<>();
        for (Sku s : skus) {
            String d = s.description() == null ? "" : s.description().strip();
            boolean listPrice = s.usageType() != null
                    && (s.usageType().equals("OnDemand") || s.usageType().equals("Preemptible"))
                    && NOT_LIST.stream().noneMatch(d::contains);
            if (!listPrice) {
                skipped++;
                continue;
            }
            Double price = price(s.tiers());
            if (price == null) {
                notUnderstood.add(io.colabtop.core.SafeText.clip(d, 80) + " (no usable price)");
                continue;
            }
            boolean spot = s.usageType().equals("Preemptible");
            Target t = target(s, d, spot);
            if (t == null) {
                notUnderstood.add(io.colabtop.core.SafeText.clip(d, 80));
                continue;
            }
            if (!t.unit().equals(s.usageUnit())) {
                notUnderstood.add(io.colabtop.core.SafeText.clip(d, 80) + " (unit "
                        + io.colabtop.core.SafeText.clip(String.valueOf(s.usageUnit()), 20) + ", expected " + t.unit()
                        + ")");
                continue;
            }
            used++;
            List<Acc> accs = new ArrayList<>();
            for (String r : s.regions()) {
                if (r.equals("global")) {
                    accs.add(globalAcc);
                } else if (r.matches("[a-z]+-[a-z]+[0-9]+")) {
                    accs.add(byRegion.computeIfAbsent(r, k -> new Acc()));
                }
            }
            for (Acc a : accs) {
                Map<String, Double[]> table = switch (t.table()) {
                    case "machines" -> a.machines;
                    case "types" -> a.types;
                    case "gpus" -> a.gpus;
                    case "disks" -> a.disks;
                    default -> null;
                };
                Double[] slot = table == null ? a.ip : table.computeIfAbsent(t.key(), k -> new Double[4]);
                // two SKUs for one slot (a region listed by a regional and a multi-regional SKU): the higher wins
                slot[t.index()] = slot[t.index()] == null ? price : Math.max(slot[t.index()], price);
            }
        }
        Map<String, PriceCatalog.Region> regions = new LinkedHashMap<>();
        for (Map.Entry<String, Acc> e : byRegion.entrySet()) {
            regions.put(e.getKey(), region(e.getValue(), globalAcc));
        }
        PriceCatalog.Info info = new PriceCatalog.Info(
                PriceCatalog.BILLING_CATALOG,
                date,
                "USD",
                "Google Cloud Billing Catalog, Compute Engine (service 6F81-5844-456A), " + used + " SKUs, fetched "
                        + date,
                origin);
        return new Result(
                new PriceCatalog(info, shapes, regions),
                skus.size(),
                used,
                skipped,
                new ArrayList<>(notUnderstood).subList(0, Math.min(20, notUnderstood.size())));
    }

    private static PriceCatalog.Region region(Acc a, Acc global) {
        Map<String, PriceCatalog.Rates> machines = new HashMap<>();
        a.machines.forEach((k, v) -> machines.put(k, new PriceCatalog.Rates(v[0], v[1], v[2], v[3])));
        Map<String, PriceCatalog.Price> types = prices(a.types, global.types);
        Map<String, PriceCatalog.Price> gpus = prices(a.gpus, global.gpus);
        Map<String, PriceCatalog.Price> disks = prices(a.disks, global.disks);
        Double inUse = a.ip[0] != null ? a.ip[0] : global.ip[0];
        Double spotInUse = a.ip[1] != null ? a.ip[1] : global.ip[1];
        Double unused = a.ip[2] != null ? a.ip[2] : global.ip[2];
        PriceCatalog.Ipv4 ip = inUse != null && unused != null ? new PriceCatalog.Ipv4(inUse, spotInUse, unused) : null;
        return new PriceCatalog.Region(machines, types, gpus, disks, ip);
    }

    private static Map<String, PriceCatalog.Price> prices(Map<String, Double[]> own, Map<String, Double[]> global) {
        Map<String, PriceCatalog.Price> out = new HashMap<>();
        global.forEach((k, v) -> out.put(k, new PriceCatalog.Price(v[0], v[1])));
        own.forEach((k, v) -> out.put(k, new PriceCatalog.Price(v[0], v[1])));
        return out;
    }

    /** Where a SKU's price goes: table, key, slot (0 on demand, 1 spot; machines 0-3), and its expected unit. */
    record Target(String table, String key, int index, String unit) {}

    static Target target(Sku s, String d, boolean spot) {
        String family = s.resourceFamily() == null ? "" : s.resourceFamily();
        if (family.equals("Compute")) {
            if (d.startsWith("Micro Instance with burstable CPU") || d.startsWith("Spot Preemptible Micro Instance")) {
                return new Target("types", "f1-micro", spot ? 1 : 0, "h");
            }
            if (d.startsWith("Small Instance with 1 VCPU") || d.startsWith("Spot Preemptible Small Instance")) {
                return new Target("types", "g1-small", spot ? 1 : 0, "h");
            }
            Matcher g = GPU.matcher(d);
            if ("GPU".equals(s.resourceGroup()) && g.matches()) {
                String type = GPUS.get(g.group("name"));
                return type == null ? null : new Target("gpus", type, spot || g.group("spot") != null ? 1 : 0, "h");
            }
            Matcher m = MACHINE.matcher(d);
            if (m.matches()) {
                String key = machineKey(m.group("what"));
                if (key == null) {
                    return null;
                }
                boolean core = m.group("unit").equals("Core");
                if (key.endsWith("-ext") && core) {
                    return null;
                }
                boolean sp = spot || m.group("spot") != null;
                int index = key.endsWith("-ext") ? (sp ? 3 : 1) : (core ? 0 : 1) + (sp ? 2 : 0);
                return new Target("machines", key, index, core ? "h" : "GiBy.h");
            }
            return null;
        }
        if (family.equals("Storage")) {
            boolean localSpot = d.startsWith("SSD backed Local Storage attached to Spot Preemptible VMs");
            String name =
                    LOCATION.matcher(localSpot ? "SSD backed Local Storage" : d).replaceFirst("");
            String type = DISKS.get(name);
            return type == null ? null : new Target("disks", type, localSpot || spot ? 1 : 0, "GiBy.mo");
        }
        if (family.equals("Network") && "IpAddress".equals(s.resourceGroup())) {
            String name = LOCATION.matcher(d).replaceFirst("");
            return switch (name) {
                case "External IP Charge on a Standard VM" -> new Target("ip", "", 0, "h");
                case "External IP Charge on a Spot Preemptible VM" -> new Target("ip", "", 1, "h");
                case "Static Ip Charge" -> new Target("ip", "", 2, "h");
                default -> null;
            };
        }
        return null;
    }

    /**
     * "N1 Predefined Instance" to n1, "N2D AMD Custom Instance" to n2d-custom, "N2 Custom Extended
     * Instance" to n2-ext, "Custom Instance" to n1-custom, "Compute optimized" to c2,
     * "Memory-optimized Instance" to m1, "C4A Arm Instance" to c4a; null for anything else.
     */
    static String machineKey(String what) {
        String w = what.replace(" Instance", "")
                .replace(" Predefined", "")
                .replace(" AMD", "")
                .replace(" Arm", "")
                .replace(" Intel", "")
                .strip();
        String suffix = "";
        if (w.endsWith(" Custom Extended")) {
            suffix = "-ext";
            w = w.substring(0, w.length() - " Custom Extended".length());
        } else if (w.endsWith(" Custom")) {
            suffix = "-custom";
            w = w.substring(0, w.length() - " Custom".length());
        }
        switch (w) {
            case "Custom":
                return "n1-custom";
            case "Custom Extended":
                return "n1-ext";
            case "Compute optimized":
                return "c2";
            case "Memory-optimized":
                return "m1";
            default:
        }
        String first = w.split(" ", 2)[0];
        if (!FAMILY.matcher(first).matches()) {
            return null;
        }
        if (w.contains(" ") && !w.endsWith("Memory-optimized") && !w.endsWith("Memory Optimized")) {
            return null; // "N1 Something Else": not a plain family's core or RAM
        }
        return first.toLowerCase(java.util.Locale.ROOT) + suffix;
    }

    /**
     * The price per unit a VM pays: the first tier, unless it is a free allowance (a zero price
     * followed by a priced tier), then the first priced tier after it. A price is units + nanos,
     * so a nanos-only price is a fraction of a dollar.
     */
    static Double price(List<Tier> tiers) {
        if (tiers.isEmpty()) {
            return null;
        }
        List<Tier> sorted = new ArrayList<>(tiers);
        sorted.sort(java.util.Comparator.comparingDouble(Tier::startUsage));
        for (Tier t : sorted) {
            if (!Double.isFinite(t.unitPrice()) || t.unitPrice() < 0) {
                return null;
            }
        }
        for (Tier t : sorted) {
            if (t.unitPrice() > 0) {
                return t.unitPrice();
            }
        }
        return 0.0;
    }

    /** A money value as the API writes it: {"units":"1","nanos":250000000} is 1.25. */
    public static double money(String units, long nanos) {
        long u = units == null || units.isEmpty() ? 0 : Long.parseLong(units);
        return u + nanos / 1e9;
    }
}
