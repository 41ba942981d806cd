package io.colabtop.app.fleet;

import io.colabtop.core.HostSnapshot;
import io.colabtop.core.HostSource;
import io.colabtop.core.RawProbe;
import io.colabtop.core.RawProcess;
import io.colabtop.core.SnapshotAssembler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The machine colabtop runs on, as host {@code local}. Reads the same files the remote probe
 * sends and parses them with the same core code, so a local row and a remote row mean the same.
 * OSHI supplies what /proc does not say plainly (OS and kernel description); oom_score, PSI and
 * swaps are not in OSHI, so they come from /proc.
 */
public final class LocalSource implements HostSource {
    public static final String NAME = "local";

    private final Path proc;
    private final int topProcesses;
    private final InstantSource clock;
    private final String kernel;
    private volatile Boolean hasNvidiaSmi;

    public LocalSource(int topProcesses, InstantSource clock) {
        this(Path.of("/proc"), topProcesses, clock, OsDescription.get());
    }

    LocalSource(Path proc, int topProcesses, InstantSource clock, String kernel) {
        this.proc = proc;
        this.topProcesses = topProcesses;
        this.clock = clock;
        this.kernel = kernel;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public HostSnapshot poll() throws IOException {
        return SnapshotAssembler.assemble(NAME, clock.instant(), read());
    }

    /** Reads every text one tick needs; parsing is the core's job. */
    public RawProbe read() throws IOException {
        String meminfo = readText(proc.resolve("meminfo"));
        String swaps = readOrNull(proc.resolve("swaps"));
        String pressure = readOrNull(proc.resolve("pressure/memory"));
        String stat = readOrNull(proc.resolve("stat"));
        String passwd = readOrNull(Path.of("/etc/passwd"));
        List<RawProcess> processes = readTopProcesses();
        String gpuCsv = null;
        String appsCsv = null;
        String gpuError = null;
        if (nvidiaSmiPresent()) {
            NvidiaSmiRun gpus = NvidiaSmiRun.query(io.colabtop.core.NvidiaSmi.GPU_QUERY);
            if (gpus.ok()) {
                gpuCsv = gpus.output();
                NvidiaSmiRun apps = NvidiaSmiRun.query(io.colabtop.core.NvidiaSmi.APPS_QUERY);
                appsCsv = apps.ok() ? apps.output() : "";
            } else {
                gpuError = gpus.output().strip();
            }
        }
        return new RawProbe(meminfo, swaps, pressure, stat, passwd, processes, gpuCsv, appsCsv, gpuError, kernel,
                readOrNull(proc.resolve("mounts")));
    }

    /**
     * Ranks every process by oom_score (then resident pages, from statm) and reads the details
     * of the top N only: reading oom_score for all processes costs ~2 ms, the full set of files
     * for all of them would cost far more.
     */
    List<RawProcess> readTopProcesses() throws IOException {
        record Ranked(int pid, int score, long rssPages) {
        }
        List<Ranked> all = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(proc, p -> isPid(p.getFileName().toString()))) {
            for (Path dir : dirs) {
                String score = readOrNull(dir.resolve("oom_score"));
                String statm = readOrNull(dir.resolve("statm"));
                if (score == null || statm == null || score.isBlank()) {
                    continue; // exited while we looked
                }
                String[] sm = statm.trim().split("\\s+");
                long rss = sm.length > 1 ? parseLongOr(sm[1], 0) : 0;
                all.add(new Ranked(Integer.parseInt(dir.getFileName().toString()), (int) parseLongOr(score.strip(), 0), rss));
            }
        }
        all.sort(Comparator.comparingInt(Ranked::score).reversed()
                .thenComparing(Comparator.comparingLong(Ranked::rssPages).reversed()));
        List<RawProcess> out = new ArrayList<>();
        for (Ranked r : all.subList(0, Math.min(topProcesses, all.size()))) {
            Path dir = proc.resolve(Integer.toString(r.pid()));
            out.add(new RawProcess(r.pid(), readOrNull(dir.resolve("stat")), readOrNull(dir.resolve("status")),
                    readBytesOrNull(dir.resolve("cmdline")), readOrNull(dir.resolve("oom_score")),
                    readOrNull(dir.resolve("oom_score_adj"))));
        }
        return out;
    }

    private boolean nvidiaSmiPresent() {
        Boolean known = hasNvidiaSmi;
        if (known == null) {
            known = NvidiaSmiRun.onPath();
            hasNvidiaSmi = known;
        }
        return known;
    }

    private static boolean isPid(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static long parseLongOr(String s, long dflt) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    static String readText(Path p) throws IOException {
        // /proc files report size 0; readAllBytes reads to EOF. Decoding replaces non-UTF-8 bytes.
        return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
    }

    static String readOrNull(Path p) {
        try {
            return readText(p);
        } catch (IOException e) {
            return null; // absent (no PSI) or the process exited
        }
    }

    static byte[] readBytesOrNull(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            return null;
        }
    }

    /** Runs nvidia-smi with a bound: a wedged driver must not hang a tick. */
    record NvidiaSmiRun(boolean ok, String output) {
        static boolean onPath() {
            String path = System.getenv().getOrDefault("PATH", "");
            for (String dir : path.split(":")) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "nvidia-smi"))) {
                    return true;
                }
            }
            return false;
        }

        static NvidiaSmiRun query(String args) {
            List<String> cmd = new ArrayList<>();
            cmd.add("nvidia-smi");
            cmd.addAll(List.of(args.split(" ")));
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                p.getOutputStream().close();
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return new NvidiaSmiRun(false, "nvidia-smi did not answer within 5 s");
                }
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                return new NvidiaSmiRun(p.exitValue() == 0, out);
            } catch (IOException e) {
                return new NvidiaSmiRun(false, "nvidia-smi: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new NvidiaSmiRun(false, "interrupted");
            }
        }
    }
}
