package io.colabtop.core;

import io.colabtop.core.oom.OomReport;
import java.time.Instant;
import java.util.List;

/**
 * One immutable reading of one host at one tick.
 *
 * @param pressure  null when the kernel has no PSI
 * @param processes the top processes by oom_score, next OOM victim first
 * @param gpus      empty when the host has no GPU (or no nvidia-smi)
 * @param gpuError  what nvidia-smi said when it failed, else null
 * @param mounts    FUSE mounts (gcsfuse and the like)
 * @param oom       the kill counter, the kills in the host's log, systemd-oomd's state
 */
public record HostSnapshot(
        String host,
        Instant takenAt,
        MemInfo memory,
        Pressure pressure,
        List<SwapArea> swaps,
        List<ProcessInfo> processes,
        List<Gpu> gpus,
        List<GpuProcess> gpuProcesses,
        String gpuError,
        CpuTimes cpu,
        int cpuCount,
        String kernel,
        List<MountEntry> mounts,
        OomReport oom) {

    /** With nothing known of OOM kills. */
    public HostSnapshot(
            String host,
            Instant takenAt,
            MemInfo memory,
            Pressure pressure,
            List<SwapArea> swaps,
            List<ProcessInfo> processes,
            List<Gpu> gpus,
            List<GpuProcess> gpuProcesses,
            String gpuError,
            CpuTimes cpu,
            int cpuCount,
            String kernel,
            List<MountEntry> mounts) {
        this(
                host,
                takenAt,
                memory,
                pressure,
                swaps,
                processes,
                gpus,
                gpuProcesses,
                gpuError,
                cpu,
                cpuCount,
                kernel,
                mounts,
                OomReport.NONE);
    }

    /** With no mounts known. */
    public HostSnapshot(
            String host,
            Instant takenAt,
            MemInfo memory,
            Pressure pressure,
            List<SwapArea> swaps,
            List<ProcessInfo> processes,
            List<Gpu> gpus,
            List<GpuProcess> gpuProcesses,
            String gpuError,
            CpuTimes cpu,
            int cpuCount,
            String kernel) {
        this(
                host,
                takenAt,
                memory,
                pressure,
                swaps,
                processes,
                gpus,
                gpuProcesses,
                gpuError,
                cpu,
                cpuCount,
                kernel,
                List.of());
    }

    public HostSnapshot {
        // host text that stays a plain string: sanitised and bounded here, where it enters the model
        kernel = kernel == null ? null : SafeText.clip(kernel, 200);
        gpuError = gpuError == null ? null : SafeText.clip(gpuError, 500);
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
        oom = oom == null ? OomReport.NONE : oom;
        swaps = List.copyOf(swaps);
        processes = List.copyOf(processes);
        gpus = List.copyOf(gpus);
        gpuProcesses = List.copyOf(gpuProcesses);
    }

    /** The process the kernel OOM killer would pick first, or null. */
    public ProcessInfo topOomCandidate() {
        return processes.isEmpty() ? null : processes.get(0);
    }

    public long gpuMemoryUsedBytes() {
        return gpus.stream()
                .mapToLong(g -> g.memoryUsedBytes() == null ? 0 : g.memoryUsedBytes())
                .sum();
    }

    public long gpuMemoryTotalBytes() {
        return gpus.stream()
                .mapToLong(g -> g.memoryTotalBytes() == null ? 0 : g.memoryTotalBytes())
                .sum();
    }
}
