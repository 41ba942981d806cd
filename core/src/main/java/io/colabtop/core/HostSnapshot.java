package io.colabtop.core;

import io.colabtop.core.oom.OomReport;
import java.time.Duration;
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
 * @param uptime    how long the host has been up when this was read (/proc/uptime), or null
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
        OomReport oom,
        Duration uptime) {

    /**
     * Clock ticks a second in /proc/PID/stat's start time: USER_HZ, which the kernel fixes at 100
     * for user space on every architecture colabtop watches (x86, arm64), whatever CONFIG_HZ is.
     */
    public static final int USER_HZ = 100;

    /** Without the host's uptime (an older probe, a test): no process elapsed times. */
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
            List<MountEntry> mounts,
            OomReport oom) {
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
                oom,
                null);
    }

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

    /**
     * How long a process has run when this was read: the host's uptime less the process's start
     * (both on the host's clock, so a skewed laptop clock does not matter); null when the uptime is
     * unknown or the figures disagree (a start after the uptime).
     */
    public Duration elapsed(ProcessInfo p) {
        if (uptime == null || p.startTimeTicks() < 0) {
            return null;
        }
        long startMillis = p.startTimeTicks() * (1000 / USER_HZ);
        long ms = uptime.toMillis() - startMillis;
        return ms < 0 ? null : Duration.ofMillis(ms);
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
