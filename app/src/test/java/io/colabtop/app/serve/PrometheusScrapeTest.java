package io.colabtop.app.serve;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.colabtop.app.cli.Main;
import io.colabtop.ssh.TestSshd;
import io.colabtop.testing.HostTest;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole chain, with real parts: {@code colabtop serve} (its own JVM, as a user starts it)
 * watching two real sshd hosts on loopback, and a real Prometheus (Debian's) scraping it with the
 * shipped prometheus.yml and alert rules, the blackbox-style probe job switched on for a third host.
 * What Prometheus stored is read back through its HTTP API and compared with /proc/meminfo.
 */
@HostTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusScrapeTest {
    static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    static final Duration WAIT = Duration.ofSeconds(90);
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path tmp;

    static TestSshd a;
    static TestSshd b;
    static TestSshd c;
    static Process serve;
    static Process prometheus;
    static String prom;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(TestSshd.available(), "needs OpenSSH server (run-tests installs it)");
        assumeTrue(Files.isExecutable(PROMETHEUS), "needs prometheus (run-tests installs Debian's package)");
        Runtime.getRuntime().addShutdownHook(new Thread(PrometheusScrapeTest::stopProcesses));
        a = TestSshd.start();
        b = TestSshd.start();
        c = TestSshd.start();
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path ssh = Files.createDirectories(home.resolve(".ssh"));
        Path key = Files.copy(TestSshd.clientKey(), ssh.resolve("id_ed25519"));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        TestSshd.knownHosts(ssh.resolve("known_hosts"), a, b, c);

        // colabtop serve, as started from a shell: its own JVM and HOME, the launcher's heap flags
        List<String> cmd = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-XX:+UseSerialGC",
                "-Xmx192m",
                "-XX:TieredStopAtLevel=1",
                "-Duser.home=" + home,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--interval",
                "1s",
                "--probe-any",
                spec(a),
                spec(b)));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(tmp.resolve("serve.err").toFile());
        pb.environment().put("HOME", home.toString());
        pb.environment().put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        pb.environment().put("XDG_STATE_HOME", home.resolve(".local/state").toString());
        serve = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
        String first = CompletableFuture.supplyAsync(() -> {
                    try {
                        return out.readLine();
                    } catch (IOException e) {
                        return null;
                    }
                })
                .get(60, TimeUnit.SECONDS);
        Matcher url = Pattern.compile("colabtop serve: http://(127\\.0\\.0\\.1:\\d+)/metrics")
                .matcher(String.valueOf(first));
        assertTrue(url.find(), "serve printed " + first + "; stderr: " + Files.readString(tmp.resolve("serve.err")));

        // the shipped configuration, pointed at this serve, with the probe job switched on
        Path conf = Files.createDirectories(tmp.resolve("prometheus"));
        Files.copy(MonitoringFilesTest.RULES, conf.resolve("colabtop-rules.yml"));
        Files.writeString(conf.resolve("prometheus.yml"), config(url.group(1)));
        int port = freePort();
        prom = "http://127.0.0.1:" + port;
        prometheus = new ProcessBuilder(
                        PROMETHEUS.toString(),
                        "--config.file=" + conf.resolve("prometheus.yml"),
                        "--storage.tsdb.path=" + conf.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port,
                        "--log.level=warn")
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("prometheus.log").toFile())
                .start();
        await("Prometheus ready", () -> get(prom + "/-/ready").statusCode() == 200);
    }

    /** monitoring/prometheus.yml with serve's address, short intervals and the probe job for c and a. */
    static String config(String serveAddress) throws IOException {
        String shipped = Files.readString(MonitoringFilesTest.DIR.resolve("prometheus.yml"));
        int probe = shipped.indexOf("  # - job_name: colabtop-probe");
        assertTrue(probe > 0, "the shipped config has the probe job, commented");
        String head = shipped.substring(0, probe);
        String probeJob = shipped.substring(probe).replaceAll("(?m)^  # ", "  ");
        String s = head + probeJob;
        s = s.replace("scrape_interval: 15s", "scrape_interval: 2s\n  scrape_timeout: 2s")
                .replace("evaluation_interval: 15s", "evaluation_interval: 1s")
                .replace("127.0.0.1:9473", serveAddress)
                .replace("['sarah@34.91.2.3', 'trainer']", "['" + spec(c) + "', '" + spec(a) + "']");
        assertTrue(s.contains(spec(c)) && s.contains(serveAddress), s);
        return s;
    }

    @AfterAll
    static void stop() {
        stopProcesses();
        Stream.of(a, b, c).filter(s -> s != null).forEach(TestSshd::close);
    }

    static synchronized void stopProcesses() {
        for (Process p : new Process[] {prometheus, serve}) {
            if (p != null && p.isAlive()) {
                p.destroy(); // SIGTERM: serve closes its SSH sessions, Prometheus its storage
                try {
                    if (!p.waitFor(15, TimeUnit.SECONDS)) {
                        p.descendants().forEach(ProcessHandle::destroyForcibly);
                        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Test
    @Order(1)
    void prometheusStoresWhatTheHostsProcMeminfoSays() throws Exception {
        Map<String, Double> total =
                await("MemTotal of a and b", "colabtop_memory_MemTotal_bytes{job=\"colabtop\"}", r -> r.size() == 2);
        long[] before = meminfo("MemTotal:", "SwapTotal:", "MemAvailable:");
        Map<String, Double> swap = query("colabtop_memory_SwapTotal_bytes{job=\"colabtop\"}");
        Map<String, Double> available = query("colabtop_memory_MemAvailable_bytes{job=\"colabtop\"}");
        long[] after = meminfo("MemTotal:", "SwapTotal:", "MemAvailable:");
        for (TestSshd s : List.of(a, b)) {
            assertEquals((double) before[0], total.get(spec(s)), "MemTotal of " + spec(s));
            double sw = swap.get(spec(s));
            assertTrue(sw == before[1] || sw == after[1], "SwapTotal " + sw + " is what /proc/meminfo said");
            // MemAvailable moves all the time; the scrape is at most a few seconds old
            double av = available.get(spec(s));
            assertTrue(Math.abs(av - (before[2] + after[2]) / 2.0) < 0.1 * before[0], "MemAvailable " + av);
        }
        assertEquals(
                Map.of("", 1.0),
                query("up{job=\"colabtop\"}").entrySet().stream()
                        .collect(java.util.stream.Collectors.toMap(e -> "", Map.Entry::getValue)));
        Map<String, Double> oom = query("count by (host) (colabtop_process_oom_score{job=\"colabtop\"})");
        assertEquals(2, oom.size());
        oom.values().forEach(n -> assertTrue(n > 0 && n <= 5, "the top 5 processes at most: " + n));
        assertEquals(1, query("colabtop_build_info").size(), "OpenMetrics' info type, as Prometheus reads it");
    }

    @Test
    @Order(2)
    void theProbeJobOwnsDiscoveryAHostOutsideTheFleetIsPolledWhenScraped() throws Exception {
        Map<String, Double> up = await(
                "the probe job's two targets",
                "colabtop_up{job=\"colabtop-probe\"}",
                r -> r.size() == 2 && r.values().stream().allMatch(v -> v == 1.0));
        assertEquals(Set.of(spec(a), spec(c)), up.keySet());
        Map<String, Double> total = query("colabtop_memory_MemTotal_bytes{job=\"colabtop-probe\"}");
        assertEquals((double) meminfo("MemTotal:")[0], total.get(spec(c)));
        Map<String, Double> instance = queryLabel("colabtop_up{job=\"colabtop-probe\"}", "instance");
        assertEquals(
                Set.of(spec(a), spec(c)),
                instance.keySet(),
                "the relabelling of the shipped config: instance is the host");
    }

    @Test
    @Order(3)
    void theShippedRulesAndDashboardQueriesEvaluateOnRealData() throws Exception {
        await("every rule evaluated", () -> {
            JsonNode rules =
                    api("/api/v1/rules").get("data").get("groups").get(0).get("rules");
            boolean all = rules.size() == MonitoringFilesTest.alerts().size();
            for (JsonNode r : rules) {
                all &= !r.get("lastEvaluation").asText().startsWith("0001-");
            }
            return all;
        });
        for (JsonNode r : api("/api/v1/rules").get("data").get("groups").get(0).get("rules")) {
            assertEquals("ok", r.get("health").asText(), r.toString());
        }
        for (String expr : MonitoringFilesTest.dashboardExprs()) {
            String q = expr.replace("$host", ".*").replace("$__rate_interval", "1m");
            JsonNode answer = api("/api/v1/query?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8));
            assertEquals("success", answer.get("status").asText(), q + " -> " + answer);
        }
        assertEquals(
                2,
                query(
                                "1 - colabtop_memory_MemAvailable_bytes{job=\"colabtop\",host=~\".*\"} / colabtop_memory_MemTotal_bytes{job=\"colabtop\",host=~\".*\"}")
                        .size(),
                "the Memory used panel has a line per host");
    }

    @Test
    @Order(4)
    void aHostThatStopsTurnsUpZeroAndItsFiguresLeavePrometheus() throws Exception {
        b.kill();
        await("b down", "colabtop_up{job=\"colabtop\",host=\"" + spec(b) + "\"} == 0", r -> r.size() == 1);
        assertEquals(
                1.0,
                query("colabtop_up{job=\"colabtop\",host=\"" + spec(a) + "\"}").get(spec(a)),
                "a still up");
        await(
                "b's memory series stale",
                "colabtop_memory_MemTotal_bytes{job=\"colabtop\"}",
                r -> r.keySet().equals(Set.of(spec(a))));
        Map<String, Double> age = query("colabtop_last_poll_age_seconds{job=\"colabtop\",host=\"" + spec(b) + "\"}");
        assertEquals(1, age.size(), "the age of b's last data stays");
    }

    @Test
    @Order(5)
    void sigtermStopsServeAndClosesItsSshSessions() throws Exception {
        ProcessHandle sshd = ProcessHandle.of(a.pid()).orElseThrow();
        assertTrue(sshd.descendants().findAny().isPresent(), "serve's session on a");
        serve.destroy();
        assertTrue(serve.waitFor(30, TimeUnit.SECONDS), "serve ends on SIGTERM");
        await("a's sessions closed", () -> sshd.descendants().findAny().isEmpty());
    }

    static String spec(TestSshd s) {
        return System.getProperty("user.name") + "@127.0.0.1:" + s.port();
    }

    /** The result of an instant query, by its host label ("" when it has none). */
    static Map<String, Double> query(String promql) throws Exception {
        return queryLabel(promql, "host");
    }

    static Map<String, Double> queryLabel(String promql, String label) throws Exception {
        JsonNode r = api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        assertEquals("success", r.get("status").asText(), promql + " -> " + r);
        Map<String, Double> out = new HashMap<>();
        for (JsonNode s : r.get("data").get("result")) {
            JsonNode l = s.get("metric").get(label);
            out.put(
                    l == null ? "" : l.asText(),
                    Double.parseDouble(s.get("value").get(1).asText()));
        }
        return out;
    }

    static JsonNode api(String path) throws Exception {
        return JSON.readTree(get(prom + path).body());
    }

    static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    interface Check {
        boolean ok() throws Exception;
    }

    /** Prometheus scrapes on its own clock: ask until it has what is expected, or fail with what it has. */
    static void await(String what, Check check) throws Exception {
        long until = System.nanoTime() + WAIT.toNanos();
        Exception last = null;
        while (System.nanoTime() < until) {
            try {
                if (check.ok()) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(250);
        }
        fail("waited " + WAIT.toSeconds() + " s for " + what + (last != null ? " (" + last + ")" : "") + "\nserve: "
                + Files.readString(tmp.resolve("serve.err")) + "\nprometheus: "
                + Files.readString(tmp.resolve("prometheus.log")));
    }

    static Map<String, Double> await(String what, String promql, Predicate<Map<String, Double>> ok) throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Double>[] last = new Map[1];
        await(what + " (" + promql + ")", () -> ok.test(last[0] = query(promql)));
        return last[0];
    }

    static long[] meminfo(String... keys) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/meminfo"));
        long[] out = new long[keys.length];
        for (int i = 0; i < keys.length; i++) {
            String k = keys[i];
            out[i] = Long.parseLong(lines.stream()
                            .filter(l -> l.startsWith(k))
                            .findFirst()
                            .orElseThrow()
                            .replaceAll("\\D", ""))
                    * 1024;
        }
        return out;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
