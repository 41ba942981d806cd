package io.colabtop.core;

/**
 * A process holding GPU memory, from {@code nvidia-smi --query-compute-apps=gpu_uuid,pid,process_name,used_gpu_memory
 * --format=csv,noheader,nounits}. Joined to its GPU by uuid. {@code usedMemoryBytes} is null for
 * {@code [N/A]} (seen on MIG and inside containers).
 */
public record GpuProcess(HostText gpuUuid, int pid, HostText processName, Long usedMemoryBytes) {

    public GpuProcess(String gpuUuid, int pid, String processName, Long usedMemoryBytes) {
        this(HostText.of(gpuUuid, 128), pid, HostText.of(processName), usedMemoryBytes);
    }
}
