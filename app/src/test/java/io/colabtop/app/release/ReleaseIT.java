package io.colabtop.app.release;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.colabtop.app.gce.FakeComputeServer;
import io.colabtop.core.MemInfo;
import io.colabtop.testing.HostTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The release tarball (release/build, run by {@code mvn -Prelease}) as a user gets it: unpacked
 * anywhere and run with no Java and no Maven on the PATH. Its trimmed runtime (no java.desktop)
 * and minimised jar (only the Compute classes the code reaches) must still run the CLI, the
 * Compute client against the local Compute server, and the TUI in a real terminal (tmux). Prints
 * the start-up and first-frame figures the README quotes.
 */
@HostTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReleaseIT {
    Path unpacked;
    Path home;
    Path bin;
    Path launcher;
    Path work;

    @BeforeAll
    void unpack() throws Exception {
        Path dist = Path.of(System.getProperty("colabtop.release.dir", "target/dist"));
        Path tarball;
        try (Stream<Path> s = Files.list(dist)) {
            tarball = s.filter(p -> p.getFileName().toString().endsWith(".tar.gz"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no release tarball in " + dist));
        }
        assertTrue(
                tarball.getFileName()
                        .toString()
                        .startsWith("colabtop-" + System.getProperty("colabtop.version") + "-linux-"),
                "versioned: " + tarball);
        work = Files.createTempDirectory("colabtop-release-it");
        run(List.of("tar", "-xzf", tarball.toAbsolutePath().toString(), "-C", work.toString()), Map.of(), 60);
        try (Stream<Path> s = Files.list(work)) {
            unpacked = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        launcher = unpacked.resolve("bin/colabtop");
        home = Files.createDirectories(work.resolve("home"));
        // the machine's tools without Java or Maven: the release must bring what it needs
        bin = Files.createDirectories(work.resolve("path"));
        Predicate<String> javaOrMaven = n -> n.matches("java|javac|jar|jshell|jlink|jdeps|keytool|mvn.*|jpackage");
        for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
            try (Stream<Path> s = Files.list(Path.of(dir))) {
                for (Path p : s.toList()) {
                    String n = p.getFileName().toString();
                    if (!javaOrMaven.test(n)
                            && !Files.exists(bin.resolve(n), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(bin.resolve(n), p);
                    }
                }
            }
        }
    }

    @AfterAll
    void removeIt() throws Exception {
        if (work != null) {
            run(List.of("rm", "-rf", work.toString()), Map.of(), 60);
        }
    }

    record Result(int code, String out, String err, long millis) {}

    Map<String, String> env(Map<String, String> extra) {
        Map<String, String> e = new HashMap<>();
        e.put("HOME", home.toString());
        e.put("PATH", bin.toString());
        e.put("LANG", "C.UTF-8");
        e.put("TERM", "xterm-256color");
        e.putAll(extra);
        return e;
    }

    Result colabtop(Map<String, String> extraEnv, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(launcher.toString());
        cmd.addAll(Arrays.asList(args));
        return run(cmd, env(extraEnv), 120);
    }

    static Result run(List<String> cmd, Map<String, String> env, int timeoutSeconds) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (!env.isEmpty()) {
            pb.environment().clear();
            pb.environment().putAll(env);
        }
        Path out = Files.createTempFile("it-out", ".txt");
        Path err = Files.createTempFile("it-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        long t0 = System.nanoTime();
        Process p = pb.start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                fail(String.join(" ", cmd) + " did not end within " + timeoutSeconds + " s");
            }
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            return new Result(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8),
                    ms);
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void itHasItsPartsAndStartsWithNoJavaAndNoMavenOnThePath() throws Exception {
        assertFalse(Files.exists(bin.resolve("java")) || Files.exists(bin.resolve("mvn")));
        Result v = colabtop(Map.of(), "version");
        assertEquals(0, v.code(), v.err());
        assertTrue(v.out().startsWith("colabtop " + System.getProperty("colabtop.version")), v.out());
        assertEquals("", v.err(), "no warnings (CDS, JVM) on a plain run");
        assertTrue(Files.isRegularFile(unpacked.resolve("lib/colabtop.jsa")), "the class-data archive");
        assertFalse(Files.exists(unpacked.resolve("runtime/lib/libawt.so")), "no AWT: java.desktop is left out");
        assertTrue(Files.size(unpacked.resolve("share/man/man1/colabtop.1")) > 1000, "the man page");
        Path completion = unpacked.resolve("share/bash-completion/completions/colabtop");
        Result complete =
                run(List.of("bash", "-c", "source " + completion + " && complete -p colabtop"), env(Map.of()), 30);
        assertEquals(0, complete.code(), complete.err());
        assertTrue(complete.out().contains("colabtop"), complete.out());
        assertTrue(Files.size(unpacked.resolve("share/zsh/site-functions/_colabtop")) > 100);
        // through a link, as the README installs it
        Path link = Files.createSymbolicLink(work.resolve("colabtop-link"), launcher);
        Result viaLink = run(List.of(link.toString(), "version"), env(Map.of()), 60);
        assertEquals(0, viaLink.code(), viaLink.err());
        long[] ms = new long[5];
        for (int i = 0; i < ms.length; i++) {
            ms[i] = colabtop(Map.of(), "version").millis();
        }
        Arrays.sort(ms);
        long[] noCds = new long[5];
        for (int i = 0; i < noCds.length; i++) {
            noCds[i] = run(
                            List.of(
                                    unpacked.resolve("runtime/bin/java").toString(),
                                    "@" + unpacked.resolve("lib/jvm.options"),
                                    "-jar",
                                    unpacked.resolve("lib/colabtop.jar").toString(),
                                    "version"),
                            env(Map.of()),
                            60)
                    .millis();
        }
        Arrays.sort(noCds);
        System.out.printf(
                Locale.ROOT,
                "[release] %s: %d MB packed; 'colabtop version' %d ms median (%d ms without the class-data archive)%n",
                unpacked.getFileName(),
                Files.size(Path.of(System.getProperty("colabtop.release.dir", "target/dist"))
                                .resolve(unpacked.getFileName() + ".tar.gz"))
                        >> 20,
                ms[2],
                noCds[2]);
    }

    @Test
    void statusOfThisMachineAsJson() throws Exception {
        Result r = colabtop(Map.of(), "status", "local", "--json");
        assertEquals(0, r.code(), r.out() + r.err());
        JsonNode host = new ObjectMapper().readTree(r.out()).get("hosts").get(0);
        MemInfo here = MemInfo.parse(Files.readString(Path.of("/proc/meminfo")));
        assertEquals(here.totalBytes(), host.get("memory").get("totalBytes").asLong());
        assertTrue(host.get("processes").size() > 5);
    }

    @Test
    void theTrimmedComputeClientListsAndStopsVms() throws Exception {
        try (FakeComputeServer server = new FakeComputeServer()) {
            Map<String, String> opts = Map.of(
                    "COLABTOP_JAVA_OPTS",
                    "-Dcolabtop.compute.endpoint=" + server.endpoint() + " -Dcolabtop.compute.pollEvery=PT0.05S");
            Result vms = colabtop(opts, "vms", "--project", "ml-project", "--json");
            assertEquals(0, vms.code(), vms.err());
            JsonNode root = new ObjectMapper().readTree(vms.out());
            assertEquals(4, root.get("vms").size(), vms.out());
            assertTrue(root.get("totalPerHour").asDouble() > 0);
            Result stop = colabtop(
                    opts, "stop", "trainer-v100", "--project", "ml-project", "--zone", "us-central1-a", "--yes");
            assertEquals(0, stop.code(), stop.out() + stop.err());
            assertEquals(1, server.stopCalls.get());
        }
    }

    @Test
    void serveAnswersPrometheusFromTheTrimmedRuntime() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "serve", "--listen", "127.0.0.1:" + port, "local");
        pb.environment().clear();
        pb.environment().putAll(env(Map.of()));
        pb.redirectErrorStream(true).redirectOutput(work.resolve("serve.log").toFile());
        Process serve = pb.start();
        try {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            String body = "";
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < until && !body.contains("colabtop_up{host=\"local\"} 1")) {
                try {
                    body = http.send(
                                    java.net.http.HttpRequest.newBuilder(
                                                    java.net.URI.create("http://127.0.0.1:" + port + "/metrics"))
                                            .build(),
                                    java.net.http.HttpResponse.BodyHandlers.ofString())
                            .body();
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(200);
            }
            assertTrue(
                    body.contains("colabtop_up{host=\"local\"} 1"),
                    "serve's /metrics: " + body + "\n" + Files.readString(work.resolve("serve.log")));
        } finally {
            serve.destroy();
            if (!serve.waitFor(10, TimeUnit.SECONDS)) {
                serve.destroyForcibly();
            }
        }
    }

    /** The TUI in a real terminal: tmux gives it a pty of a known size; keys go in as a user types them. */
    @Test
    void theTuiRunsInARealTerminalAndHtopReflexesWork() throws Exception {
        String socket = "colabtop-it-" + ProcessHandle.current().pid();
        Path exit = work.resolve("tui-exit");
        Map<String, String> tmuxEnv = env(Map.of());
        String cmd = "env HOME=" + home + " PATH=" + bin + " LANG=C.UTF-8 TERM=xterm-256color " + launcher
                + " local; echo $? > " + exit + "; sleep 60";
        try {
            long t0 = System.nanoTime();
            Result started =
                    run(List.of("tmux", "-L", socket, "new-session", "-d", "-x", "120", "-y", "30", cmd), tmuxEnv, 30);
            assertEquals(0, started.code(), started.err());
            String screen = waitForScreen(socket, s -> s.contains("HOST") && s.contains("local "), 30);
            long firstFrame = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(screen.lines().findFirst().orElse("").contains("colabtop  1 host"), screen);
            keys(socket, "h");
            assertTrue(
                    waitForScreen(socket, s -> s.contains("colabtop help"), 10).contains("Fleet table"));
            keys(socket, "Escape");
            keys(socket, "/");
            keys(socket, "-l", "loc");
            keys(socket, "Enter");
            assertTrue(waitForScreen(socket, s -> s.contains("filter: loc"), 10).contains("local "));
            keys(socket, ">");
            waitForScreen(socket, s -> s.contains("sort: ram%"), 10);
            keys(socket, "Enter");
            String detail = waitForScreen(socket, s -> s.contains("PID") && s.contains("OOM"), 10);
            assertTrue(detail.contains(" RAM ["), "meters in the host view: " + detail);
            keys(socket, "t");
            waitForScreen(socket, s -> s.contains("[tree]"), 10);
            keys(socket, "Escape");
            keys(socket, "C-l");
            waitForScreen(socket, s -> s.contains("HOST"), 10);
            keys(socket, "C-c");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!Files.exists(exit) && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            assertEquals("130", Files.readString(exit).strip(), "Ctrl-C exits 130");
            String after = capture(socket);
            assertFalse(after.contains("HOST"), "the terminal is given back (no screen left behind): " + after);
            System.out.printf(Locale.ROOT, "[release] TUI first frame in tmux: %d ms after start%n", firstFrame);
        } finally {
            run(List.of("tmux", "-L", socket, "kill-server"), tmuxEnv, 30);
        }
    }

    void keys(String socket, String... keys) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket, "send-keys", "-t", "0"));
        cmd.addAll(Arrays.asList(keys));
        Result r = run(cmd, env(Map.of()), 30);
        assertEquals(0, r.code(), r.err());
    }

    String capture(String socket) throws Exception {
        return run(List.of("tmux", "-L", socket, "capture-pane", "-p", "-t", "0"), env(Map.of()), 30)
                .out();
    }

    String waitForScreen(String socket, Predicate<String> ok, int seconds) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String s = "";
        while (System.nanoTime() < until) {
            s = capture(socket);
            if (ok.test(s)) {
                return s;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the terminal never showed what was expected:\n" + s);
    }
}
