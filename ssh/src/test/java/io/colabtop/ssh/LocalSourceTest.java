package io.colabtop.ssh;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.colabtop.core.Gpu;
import io.colabtop.core.HostException;
import io.colabtop.core.HostSnapshot;
import io.colabtop.core.ProcessInfo;
import io.colabtop.core.SwapArea;
import io.colabtop.testing.HostTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local machine read by the probe through a child /bin/sh: checked against the real /proc, a
 * real swap file, the same machine read over a real sshd, and against a child that hangs, dies
 * or floods.
 */
class LocalSourceTest {
    @TempDir
    Path tmp;

    private final List<Long> spawned = new ArrayList<>();
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void killLeftovers() {
        pool.shutdownNow();
        // whatever a failed test left: the probe children and the stand-in nvidia-smi processes
        spawned.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    private static long kb(String meminfo, String key) {
        for (String l : meminfo.split("\n")) {
            if (l.startsWith(key + ":")) {
                return Long.parseLong(l.substring(key.length() + 1).trim().split("\\s+")[0]) * 1024;
            }
        }
        throw new AssertionError(key);
    }

    @Test
    void totalsMatchProcMeminfo() throws Exception {
        try (LocalSource src = new LocalSource(20, InstantSource.system())) {
            HostSnapshot s = src.poll();
            String meminfo = Files.readString(Path.of("/proc/meminfo"));
            assertEquals("local", s.host());
            assertEquals(kb(meminfo, "MemTotal"), s.memory().totalBytes());
            assertEquals(kb(meminfo, "SwapTotal"), s.memory().swapTotalBytes());
            assertTrue(s.cpuCount() >= 1);
            assertEquals(Files.exists(Path.of("/proc/pressure/memory")), s.pressure() != null);
            assertTrue(s.processes().size() >= 10, "at least 10 processes on any live Linux box");
            for (int i = 1; i < s.processes().size(); i++) {
                assertTrue(
                        s.processes().get(i - 1).oomScore()
                                >= s.processes().get(i).oomScore(),
                        "ordered by oom_score");
            }
        }
    }

    /** /etc/passwd comes with the first frame and every 60th; the names parsed from it are kept in between. */
    @Test
    void usersAreParsedOncePerPasswdNotPerTick() throws Exception {
        try (LocalSource src = new LocalSource(20, InstantSource.system())) {
            HostSnapshot first = src.poll();
            var users = src.usersInUse();
            assertNotNull(users);
            for (int i = 0; i < 3; i++) {
                src.poll();
                assertSame(users, src.usersInUse(), "tick " + i);
            }
            assertEquals("root", users.nameOf(0));
            assertFalse(first.processes().isEmpty());
        }
    }

    @Test
    void aMarkedChildIsTheTopCandidateWithItsRealScores() throws Exception {
        Process child = new ProcessBuilder("sleep", "60").start();
        try (LocalSource src = new LocalSource(20, InstantSource.system())) {
            long pid = child.pid();
            Path adj = Path.of("/proc/" + pid + "/oom_score_adj");
            // raising oom_score_adj needs no privilege: this child becomes the next OOM victim
            Files.writeString(adj, "900");
            HostSnapshot s = src.poll();
            ProcessInfo p = s.processes().stream()
                    .filter(x -> x.pid() == pid)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("child not among top processes"));
            assertEquals(900, p.oomScoreAdj());
            assertEquals(
                    Integer.parseInt(Files.readString(Path.of("/proc/" + pid + "/oom_score"))
                            .strip()),
                    p.oomScore());
            assertEquals("sleep 60", p.command().exact());
            assertEquals(System.getProperty("user.name"), p.user().exact());
            assertEquals(pid, s.topOomCandidate().pid());
            assertEquals(ProcessHandle.current().pid(), p.ppid());
        } finally {
            child.destroyForcibly();
            child.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** ELAPSED: the probe's /proc/uptime less the process's start, read around the poll by Java. */
    @Test
    void aProcessElapsedTimeIsTheHostUptimeLessItsStart() throws Exception {
        Process child = new ProcessBuilder("sleep", "60").start();
        try (LocalSource src = new LocalSource(20, InstantSource.system())) {
            long pid = child.pid();
            Files.writeString(Path.of("/proc/" + pid + "/oom_score_adj"), "900");
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // "1234 (sleep) S 1 ... 22nd field: start time in ticks after boot"
            long startTicks =
                    Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]);
            double before = uptimeSeconds();
            HostSnapshot s = src.poll();
            double after = uptimeSeconds();
            ProcessInfo p = s.processes().stream()
                    .filter(x -> x.pid() == pid)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("child not among top processes"));
            assertNotNull(s.uptime(), "the probe sends /proc/uptime");
            assertTrue(
                    s.uptime().toMillis() >= before * 1000 - 10 && s.uptime().toMillis() <= after * 1000 + 10,
                    "uptime " + s.uptime() + " between " + before + " and " + after);
            double elapsed = s.elapsed(p).toMillis() / 1000.0;
            double start = startTicks / 100.0;
            assertTrue(
                    elapsed >= before - start - 0.01 && elapsed <= after - start + 0.01,
                    "elapsed " + elapsed + " s between " + (before - start) + " and " + (after - start));
        } finally {
            child.destroyForcibly();
            child.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static double uptimeSeconds() throws Exception {
        return Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
    }

    @HostTest
    @Test
    void aRealSwapFileShowsUpWithItsSize(@TempDir Path dir) throws Exception {
        assumeTrue(isRoot(), "swapon needs root (CI runs as root)");
        Path file = dir.resolve("colabtop test swap");
        try (LocalSource src = new LocalSource(5, InstantSource.system())) {
            run("dd", "if=/dev/zero", "of=" + file, "bs=1M", "count=40", "status=none");
            run("chmod", "600", file.toString());
            run("mkswap", file.toString());
            run("swapon", file.toString());
            HostSnapshot s = src.poll();
            SwapArea a = s.swaps().stream()
                    .filter(x -> x.path().exact().equals(file.toString()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("swap file not in snapshot: " + s.swaps()));
            assertEquals("file", a.type().exact());
            // mkswap keeps one page for its header
            assertEquals(40L * 1024 * 1024 - 4096, a.sizeBytes());
            long total = s.swaps().stream().mapToLong(SwapArea::sizeBytes).sum();
            assertEquals(total, s.memory().swapTotalBytes());
        } finally {
            new ProcessBuilder("swapoff", file.toString()).start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** The same machine as host "local" and over SSH: one probe, so the rows say the same things. */
    @HostTest
    @Test
    void theLocalRowMatchesThisMachineReadOverSsh() throws Exception {
        assumeTrue(TestSshd.available(), "needs OpenSSH server (run-tests installs it)");
        try (TestSshd sshd = TestSshd.start();
                LocalSource local = new LocalSource(20, InstantSource.system());
                RemoteSource remote = new RemoteSource(
                        sshd.target(
                                "vm", TestSshd.knownHosts(tmp.resolve("kh"), sshd), KnownHostsVerifier.Policy.STRICT),
                        20,
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(1),
                        InstantSource.system())) {
            HostSnapshot l = local.poll();
            HostSnapshot r = remote.poll();
            assertNotNull(l.kernel());
            assertEquals(r.kernel(), l.kernel(), "OS and kernel as the probe reads them, on both rows");
            assertEquals(r.cpuCount(), l.cpuCount());
            assertEquals(r.memory().totalBytes(), l.memory().totalBytes());
            assertEquals(
                    r.swaps().stream().map(SwapArea::path).toList(),
                    l.swaps().stream().map(SwapArea::path).toList());
            assertEquals(r.mounts(), l.mounts());
            assertEquals(r.gpus().size(), l.gpus().size());
            assertEquals(r.gpuError(), l.gpuError());
            assertNotNull(r.uptime(), "the probe over SSH sends /proc/uptime too");
            assertTrue(Math.abs(r.uptime().toMillis() - l.uptime().toMillis()) < 30_000, "one machine, one uptime");
        }
    }

    /** A stand-in nvidia-smi that notes its pid, then never answers and ignores TERM (timeout's signal). */
    private Path hangingNvidiaSmi() throws Exception {
        Path bin = Files.createDirectory(tmp.resolve("bin"));
        Path smi = bin.resolve("nvidia-smi");
        Files.writeString(smi, """
                #!/bin/sh
                echo $$ >> "$0.pids"
                if [ -e "$0.healed" ]; then
                  case "$*" in *query-gpu*) echo '0, GPU-1, Tesla T4, 15360, 100, 15260, 3' ;; esac
                  exit 0
                fi
                trap '' TERM INT HUP
                while :; do sleep 1; done
                """);
        Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
        return smi;
    }

    private LocalSource withPathFirst(Path bin) {
        return new LocalSource(
                20, InstantSource.system(), Map.of("PATH", bin + ":" + System.getenv("PATH")), RemoteScript.script());
    }

    private List<Long> pids(Path file) throws Exception {
        List<Long> out = new ArrayList<>();
        if (Files.exists(file)) {
            for (String l : Files.readAllLines(file)) {
                out.add(Long.parseLong(l.strip()));
            }
        }
        spawned.addAll(out);
        return out;
    }

    private static void awaitGone(long pid, String what) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertFalse(
                ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                what + " (pid " + pid + ") still runs");
    }

    private static void awaitFile(Path f) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(f) && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertTrue(Files.exists(f), f + " never appeared");
    }

    @Test
    void aHungNvidiaSmiIsEndedByAbortWithWhatTheProbeStartedAndTheNextPollWorks() throws Exception {
        Path smi = hangingNvidiaSmi();
        try (LocalSource src = withPathFirst(smi.getParent())) {
            Future<HostSnapshot> poll = pool.submit(src::poll);
            awaitFile(Path.of(smi + ".pids")); // the probe is now inside nvidia-smi, which never answers
            long probe = src.pid();
            spawned.add(probe);
            src.abort(); // what the poller's watchdog does at the deadline
            // ends the poll, though nvidia-smi ignores the TERM of `timeout 5` and never exits by itself
            Exception e = assertThrows(Exception.class, () -> poll.get(20, TimeUnit.SECONDS));
            assertInstanceOf(HostException.class, e.getCause(), e.toString());
            awaitGone(probe, "the probe's /bin/sh");
            for (long p : pids(Path.of(smi + ".pids"))) {
                awaitGone(p, "the hung nvidia-smi the probe started");
            }
            // the next poll starts a new probe, which reads the GPU through the same nvidia-smi query as a remote host
            Files.writeString(Path.of(smi + ".healed"), "");
            HostSnapshot s = src.poll();
            assertNotEquals(probe, src.pid());
            assertNull(s.gpuError());
            assertEquals(
                    List.of("Tesla T4"),
                    s.gpus().stream().map(Gpu::name).map(n -> n.exact()).toList());
        }
    }

    @Test
    void aKilledProbeIsAnErrorThenReplaced() throws Exception {
        try (LocalSource src = new LocalSource(5, InstantSource.system())) {
            assertNotNull(src.poll());
            long first = src.pid();
            spawned.add(first);
            assertTrue(ProcessHandle.of(first).orElseThrow().destroyForcibly());
            awaitGone(first, "the killed probe");
            HostException e = assertThrows(HostException.class, src::poll);
            assertTrue(e.getMessage().contains("the probe on this machine stopped"), e.getMessage());
            assertEquals(-1, src.pid(), "the dead child is dropped");
            assertNotNull(src.poll());
            assertNotEquals(first, src.pid());
        }
    }

    @Test
    void closeKillsTheProbeAndWhatItStartedEvenMidPoll() throws Exception {
        Path smi = hangingNvidiaSmi();
        LocalSource src = withPathFirst(smi.getParent());
        long probe;
        List<Long> started;
        try {
            Future<HostSnapshot> poll = pool.submit(src::poll);
            awaitFile(Path.of(smi + ".pids"));
            probe = src.pid();
            spawned.add(probe);
            started = ProcessHandle.of(probe)
                    .orElseThrow()
                    .descendants()
                    .map(ProcessHandle::pid)
                    .toList();
            spawned.addAll(started);
            assertFalse(started.isEmpty(), "the probe is running nvidia-smi");
            src.close();
            Exception e = assertThrows(Exception.class, () -> poll.get(20, TimeUnit.SECONDS));
            assertEquals("closed", e.getCause().getMessage());
        } finally {
            src.close();
        }
        awaitGone(probe, "the probe's /bin/sh");
        for (long p : started) {
            awaitGone(p, "a process the probe started");
        }
        // and no /bin/sh of colabtop's is left under this JVM
        List<String> probes = ProcessHandle.current()
                .children()
                .filter(ProcessHandle::isAlive)
                .filter(h -> h.info()
                        .arguments()
                        .map(a -> List.of(a).contains("colabtop-probe"))
                        .orElse(false))
                .map(h -> h.pid() + " " + h.info().commandLine().orElse(""))
                .toList();
        assertEquals(List.of(), probes);
        assertThrows(HostException.class, src::poll, "a closed source stays closed");
    }

    @Test
    void aFloodingProbeIsCutAtTheFrameBoundAndKilled() throws Exception {
        String flood = "printf '@@ct:hello colabtop-probe 1\\n'; read -r seq f; printf '@@ct:begin %s\\n' \"$seq\"; "
                + "exec yes '|" + "x".repeat(4000) + "$'";
        try (LocalSource src = new LocalSource(20, InstantSource.system(), Map.of(), flood)) {
            HostException e = assertThrows(HostException.class, src::poll);
            assertTrue(e.getMessage().contains("probe frame over 8 MiB"), e.getMessage());
        }
        String endless =
                "printf '@@ct:hello colabtop-probe 1\\n'; read -r seq f; printf '@@ct:begin %s\\n' \"$seq\"; exec cat /dev/zero";
        try (LocalSource src = new LocalSource(20, InstantSource.system(), Map.of(), endless)) {
            HostException e = assertThrows(HostException.class, src::poll);
            assertTrue(e.getMessage().contains("line over " + ProbeLink.MAX_LINE_BYTES + " bytes"), e.getMessage());
        }
    }

    @Test
    void aProbeWithASyntaxErrorNeverSaysHelloAndTheErrorSaysWhy() throws Exception {
        // a broken line near the end of the probe: nothing of it runs, so no frame lacks a section silently
        String script = RemoteScript.script();
        int at = script.lastIndexOf("printf '@@ct:end");
        String broken = script.substring(0, at) + "if then\n" + script.substring(at);
        try (LocalSource src = new LocalSource(20, InstantSource.system(), Map.of(), broken)) {
            HostException e = assertThrows(HostException.class, src::poll);
            assertTrue(
                    e.getMessage().startsWith("the probe did not start on this machine (got nothing"), e.getMessage());
            assertTrue(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("syntax error"), e.getMessage());
        }
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timeout: " + List.of(cmd));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
    }
}
