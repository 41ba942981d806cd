package io.colabtop.core.cost;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a GCE machine type means: vCPUs, memory, the GPUs and local SSD that come with it.
 * Predefined types are looked up in the catalog's shape table (every type of every family, from
 * the snapshot); custom ones spell themselves out ({@code n2-custom-8-32768}: 8 vCPUs, 32768 MB;
 * {@code custom-4-30720-ext} is N1 with extended memory); a few predefined names follow fixed
 * ratios (n1-standard: 3.75 GB per vCPU, n2/e2/c2-standard: 4 GB, highmem 6.5 or 8, highcpu 0.9
 * or 1) and are understood without the table.
 *
 * @param family        the price family: n1, n2, c3, a2... (custom shapes bill at FAMILY-custom)
 * @param extendedMemGb memory beyond the family's per-vCPU maximum, billed at the extended rate
 * @param bundledGpu    GPU type that comes with the machine (A2, A3, G2, G4), or null
 * @param bundledGpus   how many (a G4 may come with a share of one: 0.25)
 * @param localSsdGb    local SSD that comes with the machine (-lssd types, A3, Z3)
 */
public record MachineShape(
        String type,
        String family,
        double vcpus,
        double memGb,
        boolean custom,
        double extendedMemGb,
        String bundledGpu,
        double bundledGpus,
        int localSsdGb) {

    private static final Pattern PREDEFINED = Pattern.compile("(n1|n2|n2d|e2|c2)-(standard|highmem|highcpu)-(\\d+)");
    private static final Pattern CUSTOM =
            Pattern.compile("(?:(n1|n2|n2d|e2|n4|n4d|n4a)-)?custom-(\\d{1,3})-(\\d{3,7})(-ext)?");
    private static final Pattern A2 = Pattern.compile("a2-(highgpu|megagpu|ultragpu)-(\\d+)g");
    private static final Pattern G2 = Pattern.compile("g2-standard-(\\d+)");

    /** The part of a custom shape's memory that is not extended: GB per vCPU. */
    static double maxMemPerVcpu(String family) {
        return family.equals("n1") ? 6.5 : 8;
    }

    /** The type name without a URL's path: .../machineTypes/n1-standard-8 to n1-standard-8. */
    static String bare(String machineType) {
        return machineType.contains("/") ? machineType.substring(machineType.lastIndexOf('/') + 1) : machineType;
    }

    /**
     * The shape of {@code machineType}: from {@code table} (the catalog's shapes) when it is
     * there, else from the name.
     *
     * @throws IllegalArgumentException when neither knows the type
     */
    public static MachineShape resolve(String machineType, Map<String, PriceCatalog.Shape> table) {
        String t = bare(machineType);
        PriceCatalog.Shape s = table.get(t);
        if (s != null) {
            return new MachineShape(t, family(t), s.vcpus(), s.memGb(), false, 0, s.gpu(), s.gpus(), s.localSsdGb());
        }
        return parse(t);
    }

    /** The price family of a predefined type: the part before the first dash (c3d-highmem-8: c3d). */
    static String family(String type) {
        int dash = type.indexOf('-');
        return dash > 0 ? type.substring(0, dash) : type;
    }

    /** A shape from the name alone: custom shapes, and the fixed-ratio predefined types. */
    public static MachineShape parse(String machineType) {
        String t = bare(machineType);
        Matcher m = CUSTOM.matcher(t);
        if (m.matches()) {
            String fam = m.group(1) == null ? "n1" : m.group(1);
            int n = Integer.parseInt(m.group(2));
            double mem = Integer.parseInt(m.group(3)) / 1024.0;
            double max = maxMemPerVcpu(fam) * n;
            double ext = m.group(4) != null ? Math.max(0, mem - max) : 0;
            if (n < 1) {
                throw new IllegalArgumentException(
                        "machine type '" + io.colabtop.core.SafeText.clip(t, 70) + "' has no vCPUs");
            }
            return new MachineShape(t, fam, n, mem - ext, true, ext, null, 0, 0);
        }
        m = PREDEFINED.matcher(t);
        if (m.matches()) {
            String fam = m.group(1);
            int n = Integer.parseInt(m.group(3));
            double perCpu = switch (m.group(2)) {
                case "standard" -> fam.equals("n1") ? 3.75 : 4;
                case "highmem" -> fam.equals("n1") ? 6.5 : 8;
                default -> fam.equals("n1") ? 0.9 : 1;
            };
            return new MachineShape(t, fam, n, n * perCpu, false, 0, null, 0, 0);
        }
        m = A2.matcher(t);
        if (m.matches()) {
            int g = Integer.parseInt(m.group(2));
            boolean ultra = m.group(1).equals("ultragpu");
            // a2-highgpu-1g: 12 vCPUs, 85 GB per GPU; ultragpu: 170 GB and 375 GB local SSD per GPU
            if (m.group(1).equals("megagpu")) {
                return new MachineShape(t, "a2", 96, 1360, false, 0, "nvidia-tesla-a100", 16, 0);
            }
            return new MachineShape(
                    t,
                    "a2",
                    12 * g,
                    (ultra ? 170 : 85) * g,
                    false,
                    0,
                    ultra ? "nvidia-a100-80gb" : "nvidia-tesla-a100",
                    g,
                    ultra ? 375 * g : 0);
        }
        m = G2.matcher(t);
        if (m.matches()) {
            int n = Integer.parseInt(m.group(1));
            int gpus = switch (n) {
                case 24 -> 2;
                case 48 -> 4;
                case 96 -> 8;
                default -> 1;
            };
            return new MachineShape(t, "g2", n, n * 4.0, false, 0, "nvidia-l4", gpus, 0);
        }
        throw new IllegalArgumentException("machine type '" + io.colabtop.core.SafeText.clip(t, 70)
                + "' is not in the price catalog's shapes (and its name is not a custom shape)");
    }

    /** The key of this shape's vCPU and memory rates in a region's machines: n1, n2-custom. */
    public String ratesKey() {
        return custom ? family + "-custom" : family;
    }
}
