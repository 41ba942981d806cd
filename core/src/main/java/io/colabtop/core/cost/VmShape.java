package io.colabtop.core.cost;

import java.util.List;

/** What a VM is made of, for pricing: machine type, attached GPUs, persistent disks, spot or not. */
public record VmShape(String machineType, List<GpuCount> gpus, List<Disk> disks, String zone, boolean spot) {
    public VmShape {
        gpus = List.copyOf(gpus);
        disks = List.copyOf(disks);
    }

    public record GpuCount(String type, int count) {}

    /** @param type pd-standard, pd-balanced or pd-ssd */
    public record Disk(String type, long sizeGb) {}
}
