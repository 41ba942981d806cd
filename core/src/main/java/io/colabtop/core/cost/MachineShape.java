package io.colabtop.core.cost;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a GCE machine type name means: vCPUs, memory, and the GPUs that come with it. Predefined
 * names follow fixed ratios (n1-standard: 3.75 GB per vCPU, n2/e2/c2-standard: 4 GB, highmem 6.5
 * or 8, highcpu 0.9 or 1); custom ones spell them out ({@code n2-custom-8-32768}: 8 vCPUs, 32768
 * MB, {@code -ext} for extended memory). A2 and G2 types carry their GPUs in the name.
 *
 * @param extendedMemGb memory beyond the family's per-vCPU maximum, billed at the extended rate
 * @param bundledGpu    GPU type that comes with the machine (A2, G2), or null
 */
public record MachineShape(
        String family,
        int vcpus,
        double memGb,
        boolean custom,
        double extendedMemGb,
        String bundledGpu,
        int bundledGpus) {

    private static final Pattern PREDEFINED = Pattern.compile("(n1|n2|n2d|e2|c2)-(standard|highmem|highcpu)-(\\d+)");
    private static final Pattern CUSTOM = Pattern.compile("(?:(n1|n2|n2d|e2)-)?custom-(\\d+)-(\\d+)(-ext)?");
    private static final Pattern A2 = Pattern.compile("a2-(highgpu|megagpu|ultragpu)-(\\d+)g");
    private static final Pattern G2 = Pattern.compile("g2-standard-(\\d+)");

    public static MachineShape parse(String machineType) {
        String t = machineType.contains("/") ? machineType.substring(machineType.lastIndexOf('/') + 1) : machineType;
        Matcher m = PREDEFINED.matcher(t);
        if (m.matches()) {
            String fam = m.group(1);
            int n = Integer.parseInt(m.group(3));
            double perCpu = switch (m.group(2)) {
                case "standard" -> fam.equals("n1") ? 3.75 : 4;
                case "highmem" -> fam.equals("n1") ? 6.5 : 8;
                default -> fam.equals("n1") ? 0.9 : 1;
            };
            return new MachineShape(fam, n, n * perCpu, false, 0, null, 0);
        }
        m = CUSTOM.matcher(t);
        if (m.matches()) {
            String fam = m.group(1) == null ? "n1" : m.group(1);
            int n = Integer.parseInt(m.group(2));
            double mem = Integer.parseInt(m.group(3)) / 1024.0;
            double max = fam.equals("n1") ? 6.5 * n : 8.0 * n;
            double ext = m.group(4) != null ? Math.max(0, mem - max) : 0;
            return new MachineShape(fam, n, mem - ext, true, ext, null, 0);
        }
        m = A2.matcher(t);
        if (m.matches()) {
            int g = Integer.parseInt(m.group(2));
            boolean ultra = m.group(1).equals("ultragpu");
            // a2-highgpu-1g: 12 vCPUs, 85 GB per GPU; ultragpu: 170 GB per GPU; megagpu-16g: 96 vCPUs, 1360 GB
            if (m.group(1).equals("megagpu")) {
                return new MachineShape("a2", 96, 1360, false, 0, "nvidia-tesla-a100", 16);
            }
            return new MachineShape(
                    "a2",
                    12 * g,
                    (ultra ? 170 : 85) * g,
                    false,
                    0,
                    ultra ? "nvidia-a100-80gb" : "nvidia-tesla-a100",
                    g);
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
            return new MachineShape("g2", n, n * 4.0, false, 0, "nvidia-l4", gpus);
        }
        throw new IllegalArgumentException("machine type '" + machineType + "' is not in colabtop's price model "
                + "(n1/n2/n2d/e2/c2 standard, highmem, highcpu; n1/n2 custom; a2; g2)");
    }
}
