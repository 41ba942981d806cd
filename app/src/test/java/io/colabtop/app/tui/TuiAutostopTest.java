package io.colabtop.app.tui;

import static io.colabtop.app.tui.TestScreens.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import io.colabtop.app.action.ActionGate;
import io.colabtop.app.action.AuditLog;
import io.colabtop.app.action.AutostopPlanner;
import io.colabtop.app.fleet.AutostopWatch;
import io.colabtop.app.fleet.ManualScheduler;
import io.colabtop.core.HostSnapshot;
import io.colabtop.core.HostUpdate;
import io.colabtop.core.ProcessInfo;
import io.colabtop.core.action.HostShell;
import io.colabtop.ssh.HostScripts;
import io.colabtop.ssh.HostScripts.AutostopPlace;
import io.colabtop.ssh.KnownHostsVerifier;
import io.colabtop.ssh.LocalProcess;
import io.colabtop.ssh.SshShell;
import io.colabtop.ssh.TestSshd;
import io.colabtop.testing.HostTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The autostop key on the virtual terminal, arming a real watcher through a real sshd on
 * loopback: a on a process in the host view, Enter, y; the row shows it as read back from the
 * host; a on the armed host cancels it. The watcher outlives the session that armed it.
 */
@HostTest
class TuiAutostopTest {
    static TestSshd sshd;

    @TempDir
    Path tmp;

    DefaultVirtualTerminal vt;
    TuiSession session;
    ExecutorService background;
    ExecutorService reads;
    ManualScheduler scheduler;
    AutostopWatch watch;
    AutostopPlace place;
    HostShell shell;
    AuditLog audit;
    Process job;

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
        open("local", null);
    }

    /**
     * A session watching {@code host} (this machine through sshd), with the job as its top OOM
     * candidate; with {@code api}, the host is the VM of that name the Compute API knows, and the
     * desk stops it through that API as TuiApp's does.
     */
    void open(String host, io.colabtop.app.gce.ComputeApi api) throws Exception {
        close();
        String name = "colabtop-autostop-tui-" + UUID.randomUUID().toString().substring(0, 8);
        place = new AutostopPlace(
                "/run/" + name, name, tmp.resolve("autostop.log").toString(), "auto");
        shell = new SshShell(
                sshd.target(
                        "local",
                        TestSshd.knownHosts(tmp.resolve("known_hosts"), sshd),
                        KnownHostsVerifier.Policy.STRICT),
                Duration.ofSeconds(10));
        job = new ProcessBuilder("sleep", "600").start();
        vt = new DefaultVirtualTerminal(new TerminalSize(200, 30));
        scheduler = new ManualScheduler(Instant.now());
        session = new TuiSession(screen(vt), List.of(host), Duration.ofSeconds(2), InstantSource.system(), () -> {});
        audit = new AuditLog(tmp.resolve("audit.log"));
        ActionGate gate = new ActionGate(audit, InstantSource.system(), h -> shell);
        background = Executors.newSingleThreadExecutor();
        reads = Executors.newSingleThreadExecutor();
        session.enableActions(
                new ActionDesk() {
                    public HostShell shellFor(String h) {
                        return h.equals(host) ? shell : null;
                    }

                    public io.colabtop.core.action.VmPower vmPower(
                            String h, boolean stop, java.util.function.Consumer<String> progress) throws Exception {
                        if (api == null || !h.equals(host)) {
                            return null;
                        }
                        io.colabtop.core.cost.VmInfo vm = api.get("ml-project", "us-central1-a", "trainer-v100");
                        return io.colabtop.app.gce.VmPowerPlans.plan(
                                vm,
                                new io.colabtop.core.cost.CostModel(io.colabtop.app.config.PriceCatalogFile.load(null)),
                                stop,
                                io.colabtop.core.cost.Fx.USD,
                                api,
                                progress);
                    }

                    public ActionGate gate() {
                        return gate;
                    }

                    public AutostopPlace autostopPlace() {
                        return place;
                    }

                    public Duration autostopPeriod() {
                        return Duration.ofSeconds(1);
                    }

                    // as TuiApp's desk prices a VM discovery found: the shipped catalog's list prices
                    public AutostopPlanner.Billing billing(String host) {
                        io.colabtop.core.cost.CostModel model =
                                new io.colabtop.core.cost.CostModel(io.colabtop.app.config.PriceCatalogFile.load(null));
                        io.colabtop.core.cost.VmShape shape = new io.colabtop.core.cost.VmShape(
                                "n1-highmem-2",
                                List.of(new io.colabtop.core.cost.VmShape.GpuCount("nvidia-tesla-t4", 1)),
                                List.of(new io.colabtop.core.cost.VmShape.Disk("pd-balanced", 100)),
                                "us-west1-b",
                                false);
                        return new AutostopPlanner.Billing(
                                host, model.hourly(shape), io.colabtop.core.cost.Fx.USD, "shipped snapshot");
                    }
                },
                background);
        watch = new AutostopWatch(
                scheduler,
                scheduler,
                reads,
                Duration.ofMinutes(1),
                (h, now) -> AutostopPlanner.status(shell, place, now),
                (h, t) -> shell.runAsUser(HostScripts.autostopCheck(t, place), Duration.ofSeconds(30)),
                (h, s) -> session.post(v -> v.autostops().set(h, s)));
        session.enableAutostop(watch);
        watch.start();
        // this machine, with the job as its top OOM candidate (the probe lists the top 20 only)
        HostSnapshot s = snapshot(
                host,
                Instant.now(),
                0.5,
                GIB,
                0.1,
                900,
                "sleep 600",
                false,
                List.of(new ProcessInfo(
                        (int) job.pid(), 1, "root", "sleep", "sleep 600", GIB, 900, 0, startOf(job.pid()), 'S')));
        session.offer(HostUpdate.ok(s)); // connects: autostop is read back at once
        session.step();
    }

    /** What open made goes: the session's threads, the watch, the armed watcher, the job. */
    void close() throws Exception {
        if (background != null) {
            background.shutdownNow();
            reads.shutdownNow();
            background.awaitTermination(5, TimeUnit.SECONDS);
            background = null;
        }
        if (watch != null) {
            watch.close();
            watch = null;
        }
        if (place != null) {
            AutostopPlace was = place;
            place = null;
            new LocalProcess().runAsRoot(HostScripts.autostopCancel(was), Duration.ofSeconds(30));
            assertFalse(Files.exists(Path.of(was.state())));
        }
        if (job != null) {
            job.destroyForcibly();
            job.waitFor(5, TimeUnit.SECONDS);
            job = null;
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        close();
    }

    static long startOf(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]);
    }

    void press(KeyStroke k) throws Exception {
        TestScreens.press(vt, session, k);
    }

    void type(String s) throws Exception {
        TestScreens.type(vt, session, s);
    }

    String screenText() {
        return String.join("\n", text(vt));
    }

    void waitFor(String what) throws Exception {
        waitUntil(() -> screenText().contains(what), what);
    }

    void waitUntil(BooleanSupplier ok, String what) throws Exception {
        TestScreens.waitUntil(vt, session, ok, what, 40);
    }

    @Test
    void threeKeysOnAProcessArmItTheRowShowsItAndAOnTheArmedHostCancelsIt() throws Exception {
        press(new KeyStroke(KeyType.Enter)); // the host view; the job is the first process
        type("a");
        waitFor("1 when PID " + job.pid() + " exits: sleep 600");
        press(new KeyStroke(KeyType.Enter));
        waitFor("autostop on local: this will run");
        String plan = screenText();
        assertTrue(plan.contains("fires 5m after PID " + job.pid() + " exits   # sleep 600"), plan);
        assertTrue(plan.contains("then: /sbin/shutdown -h now"), plan);
        assertTrue(plan.contains("gone after a reboot"), plan);
        assertTrue(plan.contains("stopping local saves $0.4683/h"), plan);
        assertTrue(plan.contains("keeps billing while stopped: disk 100 GB pd-balanced $0.0137/h"), plan);
        type("y");
        waitFor("autostop done");
        waitFor("autostop: when PID " + job.pid() + " exits, then 5m of grace");
        assertTrue(Files.exists(Path.of(place.state(), "armed")), "armed on the host");
        press(new KeyStroke(KeyType.Escape));
        waitUntil(
                () -> screenText()
                        .lines()
                        .anyMatch(l -> l.startsWith("local ")
                                && l.contains("autostop: when PID " + job.pid() + " exits, then 5m of grace │ "
                                        + job.pid() + " sleep 600")),
                "the row says what is armed");

        type("a");
        waitFor("1 cancel it");
        press(new KeyStroke(KeyType.Enter));
        waitFor("autostop-cancel on local: this will run");
        type("y");
        waitFor("autostop-cancel done");
        waitUntil(() -> !screenText().contains("autostop: when PID"), "the row no longer shows it");
        assertFalse(Files.exists(Path.of(place.state())), "and the host has nothing armed");
    }

    @Test
    void armedFromTheTuiTheWatcherStopsTheVmAfterColabtopIsGone() throws Exception {
        Path fired = tmp.resolve("fired");
        press(new KeyStroke(KeyType.Enter));
        type("a");
        waitFor("1 when PID " + job.pid() + " exits");
        press(new KeyStroke(KeyType.Enter));
        waitFor("autostop on local: this will run");
        type("e"); // grace, hook, stop command, who keeps the watch
        waitFor("grace: how long the condition must hold");
        press(new KeyStroke(KeyType.Backspace));
        press(new KeyStroke(KeyType.Backspace));
        type("0");
        press(new KeyStroke(KeyType.Enter));
        waitFor("--before: run this first");
        press(new KeyStroke(KeyType.Enter));
        waitFor("stop command on the VM");
        for (int i = 0; i < "/sbin/shutdown -h now".length(); i++) {
            press(new KeyStroke(KeyType.Backspace));
        }
        type("/usr/bin/touch " + fired);
        press(new KeyStroke(KeyType.Enter));
        waitFor("1 the VM (works with colabtop closed");
        press(new KeyStroke(KeyType.Enter));
        waitFor("then: /usr/bin/touch " + fired);
        type("y");
        waitFor("autostop done");
        // colabtop goes away: nothing of it is left to stop the VM but the watcher on the host
        background.shutdownNow();
        reads.shutdownNow();
        watch.close();
        session = null;
        job.destroy();
        job.waitFor(10, TimeUnit.SECONDS);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (!Files.exists(fired) && System.nanoTime() < until) {
            Thread.sleep(100);
        }
        assertTrue(Files.exists(fired), "the watcher ran the stop command with colabtop gone");
    }

    @Test
    void aWrongValueInThePlansEditIsSaidAndNothingIsArmed() throws Exception {
        press(new KeyStroke(KeyType.Enter));
        type("a");
        waitFor("1 when PID " + job.pid() + " exits");
        press(new KeyStroke(KeyType.Enter));
        waitFor("autostop on local: this will run");
        type("e");
        waitFor("grace: how long");
        press(new KeyStroke(KeyType.Enter));
        waitFor("--before: run this first");
        type("gsutil rsync /ckpt gs://b; reboot");
        press(new KeyStroke(KeyType.Enter));
        waitFor("--before: 'gs://b;' has characters colabtop does not send");
        assertFalse(Files.exists(Path.of(place.state())), "nothing armed");
    }

    /**
     * "this colabtop" after e in the plan: nothing is armed on the host; colabtop reads the
     * condition over sshd every period (the scheduler's ticks) and, when the job has ended, stops
     * the VM through the Compute API (the local server that speaks it), through the gate, audited
     * with why. The plan says it works only while colabtop runs.
     */
    @Test
    void fromHereThisColabtopStopsTheVmThroughTheComputeApiWhenTheJobEnds() throws Exception {
        System.setProperty("colabtop.compute.pollEvery", "PT0.05S");
        try (io.colabtop.app.gce.FakeComputeServer server = new io.colabtop.app.gce.FakeComputeServer();
                io.colabtop.app.gce.ComputeApi api =
                        io.colabtop.app.gce.ComputeApi.create(server.endpoint(), Duration.ofSeconds(10))) {
            io.colabtop.core.cost.VmInfo vm = api.get("ml-project", "us-central1-a", "trainer-v100");
            open(vm.hostName(), api);
            session.post(v -> v.vms().apply(List.of(vm), java.util.Map.of(), "GCE"));
            session.step();
            press(new KeyStroke(KeyType.Enter));
            type("a");
            waitFor("1 when PID " + job.pid() + " exits");
            press(new KeyStroke(KeyType.Enter));
            waitFor("autostop on " + vm.hostName() + ": this will run");
            type("e");
            waitFor("grace: how long");
            press(new KeyStroke(KeyType.Backspace));
            press(new KeyStroke(KeyType.Backspace));
            type("0");
            press(new KeyStroke(KeyType.Enter));
            waitFor("--before: run this first");
            press(new KeyStroke(KeyType.Enter));
            waitFor("stop command on the VM");
            press(new KeyStroke(KeyType.Enter));
            waitFor("2 this colabtop (only while it runs");
            type("2");
            waitFor("ONLY WHILE THIS COLABTOP RUNS");
            type("y");
            waitFor("autostop-here done");
            assertFalse(Files.exists(Path.of(place.state())), "nothing armed on the host");
            // checks while the job runs (the host view shows the last one): nothing stops
            waitUntil(
                    () -> {
                        scheduler.advance(Duration.ofSeconds(1));
                        return screenText().contains("last check: PID " + job.pid() + " runs");
                    },
                    "a check while the job runs");
            scheduler.advance(Duration.ofSeconds(1));
            scheduler.advance(Duration.ofSeconds(1));
            assertEquals(0, server.stopCalls.get());
            job.destroy();
            job.waitFor(10, TimeUnit.SECONDS);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            while (server.stopped.isEmpty() && System.nanoTime() < until) {
                scheduler.advance(Duration.ofSeconds(1));
                session.step();
                Thread.sleep(50);
            }
            assertEquals(List.of("us-central1-a/trainer-v100"), server.stopped);
            waitUntil(
                    () -> {
                        try {
                            return audit.tail(5).stream()
                                    .anyMatch(e -> e.path("action").asText().equals("vm-stop")
                                            && e.path("outcome").asText().equals("ok"));
                        } catch (java.io.IOException e) {
                            return false;
                        }
                    },
                    "the stop is audited");
            com.fasterxml.jackson.databind.JsonNode stop = audit.tail(5).stream()
                    .filter(e -> e.path("action").asText().equals("vm-stop")
                            && e.path("outcome").asText().equals("ok"))
                    .findFirst()
                    .orElseThrow();
            assertTrue(stop.get("confirmedBy").asText().startsWith("autostop from here, armed at "), stop.toString());
            assertTrue(
                    stop.get("plan")
                            .get(0)
                            .asText()
                            .startsWith("autostop (from here) fired: PID " + job.pid() + " (sleep) exited"),
                    stop.toString());
        } finally {
            System.clearProperty("colabtop.compute.pollEvery");
        }
    }
}
