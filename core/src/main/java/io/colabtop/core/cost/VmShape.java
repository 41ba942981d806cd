package io.colabtop.core.cost;

import java.util.List;

/**
 * What a VM is made of, for pricing: machine type, attached GPUs, disks, spot or not, its external
 * IPv4, and the licences its disks carry (a premium image bills a surcharge).
 */
public record VmShape(
        String machineType,
        List<GpuCount> gpus,
        List<Disk> disks,
        String zone,
        boolean spot,
        ExternalIp externalIp,
        List<String> licences) {
    public VmShape {
        gpus = List.copyOf(gpus);
        disks = List.copyOf(disks);
        licences = List.copyOf(licences);
        externalIp = externalIp == null ? ExternalIp.NONE : externalIp;
    }

    /** A shape with no external IP and no licences (what {@code colabtop cost} prices unless told). */
    public VmShape(String machineType, List<GpuCount> gpus, List<Disk> disks, String zone, boolean spot) {
        this(machineType, gpus, disks, zone, spot, ExternalIp.NONE, List.of());
    }

    public record GpuCount(String type, int count) {}

    /**
     * A disk.
     *
     * @param type pd-standard, pd-balanced, pd-ssd, pd-extreme, hyperdisk-*, regional-pd-* (a
     *             regional disk), local-ssd (a scratch disk); {@link #UNKNOWN} when colabtop could
     *             not read it, with the reason in {@code note}
     */
    public record Disk(String type, long sizeGb, String note) {
        public static final String UNKNOWN = "unknown";

        public Disk(String type, long sizeGb) {
            this(type, sizeGb, null);
        }
    }

    /** An external IPv4: none, in use by the running VM, or kept (reserved) while the VM is stopped. */
    public enum ExternalIp {
        NONE,
        IN_USE,
        RESERVED_WHILE_STOPPED
    }
}
