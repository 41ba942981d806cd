package io.colabtop.core;

import java.util.List;

/**
 * Everything one tick reads on a host, as exact text: the same for the local machine (read with
 * Java) and a remote one (read by the probe script). {@code pressure} is null where the kernel
 * has no PSI; {@code gpuCsv} is null where there is no nvidia-smi.
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
        String mounts) {

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
