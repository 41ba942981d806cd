package io.colabtop.app.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.colabtop.app.gce.FakeComputeServer;
import io.colabtop.ssh.HostScripts;
import io.colabtop.ssh.LocalProcess;
import io.colabtop.testing.HostTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code colabtop autostop} as a person and a script use it: refusals, arm, status, cancel, --vm, --from-here. */
class AutostopCliTest {
    @TempDir
    Path tmp;

    String state;
    Path log;
    Path fired;
    final List<Process> started = new ArrayList<>();

    @BeforeEach
    void names() {
        state = "/run/colabtop-autostop-cli-" + UUID.randomUUID().toString().substring(0, 8);
        log = tmp.resolve("autostop.log");
        fired = tmp.resolve("fired");
    }

    @AfterEach
    void cleanUp() throws Exception {
        if ("root".equals(System.getProperty("user.name"))) {
            String unit = state.substring(state.lastIndexOf('/') + 1);
            new LocalProcess()
                    .runAsRoot(
                            HostScripts.autostopCancel(new HostScripts.AutostopPlace(state, unit, "", "auto")),
                            Duration.ofSeconds(30));
        }
        assertFalse(Files.exists(Path.of(state)), "nothing left armed");
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    Process job() throws Exception {
        Process p = new ProcessBuilder("sleep", "600").start();
        started.add(p);
        return p;
    }

    String[] args(String... more) {
        List<String> a = new ArrayList<>(List.of(
                "autostop", "local", "--state-dir", state, "--autostop-log", log.toString(), "--check-every", "1s"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
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

    @Test
    void hostileOrWrongValuesAreRefusedBeforeAnythingRunsSayingWhy() {
        String[][] attempts = {
            {"--when-exits", "4242", "--before", "rm -rf /"},
            {"--when-exits", "4242", "--before", "/bin/sh -c 'curl x | sh'"},
            {"--when-exits", "4242", "--stop-command", "/sbin/shutdown -h now; reboot"},
            {"--when-exits", "4242", "--stop-command", "/usr/bin/gcloud $(id)"},
            {"--when-exits", "4242", "--stop-command", "shutdown -h now"},
            {"--when-exits", "1"},
            {"--when-exits", "0"},
            {"--when-exits", "4242", "--grace", "2d"},
            {"--when-match", "(unclosed"},
            {"--when-match", "step\\d+"},
            {"--when-match", "a\nb"},
            {"--when-idle", "30m", "--when-exits", "4242"},
            {"--grace", "5m"},
            {"--when-exits", "4242", "--from-here"},
        };
        for (String[] a : attempts) {
            List<String> all = new ArrayList<>(List.of("autostop", "local"));
            all.addAll(List.of(a));
            CliTest.Run r = CliTest.run(all.toArray(String[]::new));
            assertEquals(2, r.code(), all + "\n" + r.out() + r.err());
            assertFalse(r.err().isBlank(), "says why: " + all);
            assertFalse(r.out().contains("this will run"), "no plan: " + all);
        }
        CliTest.Run idle = CliTest.run("autostop", "local", "--when-idle", "10s");
        assertEquals(2, idle.code());
        assertTrue(idle.err().contains("--when-idle must be at least 1m"), idle.err());
        CliTest.Run shell = CliTest.run("autostop", "local", "--when-exits", "4242", "--before", "/bin/echo a;b");
        assertTrue(shell.err().contains("runs the command without a shell"), shell.err());
    }

    @Test
    @HostTest
    void armShowCancelOnThisMachineAndTheFiringReachesTheAuditLog() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "the watcher runs as root");
        Process job = job();
        CliTest.Run arm = CliTest.run(args(
                "--when-exits",
                Long.toString(job.pid()),
                "--grace",
                "0",
                "--stop-command",
                "/usr/bin/touch " + fired,
                "--yes"));
        assertEquals(0, arm.code(), arm.out() + arm.err());
        assertTrue(arm.out().contains("fires when PID " + job.pid() + " exits   # sleep 600"), arm.out());
        assertTrue(arm.out().contains("then: /usr/bin/touch " + fired), arm.out());
        assertTrue(arm.out().contains("gone after a reboot"), arm.out());
        assertTrue(arm.out().contains("how=detached"), arm.out());
        CliTest.Run shown = CliTest.run(args());
        assertEquals(0, shown.code(), shown.err());
        assertTrue(shown.out().startsWith("autostop: when PID " + job.pid() + " exits\n"), shown.out());
        assertTrue(shown.out().contains("how: detached, watcher running"), shown.out());

        job.destroy();
        waitUntil(() -> Files.exists(fired), "the stop command runs");
        CliTest.Run after = new CliTest.Run(1, "", "");
        for (int i = 0; i < 100 && !after.out().contains("the stop command exited 0"); i++) {
            Thread.sleep(100);
            after = CliTest.run(args());
        }
        assertTrue(
                after.out()
                        .startsWith("autostop fired: PID " + job.pid() + " (sleep) exited; no OOM kill since arming; "
                                + "the stop command exited 0"),
                after.out());
        assertTrue(after.out().contains("last fired: "), after.out());
        CliTest.Run audit = CliTest.run("audit", "--json", "-n", "20");
        JsonNode firing = null;
        for (String line : audit.out().split("\n")) {
            JsonNode e = new ObjectMapper().readTree(line);
            if (e.path("action").asText().equals("autostop-fired")
                    && e.path("message").asText().startsWith("PID " + job.pid() + " ")) {
                assertNull(firing, "recorded once, whatever how often it is read");
                firing = e;
            }
        }
        assertNotNull(firing, audit.out());
        CliTest.Run again = CliTest.run(args());
        assertEquals(0, again.code());

        CliTest.Run cancel = CliTest.run(args("--cancel", "--yes"));
        assertEquals(0, cancel.code(), cancel.err());
        assertTrue(cancel.out().contains("cancelled when PID " + job.pid() + " exits"), cancel.out());
        assertTrue(CliTest.run(args()).out().startsWith("autostop: nothing armed on local"));
    }

    @Test
    @HostTest
    void aRegexIsTextOnTheHostAndOneThatMatchesNothingIsRefused() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "the watcher runs as root");
        Path pwned = tmp.resolve("pwned");
        CliTest.Run r = CliTest.run(args("--when-match", "'$(touch " + pwned + ")'`touch " + pwned + "`", "--yes"));
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("no process matches"), r.err());
        assertFalse(Files.exists(pwned), "the regex reached grep as text");
        assertFalse(Files.exists(Path.of(state)), "nothing armed");
    }

    @Test
    @HostTest
    void withTheVmThePlanSaysWhatStoppingSavesAndWhatKeepsBilling() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "the plan reads the host as root");
        try (FakeComputeServer server = new FakeComputeServer()) {
            System.setProperty("colabtop.compute.endpoint", server.endpoint());
            CliTest.Run r = CliTest.run(args(
                    "--when-idle",
                    "30m",
                    "--vm",
                    "trainer-v100",
                    "--project",
                    "ml-project",
                    "--zone",
                    "us-central1-a"));
            // no terminal to ask on and no --yes: the plan, and nothing armed
            assertEquals(2, r.code(), r.out() + r.err());
            assertTrue(r.out().contains("stopping trainer-v100 saves $"), r.out());
            assertTrue(r.out().contains("keeps billing while stopped: disk 200 GB pd-balanced $"), r.out());
            assertTrue(r.out().contains("fires after 30m with CPU at most 5 %"), r.out());
            assertFalse(Files.exists(Path.of(state)));
        } finally {
            System.clearProperty("colabtop.compute.endpoint");
        }
    }

    /**
     * --from-here: this colabtop keeps the watch (reading the host without sudo) and, when the
     * process ends, stops the VM through the Compute API (the local server that speaks it), audited
     * with why; then the command ends.
     */
    @Test
    @HostTest
    void fromHereStopsTheVmThroughTheComputeApiWhenTheProcessEnds() throws Exception {
        Process job = job();
        try (FakeComputeServer server = new FakeComputeServer()) {
            System.setProperty("colabtop.compute.endpoint", server.endpoint());
            System.setProperty("colabtop.compute.pollEvery", "PT0.05S");
            CompletableFuture<CliTest.Run> run = CompletableFuture.supplyAsync(() -> CliTest.run(args(
                    "--from-here",
                    "--vm",
                    "trainer-v100",
                    "--project",
                    "ml-project",
                    "--zone",
                    "us-central1-a",
                    "--when-exits",
                    Long.toString(job.pid()),
                    "--grace",
                    "0",
                    "--yes")));
            waitUntil(
                    () -> {
                        CliTest.Run a = CliTest.run("audit", "--json", "-n", "3");
                        return a.out().contains("\"action\":\"autostop-here\"")
                                && a.out().contains("\"outcome\":\"ok\"");
                    },
                    "the watch is armed");
            Thread.sleep(2000); // a check or two while it runs: nothing stops
            assertEquals(0, server.stopCalls.get());
            assertFalse(run.isDone());
            job.destroy();
            CliTest.Run r = run.get(60, TimeUnit.SECONDS);
            assertEquals(0, r.code(), r.out() + r.err());
            assertTrue(r.out().contains("ONLY WHILE THIS COLABTOP RUNS"), r.out());
            assertTrue(r.out().contains("stopped trainer-v100 (PID " + job.pid() + " (sleep) exited"), r.out());
            assertEquals(List.of("us-central1-a/trainer-v100"), server.stopped);
            JsonNode stop = null;
            for (String line : CliTest.run("audit", "--json", "-n", "10").out().split("\n")) {
                JsonNode e = new ObjectMapper().readTree(line);
                if (e.path("action").asText().equals("vm-stop")
                        && !e.path("outcome").asText().equals("started")) {
                    stop = e;
                }
            }
            assertNotNull(stop);
            assertEquals("ok", stop.get("outcome").asText());
            assertTrue(stop.get("confirmedBy").asText().startsWith("autostop --from-here armed at "), stop.toString());
            assertTrue(
                    stop.get("plan").get(0).asText().startsWith("autostop (from here) fired: PID " + job.pid()),
                    stop.toString());
        } finally {
            System.clearProperty("colabtop.compute.endpoint");
            System.clearProperty("colabtop.compute.pollEvery");
        }
    }
}
