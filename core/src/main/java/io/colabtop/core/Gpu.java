package io.colabtop.core;

/**
 * One GPU as {@code nvidia-smi --query-gpu=index,uuid,name,memory.total,memory.used,memory.free,utilization.gpu
 * --format=csv,noheader,nounits} reports it. Memory in bytes (nvidia-smi says MiB); a field that
 * reads {@code [N/A]} or {@code [Not Supported]} is null.
 */
public record Gpu(
        int index,
        HostText uuid,
        HostText name,
        Long memoryTotalBytes,
        Long memoryUsedBytes,
        Long memoryFreeBytes,
        Integer utilizationPercent) {

    public Gpu(
            int index,
            String uuid,
            String name,
            Long memoryTotalBytes,
            Long memoryUsedBytes,
            Long memoryFreeBytes,
            Integer utilizationPercent) {
        this(
                index,
                HostText.of(uuid, 128),
                HostText.of(name, 128),
                memoryTotalBytes,
                memoryUsedBytes,
                memoryFreeBytes,
                utilizationPercent);
    }

    /** Used fraction of GPU memory, or -1 when either figure is unknown. */
    public double memoryUsedFraction() {
        if (memoryTotalBytes == null || memoryUsedBytes == null || memoryTotalBytes <= 0) {
            return -1;
        }
        return (double) memoryUsedBytes / memoryTotalBytes;
    }
}
