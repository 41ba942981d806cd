package io.colabtop.bench;

import io.colabtop.app.serve.FleetCollector;
import io.colabtop.app.serve.HostReading;
import io.colabtop.app.serve.MetricsServer;
import io.colabtop.app.serve.ProbeTargets;
import io.colabtop.app.serve.ServeState;
import io.colabtop.core.CpuTimes;
import io.colabtop.core.Gpu;
import io.colabtop.core.HostSnapshot;
import io.colabtop.core.HostUpdate;
import io.colabtop.core.MemInfo;
import io.colabtop.core.Pressure;
import io.colabtop.core.ProcessInfo;
import io.colabtop.core.SwapArea;
import io.colabtop.core.cost.Fx;
import io.colabtop.ssh.TestSshd;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * What {@code colabtop serve} costs: (1) a scrape of a synthetic fleet (default 200 hosts, each with
 * 20 processes, a swap file, PSI, a GPU on every fourth) through the real HTTP server, as Prometheus
 * asks (OpenMetrics, gzip), in a JVM with the launcher's flags; (2) the real jar's {@code serve}
 * with the launcher's flags watching N real sshd hosts on loopback at a 2 s interval: resident
 * memory, threads and CPU (1 s samples) and the latency of a scrape every 5 s. Figures, never
 * asserted.
 * Usage: bench/run serve [SECONDS] [N...]   (default: 30 s; N = 50 100; synthetic: 200 hosts)
 */
public final class ServeBench {
    static final String PROMETHEUS_ACCEPT =
            "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
                    + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    private ServeBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("synthetic")) {
            synthetic(Integer.parseInt(args[1]));
            return;
        }
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        List<Integer> sizes = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            sizes.add(Integer.parseInt(args[i]));
        }
        if (sizes.isEmpty()) {
            sizes = List.of(50, 100);
        }
        List<String> launcher = MemoryBench.launcherFlags(Path.of("colabtop"));
        System.out.printf(
                "machine: %d cpus, %d MiB RAM; launcher flags: %s%n",
                Runtime.getRuntime().availableProcessors(), MemoryBench.memTotalMiB(), String.join(" ", launcher));

        // (1) the synthetic fleet, in a JVM like serve's
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(launcher);
        cmd.addAll(
                List.of("-cp", System.getProperty("java.class.path"), ServeBench.class.getName(), "synthetic", "200"));
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("synthetic run failed");
        }

        // (2) the real jar over real hosts
        Path jar = Path.of("app/target/colabtop.jar").toAbsolutePath();
        List<String> table = new ArrayList<>();
        table.add(
                "| hosts | RSS median MiB | RSS peak MiB | threads | CPU % of a core | scrape median ms | scrape max ms | gzip KiB |");
        table.add("|---|---|---|---|---|---|---|---|");
        for (int n : sizes) {
            String row = real(jar, launcher, n, seconds);
            System.out.println(row);
            table.add(row);
        }
        System.out.println();
        table.forEach(System.out::println);
    }

    /** 200 hosts' worth of snapshots in a ServeState, scraped through the real server as Prometheus does. */
    static void synthetic(int hosts) throws Exception {
        Instant now = Instant.now();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < hosts; i++) {
            names.add("sarah@10.0." + (i / 250) + "." + (i % 250) + ":22");
        }
        ServeState state = new ServeState(names, InstantSource.system(), Fx.USD, new HostReading.Exposure(5, true));
        for (int i = 0; i < hosts; i++) {
            state.offer(HostUpdate.ok(snapshot(names.get(i), now.minusSeconds(2), i, 0)));
            state.offer(HostUpdate.ok(snapshot(names.get(i), now, i, 1)));
        }
        FleetCollector collector = new FleetCollector(state::reading);
        MetricsServer server = MetricsServer.start(
                new MetricsServer.Settings(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null, null, null),
                new MetricsServer.Fleet() {
                    public FleetCollector collector() {
                        return collector;
                    }

                    public ProbeTargets probes() {
                        return null;
                    }

                    public ServeState.Health liveness() {
                        return new ServeState.Health(true, "");
                    }

                    public ServeState.Health readiness() {
                        return new ServeState.Health(true, "");
                    }
                });
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest om = HttpRequest.newBuilder(URI.create(server.url() + "/metrics"))
                    .header("Accept", PROMETHEUS_ACCEPT)
                    .header("Accept-Encoding", "gzip")
                    .build();
            HttpRequest text = HttpRequest.newBuilder(URI.create(server.url() + "/metrics"))
                    .build();
            HttpRequest omPlain = HttpRequest.newBuilder(URI.create(server.url() + "/metrics"))
                    .header("Accept", PROMETHEUS_ACCEPT)
                    .build();
            HttpRequest textGzip = HttpRequest.newBuilder(URI.create(server.url() + "/metrics"))
                    .header("Accept-Encoding", "gzip")
                    .build();
            byte[] gz = http.send(om, HttpResponse.BodyHandlers.ofByteArray()).body();
            String body;
            try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            long series =
                    body.lines().filter(l -> !l.startsWith("#") && !l.isEmpty()).count();
            System.out.printf(
                    Locale.ROOT,
                    "synthetic fleet: %d hosts, %d series, %.0f KiB OpenMetrics, %.0f KiB gzipped%n",
                    hosts,
                    series,
                    body.length() / 1024.0,
                    gz.length / 1024.0);
            Timing.measure("collect (build every series)", 50, 300, () -> collector.collect());
            Timing.measure(
                    "scrape: OpenMetrics + gzip, as Prometheus",
                    50,
                    300,
                    () -> http.send(om, HttpResponse.BodyHandlers.ofByteArray()));
            Timing.measure(
                    "scrape: text format, no gzip (curl)",
                    50,
                    300,
                    () -> http.send(text, HttpResponse.BodyHandlers.ofByteArray()));
            Timing.measure(
                    "scrape: OpenMetrics, no gzip",
                    50,
                    300,
                    () -> http.send(omPlain, HttpResponse.BodyHandlers.ofByteArray()));
            Timing.measure(
                    "scrape: text format + gzip",
                    50,
                    300,
                    () -> http.send(textGzip, HttpResponse.BodyHandlers.ofByteArray()));
            Runtime rt = Runtime.getRuntime();
            System.gc();
            System.out.printf(
                    Locale.ROOT,
                    "heap in use after GC with %d hosts' snapshots: %.1f MiB; RSS %d MiB%n",
                    hosts,
                    (rt.totalMemory() - rt.freeMemory()) / 1048576.0,
                    MemoryBench.field(Files.readString(Path.of("/proc/self/status")), "VmRSS:") / 1024);
        } finally {
            server.close();
        }
    }

    /** A host as a busy training VM looks: 20 processes with real-looking command lines, swap, PSI, maybe a GPU. */
    static HostSnapshot snapshot(String host, Instant at, int i, int tick) {
        List<ProcessInfo> procs = new ArrayList<>();
        for (int p = 0; p < 20; p++) {
            procs.add(new ProcessInfo(
                    10_000 + p,
                    1,
                    "sarah",
                    p == 0 ? "python3" : "pt_data_worker",
                    "/opt/conda/bin/python3 -m torch.distributed.run --nproc_per_node=8 train.py --config configs/run"
                            + p + ".yaml --output gs://bucket/runs/" + i,
                    (20 - p) * 500_000_000L,
                    900 - p * 10,
                    0,
                    12345,
                    'S'));
        }
        List<Gpu> gpus = i % 4 == 0
                ? List.of(new Gpu(0, "GPU-" + i, "NVIDIA L4", 24L << 30, 20L << 30, 4L << 30, 97))
                : List.of();
        return new HostSnapshot(
                host,
                at,
                new MemInfo(64L << 30, 2L << 30, 10L << 30, 100L << 20, 8L << 30, 16L << 30, 12L << 30),
                new Pressure(1.2, 0.8, 0.3, 12_345_678L + tick, 0.4, 0.2, 0.1, 2_345_678L + tick),
                List.of(new SwapArea("/swapfile", "file", 16L << 30, 4L << 30, -2)),
                procs,
                gpus,
                List.of(),
                null,
                new CpuTimes(1000 + tick * 100, 0, 500, 8000 + tick * 50, 10, 0, 0, 0),
                8,
                "Ubuntu 22.04.4 LTS 6.5.0-1020-gcp");
    }

    /** The real jar's serve with the launcher's flags over N sshd hosts: its footprint and the scrape latency. */
    static String real(Path jar, List<String> launcher, int n, int seconds) throws Exception {
        Path home = Files.createTempDirectory("colabtop-servebench");
        List<TestSshd> servers = new ArrayList<>();
        Process serve = null;
        try {
            Path ssh = Files.createDirectories(home.resolve(".ssh"));
            Files.copy(TestSshd.clientKey(), ssh.resolve("id_ed25519"), StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(ssh.resolve("id_ed25519"), PosixFilePermissions.fromString("rw-------"));
            List<String> cmd = new ArrayList<>();
            cmd.add(ProcessHandle.current().info().command().orElse("java"));
            cmd.addAll(launcher);
            // more flags for the serve JVM, to look inside: -Dserve.jvm="-XX:NativeMemoryTracking=summary"
            String extra = System.getProperty("serve.jvm", "").trim();
            if (!extra.isEmpty()) {
                cmd.addAll(List.of(extra.split("\\s+")));
            }
            cmd.addAll(List.of("-jar", jar.toString(), "serve", "--listen", "127.0.0.1:0", "--interval", "2s"));
            for (int i = 0; i < n; i++) {
                TestSshd s = TestSshd.start();
                servers.add(s);
                cmd.add(System.getProperty("user.name") + "@127.0.0.1:" + s.port());
            }
            TestSshd.knownHosts(ssh.resolve("known_hosts"), servers.toArray(new TestSshd[0]));
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectError(home.resolve("serve.err").toFile());
            pb.environment().put("HOME", home.toString());
            pb.environment().put("XDG_STATE_HOME", home.resolve("state").toString());
            serve = pb.start();
            String first = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            Matcher m = Pattern.compile("(http://\\S+/metrics)").matcher(String.valueOf(first));
            if (!m.find()) {
                throw new IllegalStateException(
                        "serve said " + first + ": " + Files.readString(home.resolve("serve.err")));
            }
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest scrape = HttpRequest.newBuilder(URI.create(m.group(1)))
                    .header("Accept", PROMETHEUS_ACCEPT)
                    .header("Accept-Encoding", "gzip")
                    .build();
            // start-up and N first connections (key exchange, login shell): not the steady state
            for (int i = 0; i < 60; i++) {
                Thread.sleep(1000);
                String body = gunzip(http.send(scrape, HttpResponse.BodyHandlers.ofByteArray())
                        .body());
                if (body.lines()
                                .filter(l -> l.startsWith("colabtop_up{") && l.endsWith(" 1.0"))
                                .count()
                        == n) {
                    break;
                }
            }
            Thread.sleep(5000);
            long pid = serve.pid();
            long cpu0 = MemoryBench.cpuTicks(pid);
            long t0 = System.nanoTime();
            List<Double> rss = new ArrayList<>();
            double threads = 0;
            // a scrape every 5 s: Prometheus' usual interval is 15-60 s, so this is the busier side
            double[] scrapeMs = new double[Math.max(1, seconds / 5)];
            int gzipBytes = 0;
            for (int s = 0; s < seconds; s++) {
                Thread.sleep(1000);
                String status = Files.readString(Path.of("/proc/" + pid + "/status"));
                rss.add(MemoryBench.field(status, "VmRSS:") / 1024.0);
                threads = Math.max(threads, MemoryBench.field(status, "Threads:"));
                if (s % 5 == 4 && s / 5 < scrapeMs.length) {
                    long q0 = System.nanoTime();
                    gzipBytes = http.send(scrape, HttpResponse.BodyHandlers.ofByteArray())
                            .body()
                            .length;
                    scrapeMs[s / 5] = (System.nanoTime() - q0) / 1e6;
                }
            }
            double cpu = (MemoryBench.cpuTicks(pid) - cpu0) / 100.0 / ((System.nanoTime() - t0) / 1e9) * 100;
            List<Double> sorted = rss.stream().sorted().toList();
            Arrays.sort(scrapeMs);
            return String.format(
                    Locale.ROOT,
                    "| %d | %.0f | %.0f | %.0f | %.1f | %.1f | %.1f | %.0f |",
                    n,
                    sorted.get(sorted.size() / 2),
                    sorted.get(sorted.size() - 1),
                    threads,
                    cpu,
                    scrapeMs[scrapeMs.length / 2],
                    scrapeMs[scrapeMs.length - 1],
                    gzipBytes / 1024.0);
        } finally {
            if (serve != null) {
                serve.destroy();
                if (!serve.waitFor(20, TimeUnit.SECONDS)) {
                    serve.destroyForcibly();
                }
            }
            servers.forEach(TestSshd::close);
            deleteTree(home);
        }
    }

    static void deleteTree(Path dir) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(f -> f.toFile().delete());
        }
    }

    static String gunzip(byte[] gz) throws java.io.IOException {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
