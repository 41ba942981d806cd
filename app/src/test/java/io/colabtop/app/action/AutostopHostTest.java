package io.colabtop.app.action;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.colabtop.core.action.AutostopRule;
import io.colabtop.core.action.AutostopState;
import io.colabtop.core.action.Confirmation;
import io.colabtop.core.action.HostScript;
import io.colabtop.core.action.HostShell;
import io.colabtop.core.action.ShellResult;
import io.colabtop.ssh.HostScripts;
import io.colabtop.ssh.HostScripts.AutostopPlace;
import io.colabtop.ssh.KnownHostsVerifier;
import io.colabtop.ssh.LocalProcess;
import io.colabtop.ssh.SshShell;
import io.colabtop.ssh.TestSshd;
import io.colabtop.testing.HostTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Autostop for real, through a real sshd on loopback: the watcher runs detached on this machine
 * (no systemd as PID 1 here), real processes end, and the configured stop command, a harmless
 * {@code touch}, shows that it fired. Checks run every second. Every watcher, state directory,
 * process and cgroup a test makes is removed after it, also when it fails.
 */
@HostTest
class AutostopHostTest {
    static TestSshd sshd;

    @TempDir
    Path tmp;

    Path knownHosts;
    AutostopPlace place;
    HostShell shell;
    ActionGate gate;
    AuditLog audit;
    Path fired;
    final List<Process> started = new ArrayList<>();
    final List<TestSshd> servers = new ArrayList<>();
    final List<Path> cgroups = new ArrayList<>();

    @BeforeAll
    static void startSshd() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "the watcher runs as root (CI runs as root)");
        assumeTrue(TestSshd.available(), "needs OpenSSH's sshd");
        sshd = TestSshd.start();
    }

    @AfterAll
    static void stopSshd() {
        if (sshd != null) {
            sshd.close();
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        String name = "colabtop-autostop-test-" + UUID.randomUUID().toString().substring(0, 8);
        place = new AutostopPlace(
                "/run/" + name, name, tmp.resolve("autostop.log").toString(), "auto");
        knownHosts = TestSshd.knownHosts(tmp.resolve("known_hosts"), sshd);
        shell = over(sshd);
        audit = new AuditLog(tmp.resolve("audit.log"));
        gate = new ActionGate(audit, InstantSource.system(), h -> shell);
        fired = tmp.resolve("fired");
    }

    /** Whatever a test armed or started goes, even when it failed half-way. */
    @AfterEach
    void tearDown() throws Exception {
        if (place != null) {
            new LocalProcess().runAsRoot(HostScripts.autostopCancel(place), Duration.ofSeconds(30));
            assertEquals(List.of(), watcherPids(), "no watcher outlives its test");
            assertFalse(Files.exists(Path.of(place.state())));
        }
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        servers.forEach(TestSshd::close);
        for (Path cg : cgroups) {
            for (int i = 0; i < 50 && Files.exists(cg); i++) {
                new ProcessBuilder("rmdir", cg.toString()).start().waitFor(5, TimeUnit.SECONDS);
                Thread.sleep(100);
            }
        }
    }

    HostShell over(TestSshd server) throws Exception {
        Path kh = TestSshd.knownHosts(tmp.resolve("kh-" + server.port()), server);
        return new SshShell(server.target("vm", kh, KnownHostsVerifier.Policy.STRICT), Duration.ofSeconds(10));
    }

    Process spawn(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        started.add(p);
        return p;
    }

    /** Field 22 of /proc/PID/stat, the start time the watcher checks the pid against. */
    static long startOf(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[19]);
    }

    AutostopRule exits(Process p, Duration grace) throws IOException {
        return new AutostopRule(
                new AutostopRule.Exits(
                        (int) p.pid(),
                        startOf(p.pid()),
                        String.join(" ", p.info().arguments().orElse(new String[0]))),
                grace,
                List.of(),
                Duration.ofSeconds(30),
                List.of("/usr/bin/touch", fired.toString()),
                Duration.ofSeconds(1));
    }

    AutostopRule idle(Duration window, int cpuMax, int gpuMax) {
        return new AutostopRule(
                new AutostopRule.Idle(window, cpuMax, gpuMax),
                Duration.ZERO,
                List.of(),
                Duration.ofSeconds(30),
                List.of("/usr/bin/touch", fired.toString()),
                Duration.ofSeconds(1));
    }

    ShellResult arm(AutostopRule rule) throws Exception {
        HostScript plan = AutostopPlanner.arm("vm", rule, AutostopPlanner.newId(), place, null, null, null);
        ShellResult r = gate.run(plan, Confirmation.answered("test"));
        assertTrue(r.ok(), r.error() + "\n" + r.stdout() + r.stderr());
        return r;
    }

    AutostopState status() throws Exception {
        return AutostopPlanner.status(shell, place, Instant.now());
    }

    /** The watchers of this test's state on this machine: processes run as /bin/sh STATE/watch.sh (not zombies). */
    List<Long> watcherPids() throws IOException {
        List<Long> pids = new ArrayList<>();
        String want = "/bin/sh\0" + place.watchScript() + "\0";
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path d : procs.filter(p -> p.getFileName().toString().matches("[0-9]+"))
                    .toList()) {
                try {
                    String cmd = new String(Files.readAllBytes(d.resolve("cmdline")), StandardCharsets.UTF_8);
                    String stat = Files.readString(d.resolve("stat"));
                    char state = stat.charAt(stat.lastIndexOf(')') + 2);
                    if (cmd.equals(want) && state != 'Z') {
                        long pid = Long.parseLong(d.getFileName().toString());
                        String parent = new String(
                                Files.readAllBytes(Path.of("/proc/" + ppid(stat) + "/cmdline")),
                                StandardCharsets.UTF_8);
                        if (!parent.equals(want)) { // a watcher's own subshells carry its command line
                            pids.add(pid);
                        }
                    }
                } catch (IOException gone) {
                    // exited meanwhile
                }
            }
        }
        return pids;
    }

    static long ppid(String stat) {
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
    }

    static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException gone) {
            return false;
        }
    }

    long watcherPid() throws IOException {
        return Long.parseLong(
                Files.readString(Path.of(place.state(), "watcher")).split(" ")[0]);
    }

    static void waitUntil(BooleanSupplier ok, String what) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (System.nanoTime() < until) {
            if (ok.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        fail("never: " + what);
    }

    AutostopState waitForStatus(java.util.function.Predicate<AutostopState> ok, String what) throws Exception {
        AutostopState[] last = new AutostopState[1];
        waitUntil(
                () -> {
                    try {
                        last[0] = status();
                        return ok.test(last[0]);
                    } catch (Exception e) {
                        return false;
                    }
                },
                what + " (last: " + (last[0] == null ? null : last[0].describe(Instant.now())) + ")");
        return last[0];
    }

    /** A few checks go by (the watcher checks every second) and the stop command has not run. */
    void noFiringFor(Duration d) throws Exception {
        Thread.sleep(d.toMillis());
        assertFalse(Files.exists(fired), "the stop command ran: " + status().describe(Instant.now()));
    }

    @Test
    void whenTheWatchedProcessEndsTheHookRunsThenTheStopCommandAndTheAuditSaysWhy() throws Exception {
        Process job = spawn("sleep", "600");
        Path hookRan = tmp.resolve("hook-ran");
        AutostopRule rule = exits(job, Duration.ofSeconds(1))
                .withBefore(List.of("/usr/bin/touch", hookRan.toString()), Duration.ofSeconds(30));
        ShellResult r = arm(rule);
        assertTrue(
                r.results().stream().anyMatch(x -> x.matches("armed [0-9a-f]+ how=detached watcher=[0-9]+")),
                r.results() + "");
        AutostopState s =
                waitForStatus(x -> x.note() != null && x.note().endsWith("(sleep) runs"), "the watcher's first check");
        assertTrue(s.armed() && s.running() && !s.pending());
        assertEquals(1, s.watchers());
        assertEquals("detached", s.how(), "no systemd as PID 1 here: the detached watcher");
        assertEquals("autostop: when PID " + job.pid() + " exits, then 1s of grace", s.describe(Instant.now()));
        noFiringFor(Duration.ofSeconds(3));

        job.destroy();
        job.waitFor(10, TimeUnit.SECONDS);
        waitUntil(() -> Files.exists(fired), "the stop command runs");
        s = waitForStatus(x -> x.fired() != null && x.fired().stopExit() != null, "the firing is recorded");
        assertEquals(
                "PID " + job.pid() + " (sleep) exited; no OOM kill since arming",
                s.fired().reason());
        assertEquals("exited 0", s.fired().hook());
        assertEquals(0, s.fired().stopExit());
        assertTrue(Files.exists(hookRan), "the hook ran");
        assertFalse(
                Files.getLastModifiedTime(hookRan)
                        .toInstant()
                        .isAfter(Files.getLastModifiedTime(fired).toInstant()),
                "the hook ran before the stop");
        assertEquals(0, s.watchers(), "the watcher ends after it fired");
        assertTrue(
                Files.readString(Path.of(place.log())).contains(" fired: PID " + job.pid() + " (sleep) exited"),
                "the log that outlives the reboot says why");

        assertTrue(AutostopPlanner.recordFired(audit, "vm", s, InstantSource.system()));
        assertFalse(AutostopPlanner.recordFired(audit, "vm", s, InstantSource.system()), "once per arming");
        JsonNode last = audit.tail(1).get(0);
        assertEquals("autostop-fired", last.get("action").asText());
        assertEquals("ok", last.get("outcome").asText());
        assertTrue(last.get("message").asText().startsWith("PID " + job.pid() + " (sleep) exited"), last.toString());
    }

    @Test
    void aHookPastItsTimeOutIsStoppedWithItsChildrenAndTheVmStopsAnyway() throws Exception {
        Path hook = tmp.resolve("hook.sh");
        Files.writeString(
                hook,
                "#!/bin/sh\necho $$ > " + tmp.resolve("hook.pid") + "\nsleep 600 &\necho $! > "
                        + tmp.resolve("hook.child") + "\nwait\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
        Process job = spawn("sleep", "600");
        arm(exits(job, Duration.ZERO).withBefore(List.of(hook.toString()), Duration.ofSeconds(2)));
        job.destroy();
        job.waitFor(10, TimeUnit.SECONDS);
        waitUntil(() -> Files.exists(fired), "the stop command runs after the hook's time-out");
        long hookPid = Long.parseLong(Files.readString(tmp.resolve("hook.pid")).strip());
        long childPid =
                Long.parseLong(Files.readString(tmp.resolve("hook.child")).strip());
        assertFalse(running(hookPid), "the hook was stopped");
        assertFalse(running(childPid), "and its children with it (its own process group)");
        Duration waited = Duration.between(
                Files.getLastModifiedTime(tmp.resolve("hook.pid")).toInstant(),
                Files.getLastModifiedTime(fired).toInstant());
        assertTrue(waited.compareTo(Duration.ofMillis(1500)) >= 0, "the stop waited for the time-out: " + waited);
        AutostopState s = waitForStatus(x -> x.fired() != null && x.fired().stopExit() != null, "recorded");
        assertEquals("timed out after 2s: stopped (TERM, then KILL)", s.fired().hook());
    }

    @Test
    void cancelStopsTheWatcherRemovesItsStateAndNothingFiresAfter() throws Exception {
        Process job = spawn("sleep", "600");
        arm(exits(job, Duration.ZERO));
        long watcher = watcherPid();
        assertTrue(running(watcher));
        AutostopState now = status();
        ShellResult r = gate.run(AutostopPlanner.cancel("vm", place, now), Confirmation.answered("test"));
        assertTrue(r.ok(), r.error());
        assertEquals(List.of("cancelled when PID " + job.pid() + " exits"), r.results());
        assertFalse(running(watcher), "the watcher is gone");
        assertEquals(List.of(), watcherPids());
        assertFalse(Files.exists(Path.of(place.state())), "and its state");
        assertFalse(status().armed());
        job.destroy();
        noFiringFor(Duration.ofSeconds(3));
        ShellResult again = gate.run(AutostopPlanner.cancel("vm", place, null), Confirmation.answered("test"));
        assertEquals(List.of("nothing"), again.results());
    }

    /**
     * A reboot cannot be made here; what one leaves is: the watcher gone (killed, no cleanup) and a
     * state whose boot id is not this boot's (a /run that survived, or a copy). The host reports it
     * as from before the last boot, the row says it will not fire, and arming again replaces it.
     */
    @Test
    void aStateFromBeforeTheLastBootIsReportedAsSuchAndArmingAgainReplacesIt() throws Exception {
        Process job = spawn("sleep", "600");
        arm(exits(job, Duration.ZERO));
        long watcher = watcherPid();
        Path armed = Path.of(place.state(), "armed");
        String state = Files.readString(armed);
        String boot =
                Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
        assertTrue(state.contains("\nboot " + boot + "\n"), state);
        signal("KILL", watcher);
        waitUntil(() -> !running(watcher), "the watcher is gone");
        Files.writeString(
                armed, state.replace("\nboot " + boot + "\n", "\nboot 0f5b1e9a-6c1d-4c5e-9d83-2b9e1c4a7d10\n"));
        AutostopState s = status();
        assertTrue(s.stale(), "from before the last boot");
        assertTrue(s.broken(), "it will not fire");
        assertEquals(
                "autostop from before the last boot: its watcher is gone (a re-arms it)", s.describe(Instant.now()));
        arm(exits(job, Duration.ZERO));
        AutostopState again = status();
        assertFalse(again.stale());
        assertTrue(again.running());
        assertEquals(1, watcherPids().size());
        job.destroy();
        waitUntil(() -> Files.exists(fired), "the new watcher fires");
    }

    /**
     * The stop is a shutdown: when colabtop next reads the host, /run is empty and only the log
     * that outlives the reboot says what happened. The firing reaches the audit from that log,
     * once, with its reason; an OOM kill's line in it is read as the kill history reads it.
     */
    @Test
    void afterTheRebootTheStopWasTheLogStillBringsTheFiringToTheAuditOnce() throws Exception {
        Process job = spawn("sleep", "600");
        arm(exits(job, Duration.ZERO));
        job.destroy();
        waitUntil(() -> Files.exists(fired), "the stop command runs");
        waitForStatus(x -> x.fired() != null && x.fired().stopExit() != null, "the firing is recorded");
        // the reboot: the tmpfs state is gone, the log stays
        new ProcessBuilder("rm", "-rf", "--", place.state()).start().waitFor(10, TimeUnit.SECONDS);
        AutostopState s = status();
        assertFalse(s.armed(), "nothing armed after a reboot");
        assertTrue(s.lastLog().contains(" fired: PID " + job.pid() + " (sleep) exited"), s.lastLog());
        assertTrue(AutostopPlanner.recordFired(audit, "vm", s, InstantSource.system()));
        assertFalse(AutostopPlanner.recordFired(audit, "vm", status(), InstantSource.system()), "once");
        JsonNode e = audit.tail(1).get(0);
        assertEquals("autostop-fired", e.get("action").asText());
        assertEquals(
                "PID " + job.pid() + " (sleep) exited; no OOM kill since arming",
                e.get("message").asText());
        assertTrue(e.path("oomKilledBy").isMissingNode());

        // a log line of an OOM-killed run (Linux 6.x's words, as recorded in core/src/test/resources/oom)
        String line = "1718000700 0a1b2c3d fired: PID 393802 (java) was OOM-killed by the kernel: Out of memory: "
                + "Killed process 393802 (java) total-vm:2133696kB, anon-rss:256140kB, file-rss:0kB, shmem-rss:148kB, "
                + "UID:1000 pgtables:5180kB oom_score_adj:0";
        Files.writeString(Path.of(place.log()), line + "\n", java.nio.file.StandardOpenOption.APPEND);
        assertTrue(AutostopPlanner.recordFired(audit, "vm", status(), InstantSource.system()));
        e = audit.tail(1).get(0);
        assertEquals("0a1b2c3d", e.get("autostopId").asText());
        assertEquals(Instant.ofEpochSecond(1718000700).toString(), e.get("time").asText());
        assertEquals("kernel", e.get("oomKilledBy").asText());
        assertTrue(e.get("oomKill").asText().startsWith("kernel ✗ pid 393802 java RSS "), e.toString());
        assertTrue(e.get("oomKill").asText().endsWith(": host out of memory"), e.toString());
    }

    @Test
    void armingAgainReplacesTheWatcherAndNeverAddsOne() throws Exception {
        Process first = spawn("sleep", "600");
        Process second = spawn("sleep", "601");
        arm(exits(first, Duration.ZERO));
        long w1 = watcherPid();
        ShellResult r = arm(exits(second, Duration.ZERO));
        assertTrue(
                r.steps().contains("replaced the autostop armed before (when PID " + first.pid() + " exits)"),
                r.steps() + "");
        assertFalse(running(w1), "the first watcher was stopped");
        assertEquals(1, watcherPids().size(), "one watcher: " + watcherPids());
        AutostopState s = status();
        assertEquals("when PID " + second.pid() + " exits", s.what());
        assertEquals(1, s.watchers());
        first.destroy();
        noFiringFor(Duration.ofSeconds(3));
        second.destroy();
        waitUntil(() -> Files.exists(fired), "the second rule fires");
        assertTrue(waitForStatus(x -> x.fired() != null, "fired")
                .fired()
                .reason()
                .startsWith("PID " + second.pid() + " (sleep) exited"));
    }

    /**
     * A real reused pid: the watched process ends while the watcher is stopped (SIGSTOP), and
     * another process is given the same pid (ns_last_pid, which root may write here) before it
     * looks again. Same pid, another start time: the watched process is gone, and it fires.
     */
    @Test
    void aReusedPidDoesNotCountAsTheWatchedProcess() throws Exception {
        assumeTrue(Files.isWritable(Path.of("/proc/sys/kernel/ns_last_pid")), "needs ns_last_pid to reuse a pid");
        Process a = spawn("sleep", "600");
        long pid = a.pid();
        arm(exits(a, Duration.ZERO));
        waitForStatus(x -> x.note() != null && x.note().endsWith("runs"), "first check");
        long watcher = watcherPid();
        signal("STOP", watcher);
        Process b;
        try {
            a.destroy();
            a.waitFor(10, TimeUnit.SECONDS);
            // another process takes pid: set the last pid handed out just below it, fork at once
            b = spawn(
                    "/bin/sh",
                    "-c",
                    "i=0; while [ $i -lt 500 ]; do echo " + (pid - 1)
                            + " > /proc/sys/kernel/ns_last_pid; sleep 600 & q=$!; if [ $q = " + pid
                            + " ]; then echo $q; wait; exit 0; fi; kill $q; wait $q 2>/dev/null; i=$((i + 1)); done;"
                            + " echo none");
            String got =
                    new String(b.getInputStream().readNBytes(String.valueOf(pid).length()), StandardCharsets.US_ASCII);
            assertEquals(String.valueOf(pid), got, "another process got pid " + pid);
            assertTrue(running(pid), "pid " + pid + " runs again, as another process");
        } finally {
            signal("CONT", watcher);
        }
        waitUntil(() -> Files.exists(fired), "the reused pid does not hold the stop off");
        AutostopState s = waitForStatus(x -> x.fired() != null, "fired");
        assertEquals(
                "PID " + pid + " (sleep) exited (its pid " + pid + " is now another process); no OOM kill since arming",
                s.fired().reason());
        assertTrue(running(pid), "the new process still runs: it was not taken for the old one");
    }

    static void signal(String sig, long pid) throws Exception {
        assertEquals(
                0,
                new ProcessBuilder("kill", "-" + sig, Long.toString(pid))
                        .start()
                        .waitFor());
    }

    @Test
    void idleWaitsWhileSomeoneIsOnAnSshTerminalAndFiresOnceTheyLeave() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ssh")), "needs OpenSSH's client for a real terminal");
        // a real interactive session: ssh -tt gives the remote command a pseudo-terminal under sshd
        Process terminal = spawn(
                "/usr/bin/ssh",
                "-tt",
                "-i",
                TestSshd.clientKey().toString(),
                "-p",
                Integer.toString(sshd.port()),
                "-o",
                "UserKnownHostsFile=" + knownHosts,
                "-o",
                "StrictHostKeyChecking=yes",
                "-o",
                "BatchMode=yes",
                "root@127.0.0.1",
                "sleep 4244");
        waitUntil(() -> onPts("sleep\u00004244\u0000"), "the terminal session's command runs on a pts");
        // CPU and GPU thresholds at 100 %: only the terminal keeps this host busy
        arm(idle(Duration.ofSeconds(2), 100, 100));
        waitForStatus(
                x -> x.note() != null && x.note().startsWith("someone is on an SSH terminal"), "the terminal is seen");
        noFiringFor(Duration.ofSeconds(5));
        terminal.destroy();
        terminal.waitFor(10, TimeUnit.SECONDS);
        waitUntil(() -> Files.exists(fired), "idle for 2s once nobody is on a terminal");
        AutostopState s = waitForStatus(x -> x.fired() != null, "fired");
        assertEquals(
                "idle for 2s (CPU at most 100%, GPUs at most 100%, no SSH terminal)",
                s.fired().reason());
    }

    /** Whether a process with this exact command line runs on a pseudo-terminal (tty major 136-143). */
    static boolean onPts(String cmdline) {
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path d : procs.filter(p -> p.getFileName().toString().matches("[0-9]+"))
                    .toList()) {
                try {
                    if (!new String(Files.readAllBytes(d.resolve("cmdline")), StandardCharsets.UTF_8).equals(cmdline)) {
                        continue;
                    }
                    String stat = Files.readString(d.resolve("stat"));
                    long tty = Long.parseLong(
                            stat.substring(stat.lastIndexOf(')') + 2).split(" ")[4]);
                    long major = (tty >> 8) & 0xfff;
                    if (major >= 136 && major <= 143) {
                        return true;
                    }
                } catch (IOException gone) {
                    // exited meanwhile
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    @Test
    void busyCpusKeepTheHostFromBeingIdle() throws Exception {
        int cpus = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < cpus; i++) {
            spawn("/bin/sh", "-c", "while :; do :; done");
        }
        arm(idle(Duration.ofSeconds(2), 50, 100));
        AutostopState s = waitForStatus(x -> x.note() != null && x.note().startsWith("busy: CPU"), "the CPUs are busy");
        assertFalse(s.pending(), s.note());
        noFiringFor(Duration.ofSeconds(4));
    }

    @Test
    void aBusyGpuKeepsTheHostFromBeingIdleAndAnUnreadableOneCountsAsBusy() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path util = tmp.resolve("gpu-util");
        Files.writeString(util, "87\n");
        // nvidia-smi --query-gpu=utilization.gpu --format=csv,noheader,nounits: one line per GPU
        Files.writeString(bin.resolve("nvidia-smi"), "#!/bin/sh\ncat " + util + "\n");
        Files.setPosixFilePermissions(bin.resolve("nvidia-smi"), PosixFilePermissions.fromString("rwxr-xr-x"));
        TestSshd gpuHost = TestSshd.start(
                List.of("SetEnv PATH=" + bin + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
        servers.add(gpuHost);
        shell = over(gpuHost);
        gate = new ActionGate(audit, InstantSource.system(), h -> shell);
        arm(idle(Duration.ofSeconds(2), 100, 5));
        waitForStatus(x -> "busy: GPU 87%".equals(x.note()), "the GPU is busy");
        noFiringFor(Duration.ofSeconds(3));
        Files.writeString(util, "[N/A]\n");
        waitForStatus(x -> "GPU utilisation unreadable: counted as busy".equals(x.note()), "an unreadable GPU");
        noFiringFor(Duration.ofSeconds(3));
        Files.writeString(util, "3\n0\n");
        waitUntil(() -> Files.exists(fired), "idle once the GPUs are");
    }

    /**
     * Where systemd is PID 1 the watcher is a transient unit. This machine has none, so a stand-in
     * systemd-run records its arguments and starts the command as a service would (detached);
     * the arguments are held to exactly what the README says is run.
     */
    @Test
    void theSystemdRunInvocationIsExactlyTheDocumentedOne() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path argv = tmp.resolve("systemd-run.argv");
        Files.writeString(
                bin.resolve("systemd-run"),
                "#!/bin/sh\nprintf '%s\\n' \"$@\" > " + argv + "\nwhile [ $# -gt 0 ]; do case $1 in --*) shift ;; *)"
                        + " break ;; esac; done\nsetsid \"$@\" < /dev/null > /dev/null 2>&1 &\nexit 0\n");
        Files.setPosixFilePermissions(bin.resolve("systemd-run"), PosixFilePermissions.fromString("rwxr-xr-x"));
        TestSshd systemdHost = TestSshd.start(
                List.of("SetEnv PATH=" + bin + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
        servers.add(systemdHost);
        shell = over(systemdHost);
        gate = new ActionGate(audit, InstantSource.system(), h -> shell);
        place = new AutostopPlace(place.state(), place.unit(), place.log(), "systemd");
        Process job = spawn("sleep", "600");
        ShellResult r = arm(exits(job, Duration.ZERO));
        assertTrue(r.results().get(0).contains(" how=systemd "), r.results() + "");
        assertEquals(
                List.of(
                        "systemd-run",
                        "--unit=" + place.unit(),
                        "--description=colabtop autostop watcher",
                        "--collect",
                        "--quiet",
                        "/bin/sh",
                        place.state() + "/watch.sh"),
                place.systemdRun());
        List<String> got = new ArrayList<>(List.of("systemd-run"));
        got.addAll(Files.readAllLines(argv));
        assertEquals(place.systemdRun(), got, "systemd-run's exact arguments");
        // and the README shows exactly that line (its words may wrap)
        String readme = Files.readString(Path.of("..", "README.md")).replaceAll("\\s+", " ");
        assertTrue(
                readme.contains("`" + AutostopPlace.DEFAULT.systemdRunLine() + "`"),
                AutostopPlace.DEFAULT.systemdRunLine());
        AutostopState s = status();
        assertEquals("systemd", s.how());
        assertTrue(s.running());
        job.destroy();
        waitUntil(() -> Files.exists(fired), "the unit's watcher fires");
    }

    /**
     * An OOM-killed run: a real kernel OOM kill in a memory cgroup of its own (cgroup v1, 32 MiB)
     * of the watched process. The VM still stops (the money matters), and the reason says so,
     * quoting the kernel's line.
     */
    @Test
    void anOomKilledRunStillStopsTheVmAndTheReasonSaysSo() throws Exception {
        Path memory = Path.of("/sys/fs/cgroup/memory");
        assumeTrue(Files.isWritable(memory), "needs the cgroup v1 memory controller");
        Path cg = memory.resolve(
                "colabtop-autostop-oom-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createDirectory(cg);
        cgroups.add(cg);
        Files.writeString(cg.resolve("memory.limit_in_bytes"), Long.toString(32L << 20));
        if (Files.exists(cg.resolve("memory.swappiness"))) {
            Files.writeString(cg.resolve("memory.swappiness"), "0");
        }
        // joins the cgroup, waits for a line, then becomes dd with a 256 MiB buffer: same pid
        Process job = spawn(
                "/bin/sh",
                "-c",
                "echo $$ > " + cg.resolve("cgroup.procs")
                        + " && read x && exec dd if=/dev/zero of=/dev/null bs=256M count=4");
        waitUntil(
                () -> {
                    try {
                        return Files.readString(cg.resolve("cgroup.procs")).contains(Long.toString(job.pid()));
                    } catch (IOException e) {
                        return false;
                    }
                },
                "the job is in its cgroup");
        arm(exits(job, Duration.ZERO));
        waitForStatus(x -> x.note() != null && x.note().endsWith("runs"), "first check");
        job.getOutputStream().write('\n');
        job.getOutputStream().flush();
        waitUntil(() -> Files.exists(fired), "an OOM-killed run still stops the VM");
        AutostopState s = waitForStatus(x -> x.fired() != null, "fired");
        assertTrue(
                s.fired().reason().startsWith("PID " + job.pid() + " (sh) was OOM-killed by the kernel: ")
                        && s.fired().reason().contains("Killed process " + job.pid() + " (dd)"),
                s.fired().reason());
        // the audit says why, the killer's line read as the kill history reads it
        assertTrue(AutostopPlanner.recordFired(audit, "vm", s, InstantSource.system()));
        JsonNode last = audit.tail(1).get(0);
        assertEquals("autostop-fired", last.get("action").asText());
        assertEquals("ok", last.get("outcome").asText(), "the VM was stopped all the same");
        assertTrue(last.get("message").asText().contains(" was OOM-killed by the kernel: "), last.toString());
        assertEquals("kernel", last.path("oomKilledBy").asText(), last.toString());
        assertTrue(last.path("oomKill").asText().startsWith("kernel ✗ pid " + job.pid() + " dd RSS "), last.toString());
        assertTrue(last.path("oomKill").asText().contains("(not a host OOM"), last.toString());
    }

    /** A cgroup v2 cgroup of this test's (the hybrid hierarchy's unified part here), removed after it. */
    Path cgroupV2(String name) throws IOException {
        Path unified = Path.of("/sys/fs/cgroup/unified");
        if (!Files.exists(unified.resolve("cgroup.procs"))) {
            unified = Path.of("/sys/fs/cgroup");
        }
        assumeTrue(Files.isWritable(unified.resolve("cgroup.procs")), "needs a cgroup v2 hierarchy");
        Path cg = Files.createDirectory(unified.resolve(name));
        cgroups.add(cg);
        assumeTrue(Files.exists(cg.resolve("cgroup.kill")), "needs cgroup.kill (Linux 5.14+) to kill as oomd does");
        return cg;
    }

    /** A sleep that joined cgroup {@code cg} before it started ("0::/NAME" in its /proc/PID/cgroup). */
    Process sleepIn(Path cg, String name) throws Exception {
        Process job = spawn("/bin/sh", "-c", "echo $$ > " + cg.resolve("cgroup.procs") + " && exec sleep 600");
        waitUntil(
                () -> {
                    try {
                        return Files.readString(Path.of("/proc/" + job.pid() + "/cgroup"))
                                        .contains("\n0::/" + name + "\n")
                                && Files.readString(Path.of("/proc/" + job.pid() + "/comm"))
                                        .equals("sleep\n");
                    } catch (IOException e) {
                        return false;
                    }
                },
                "the job is in its cgroup");
        return job;
    }

    /**
     * systemd-oomd kills a whole cgroup (SIGKILL; the kernel's oom_kill counter does not move) and
     * says so in the journal. The job runs in a real cgroup v2 cgroup of its own and is killed as
     * oomd kills, through cgroup.kill; this machine has no systemd-oomd, so a stand-in journalctl
     * prints oomd's line (its wording as systemd 249 logged it) for that cgroup, and, after it, one
     * for a cgroup whose name only begins with the job's, which must not count.
     */
    @Test
    void aRunKilledBySystemdOomdStillStopsTheVmAndTheAuditSaysSo() throws Exception {
        String name = "colabtop-autostop-oomd-" + UUID.randomUUID().toString().substring(0, 8);
        Path cg = cgroupV2(name);
        Process job = sleepIn(cg, name);
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path args = tmp.resolve("journalctl.argv");
        String pressure = " due to memory pressure for / being 51.07% > 50.00% for > 20s with reclaim activity";
        Files.writeString(
                bin.resolve("journalctl"),
                "#!/bin/sh\nprintf '%s\\n' \"$@\" > " + args + "\n"
                        + "[ -e " + tmp.resolve("killed") + " ] || exit 0\n"
                        + "echo 'Killed /" + name + pressure + "'\n"
                        + "echo 'Killed /" + name + "x" + pressure + "'\n");
        Files.setPosixFilePermissions(bin.resolve("journalctl"), PosixFilePermissions.fromString("rwxr-xr-x"));
        TestSshd oomdHost = TestSshd.start(
                List.of("SetEnv PATH=" + bin + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
        servers.add(oomdHost);
        shell = over(oomdHost);
        gate = new ActionGate(audit, InstantSource.system(), h -> shell);
        arm(exits(job, Duration.ZERO));
        waitForStatus(x -> x.note() != null && x.note().endsWith("runs"), "first check");
        Files.writeString(tmp.resolve("killed"), "");
        Files.writeString(cg.resolve("cgroup.kill"), "1");
        waitUntil(() -> Files.exists(fired), "a run oomd killed still stops the VM");
        AutostopState s = waitForStatus(x -> x.fired() != null, "fired");
        assertEquals(
                "PID " + job.pid() + " (sleep) was OOM-killed by systemd-oomd: Killed /" + name + pressure,
                s.fired().reason());
        List<String> asked = Files.readAllLines(args);
        assertTrue(asked.contains("SYSLOG_IDENTIFIER=systemd-oomd"), "oomd's lines only: " + asked);
        assertTrue(asked.contains("--since"), "since arming: " + asked);
        assertTrue(AutostopPlanner.recordFired(audit, "vm", s, InstantSource.system()));
        JsonNode last = audit.tail(1).get(0);
        assertEquals("systemd-oomd", last.path("oomKilledBy").asText(), last.toString());
        assertTrue(last.path("oomKill").asText().startsWith("systemd-oomd ✗ " + name + ": "), last.toString());
    }

    /** A process that just ends, next to oomd kills of other cgroups, is not said to be OOM-killed. */
    @Test
    void anOomdKillOfAnotherCgroupIsNotTakenForTheWatchedProcess() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.writeString(
                bin.resolve("journalctl"),
                "#!/bin/sh\necho 'Killed /system.slice/other.service due to memory pressure for /system.slice being"
                        + " 85.03% > 80.00% for > 2s with reclaim activity'\n");
        Files.setPosixFilePermissions(bin.resolve("journalctl"), PosixFilePermissions.fromString("rwxr-xr-x"));
        TestSshd host = TestSshd.start(
                List.of("SetEnv PATH=" + bin + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
        servers.add(host);
        shell = over(host);
        gate = new ActionGate(audit, InstantSource.system(), h -> shell);
        String name = "colabtop-autostop-plain-" + UUID.randomUUID().toString().substring(0, 8);
        Process job = sleepIn(cgroupV2(name), name);
        arm(exits(job, Duration.ZERO));
        job.destroy();
        waitUntil(() -> Files.exists(fired), "the stop command runs");
        AutostopState s = waitForStatus(x -> x.fired() != null, "fired");
        assertEquals(
                "PID " + job.pid() + " (sleep) exited; no OOM kill since arming",
                s.fired().reason());
        assertTrue(AutostopPlanner.recordFired(audit, "vm", s, InstantSource.system()));
        assertTrue(audit.tail(1).get(0).path("oomKilledBy").isMissingNode());
    }

    /** The plan a user confirms says what runs where, what it saves, and that a reboot forgets it. */
    @Test
    void thePlanSaysWhatRunsOnTheVmWhatStoppingSavesAndThatARebootForgetsIt() throws Exception {
        io.colabtop.core.cost.CostModel model =
                new io.colabtop.core.cost.CostModel(io.colabtop.app.config.PriceCatalogFile.load(null));
        io.colabtop.core.cost.VmShape shape = new io.colabtop.core.cost.VmShape(
                "n1-highmem-2",
                List.of(new io.colabtop.core.cost.VmShape.GpuCount("nvidia-tesla-t4", 1)),
                List.of(new io.colabtop.core.cost.VmShape.Disk("pd-balanced", 100)),
                "us-west1-b",
                false);
        AutostopPlanner.Billing billing = new AutostopPlanner.Billing(
                "trainer", model.hourly(shape), io.colabtop.core.cost.Fx.USD, "shipped snapshot");
        HostScript plan = AutostopPlanner.arm(
                "trainer",
                AutostopRule.of(new AutostopRule.Exits(4242, 1, "python train.py"), Duration.ofMinutes(10)),
                "6f1c2a0b",
                AutostopPlace.DEFAULT,
                billing,
                null,
                null);
        String all = String.join("\n", plan.summary());
        assertTrue(all.contains("fires 10m after PID 4242 exits   # python train.py"), all);
        assertTrue(
                all.contains("systemd-run --unit=colabtop-autostop '--description=colabtop autostop watcher' --collect "
                        + "--quiet /bin/sh /run/colabtop-autostop/watch.sh"),
                all);
        assertTrue(all.contains("then: /sbin/shutdown -h now"), all);
        assertTrue(all.contains("stopping trainer saves $0.4683/h"), all);
        assertTrue(all.contains("keeps billing while stopped: disk 100 GB pd-balanced $0.0137/h"), all);
        assertTrue(all.contains("gone after a reboot"), all);
        assertFalse(plan.dangerous(), "arming is a y; the stop comes later, as armed");
        assertTrue(plan.script().contains("\nregex=''\n"), "values in the quoted header");
    }
}
