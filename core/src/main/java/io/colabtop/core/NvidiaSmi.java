package io.colabtop.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Parsers for nvidia-smi's CSV output (noheader, nounits), one GPU or one app per line:
 * <pre>
 * 0, GPU-5d3f9a6c-1b2e-4c7d-8e9f-0a1b2c3d4e5f, Tesla T4, 15360, 14520, 840, 97
 * </pre>
 * Names may contain commas only in theory; nvidia-smi does not quote, so the name is taken as
 * everything between the uuid and the last four numeric fields.
 */
public final class NvidiaSmi {
    private static final long MIB = 1024L * 1024L;

    /** The exact query colabtop runs; the parser expects these columns in this order. */
    public static final String GPU_QUERY =
            "--query-gpu=index,uuid,name,memory.total,memory.used,memory.free,utilization.gpu --format=csv,noheader,nounits";

    public static final String APPS_QUERY =
            "--query-compute-apps=gpu_uuid,pid,process_name,used_gpu_memory --format=csv,noheader,nounits";

    private NvidiaSmi() {}

    public static List<Gpu> parseGpus(String csv) {
        List<Gpu> gpus = new ArrayList<>();
        if (csv == null) {
            return gpus;
        }
        for (String line : csv.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",");
            if (f.length < 7) {
                if (looksLikeError(line)) {
                    throw new ParseException("nvidia-smi: " + line.strip());
                }
                continue; // truncated line
            }
            int n = f.length;
            StringBuilder name = new StringBuilder();
            for (int i = 2; i < n - 4; i++) {
                if (i > 2) {
                    name.append(',');
                }
                name.append(f[i]);
            }
            Integer index = intOrNull(f[0]);
            if (index == null) {
                throw new ParseException("bad GPU index in nvidia-smi line: " + line);
            }
            gpus.add(new Gpu(
                    index,
                    f[1].strip(),
                    name.toString().strip(),
                    mibOrNull(f[n - 4]),
                    mibOrNull(f[n - 3]),
                    mibOrNull(f[n - 2]),
                    intOrNull(f[n - 1])));
        }
        return List.copyOf(gpus);
    }

    public static List<GpuProcess> parseComputeApps(String csv) {
        List<GpuProcess> apps = new ArrayList<>();
        if (csv == null) {
            return apps;
        }
        for (String line : csv.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",");
            if (f.length < 4) {
                continue;
            }
            int n = f.length;
            Integer pid = intOrNull(f[1]);
            if (pid == null) {
                continue;
            }
            StringBuilder name = new StringBuilder();
            for (int i = 2; i < n - 1; i++) {
                if (i > 2) {
                    name.append(',');
                }
                name.append(f[i]);
            }
            apps.add(new GpuProcess(f[0].strip(), pid, name.toString().strip(), mibOrNull(f[n - 1])));
        }
        return List.copyOf(apps);
    }

    private static boolean looksLikeError(String line) {
        String l = line.toLowerCase();
        return l.contains("failed") || l.contains("error") || l.contains("no devices");
    }

    private static Long mibOrNull(String s) {
        Integer v = intOrNull(s);
        return v == null ? null : v * MIB;
    }

    private static Integer intOrNull(String s) {
        String t = s.strip();
        if (t.isEmpty() || t.startsWith("[")) {
            return null; // [N/A], [Not Supported], [Insufficient Permissions]
        }
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
