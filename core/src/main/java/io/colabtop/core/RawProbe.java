package io.colabtop.core;

import java.util.List;
import java.util.Map;

/**
 * Everything one tick reads on a host, as exact text: the same for the local machine (read with
 * Java) and a remote one (read by the probe script). {@code pressure} is null where the kernel
 * has no PSI; {@code gpuCsv} is null where there is no nvidia-smi.
 *
 * @param vmstat     the {@code oom_kill} line of /proc/vmstat (every tick), or null
 * @param bootId     /proc/sys/kernel/random/boot_id, or null
 * @param cgroups    /proc/PID/cgroup of the top processes, by pid
 * @param oomd       {@code systemctl is-active systemd-oomd}'s word, then oomctl's dump; null on
 *                   the ticks that do not read it (every few ticks)
 * @param oomSources how the kill log was found (see {@link io.colabtop.core.oom.OomReport#history});
 *                   null on the ticks that do not read it (on connect, and when the counter moved)
 * @param oomLog     the kill log's matching lines, with {@code oomSources}
 */
public record RawProbe(
        String meminfo,
        String swaps,
        String pressure,
        String procStat,
        String passwd,
        List<RawProcess> processes,
        String gpuCsv,
        String gpuAppsCsv,
        String gpuError,
        String kernel,
        String mounts,
        String vmstat,
        String bootId,
        Map<Integer, String> cgroups,
        String oomd,
        String oomSources,
        String oomLog) {

    public RawProbe {
        cgroups = cgroups == null ? Map.of() : Map.copyOf(cgroups);
    }

    /** Without the OOM sections (an older probe, a test). */
    public RawProbe(
            String meminfo,
            String swaps,
            String pressure,
            String procStat,
            String passwd,
            List<RawProcess> processes,
            String gpuCsv,
            String gpuAppsCsv,
            String gpuError,
            String kernel,
            String mounts) {
        this(
                meminfo,
                swaps,
                pressure,
                procStat,
                passwd,
                processes,
                gpuCsv,
                gpuAppsCsv,
                gpuError,
                kernel,
                mounts,
                null,
                null,
                Map.of(),
                null,
                null,
                null);
    }

    /** Without /proc/mounts (no FUSE mounts reported). */
    public RawProbe(
            String meminfo,
            String swaps,
            String pressure,
            String procStat,
            String passwd,
            List<RawProcess> processes,
            String gpuCsv,
            String gpuAppsCsv,
            String gpuError,
            String kernel) {
        this(meminfo, swaps, pressure, procStat, passwd, processes, gpuCsv, gpuAppsCsv, gpuError, kernel, null);
    }
}
