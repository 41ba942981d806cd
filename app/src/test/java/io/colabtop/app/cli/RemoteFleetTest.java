package io.colabtop.app.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.colabtop.app.config.AppPaths;
import io.colabtop.app.fleet.Fleet;
import io.colabtop.app.fleet.FleetPoller;
import io.colabtop.core.HostUpdate;
import io.colabtop.ssh.TestSshd;
import io.colabtop.testing.HostTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The CLI and the poller against several real sshd processes. HOME is the build's temp home
 * (set by surefire), so the keys and known_hosts written here never touch the real ~/.ssh.
 */
@HostTest
class RemoteFleetTest extends TwoHostsHome {
    @Test
    void statusJsonCoversRemoteHostsAndNamesTheOneThatFailed() throws Exception {
        TestSshd.knownHosts(ssh.resolve("known_hosts"), a, b);
        String down = System.getProperty("user.name") + "@127.0.0.1:" + freePort();
        CliTest.Run r = CliTest.run("status", "--json", "--deadline", "10s", spec(a), spec(b), down, "local");
        assertEquals(1, r.code(), "a host failed: non-zero exit\n" + r.err());
        JsonNode hosts = new ObjectMapper().readTree(r.out()).get("hosts");
        assertEquals(4, hosts.size());
        String memTotal = Files.readString(Path.of("/proc/meminfo"))
                .lines()
                .filter(l -> l.startsWith("MemTotal:"))
                .findFirst()
                .orElseThrow()
                .replaceAll("\\D", "");
        for (int i : new int[] {0, 1, 3}) {
            JsonNode h = hosts.get(i);
            assertTrue(h.get("reachable").asBoolean(), h.toString());
            assertEquals(
                    Long.parseLong(memTotal) * 1024,
                    h.get("memory").get("totalBytes").asLong());
            assertTrue(h.get("processes").size() >= 10);
        }
        assertEquals(spec(a), hosts.get(0).get("name").asText());
        JsonNode failed = hosts.get(2);
        assertFalse(failed.get("reachable").asBoolean());
        assertTrue(failed.get("error").asText().contains("Connection refused"), failed.toString());
        assertTrue(failed.get("memory").isNull());
    }

    @Test
    void unknownKeyFailsStatusClearlyAndAcceptNewRecordsIt() throws Exception {
        CliTest.Run refused = CliTest.run("status", spec(a));
        assertEquals(1, refused.code());
        assertTrue(refused.out().contains(spec(a) + ": UNREACHABLE"), refused.out());
        assertTrue(
                refused.err().contains(spec(a) + ": unknown host key for [127.0.0.1]:" + a.port()),
                "the reason, once, on stderr: " + refused.err());
        assertFalse(refused.out().contains("unknown host key"), "not twice");
        assertTrue(refused.err().contains("SHA256:"), refused.err());
        assertFalse(Files.exists(ssh.resolve("known_hosts")));

        CliTest.Run accepted = CliTest.run("status", "--accept-new", spec(a));
        assertEquals(0, accepted.code(), accepted.out() + accepted.err());
        assertEquals(
                a.knownHostsLine(), Files.readString(ssh.resolve("known_hosts")).strip());
        assertEquals(0, CliTest.run("status", spec(a)).code(), "trusted from now on");
    }

    @Test
    void hostsAndSettingsComeFromTheConfigFileAndSshConfigAliases() throws Exception {
        TestSshd.knownHosts(ssh.resolve("known_hosts"), a, b);
        Files.writeString(
                ssh.resolve("config"),
                "Host box-b\n  HostName 127.0.0.1\n  Port " + b.port() + "\n  User " + System.getProperty("user.name")
                        + "\n");
        Path cfg = Files.writeString(
                ssh.resolve("colabtop.toml"),
                String.join(
                        "\n",
                        "processes = 12",
                        "[[hosts]]",
                        "name = \"trainer\"",
                        "target = \"" + spec(a) + "\"",
                        "[[hosts]]",
                        "name = \"eval\"",
                        "target = \"box-b\"",
                        ""));
        CliTest.Run r = CliTest.run("status", "--json", "--config", cfg.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode hosts = new ObjectMapper().readTree(r.out()).get("hosts");
        assertEquals(
                List.of("trainer", "eval"),
                List.of(
                        hosts.get(0).get("name").asText(),
                        hosts.get(1).get("name").asText()));
        assertTrue(hosts.get(1).get("processes").size() <= 12);

        Files.writeString(cfg, "procesess = 3\n");
        CliTest.Run typo = CliTest.run("status", "--config", cfg.toString());
        assertEquals(2, typo.code());
        assertTrue(typo.err().contains("unknown key 'procesess'"), typo.err());
        assertEquals(
                2,
                CliTest.run("status", "--config", ssh.resolve("missing.toml").toString())
                        .code());
    }

    @Test
    void hostileHostSpecsAreRefusedBeforeAnythingRuns() {
        for (String bad :
                new String[] {"; rm -rf /", "$(touch /tmp/pwned)", "`id`", "a\nb", "-oProxyCommand=id", "x'y"}) {
            CliTest.Run r = CliTest.run("status", bad);
            assertEquals(2, r.code(), bad);
            // picocli refuses the dash form as an unknown option before it can be a host
            assertTrue(r.err().contains("is not a host") || r.err().contains("Unknown option"), r.err());
        }
        assertFalse(Files.exists(Path.of("/tmp/pwned")));
    }

    @Test
    void aFrozenSshdCostsOneRowAndTheRoundEndsAtTheDeadline() throws Exception {
        TestSshd.knownHosts(ssh.resolve("known_hosts"), a, b);
        try (TestSshd frozen = TestSshd.start()) {
            TestSshd.knownHosts(ssh.resolve("known_hosts"), a, b, frozen);
            FleetOptions o = new FleetOptions();
            o.hosts = List.of(spec(a), spec(frozen), spec(b));
            o.deadline = java.time.Duration.ofMillis(1500);
            Fleet fleet = o.open(AppPaths.fromEnvironment(), InstantSource.system(), false);
            try (FleetPoller poller = fleet.poller()) {
                // cold connects (key exchange, a login shell) may outlast the short deadline on a busy
                // machine; they retry each round, as in the TUI, until all hosts are up
                boolean allUp = false;
                for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                        !allUp && System.nanoTime() < until; ) {
                    allUp = poller.round().stream().allMatch(u -> u.snapshot() != null);
                }
                assertTrue(allUp, "all up first");
                frozen.stop(); // SIGSTOP sshd and its session: accepts TCP, never answers
                long t0 = System.nanoTime();
                List<HostUpdate> r = poller.round();
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(ms < 5 * 1500, "round bounded by the deadline, took " + ms + " ms");
                assertNotNull(r.get(0).snapshot());
                assertNotNull(r.get(2).snapshot());
                assertEquals("no answer within 1500 ms", r.get(1).error());
                frozen.resume();
                // it reconnects by itself (backoff starts at 0 s, then 2 s)
                HostUpdate back = null;
                for (int i = 0; i < 10 && (back == null || back.snapshot() == null); i++) {
                    back = poller.round().get(1);
                    if (back.snapshot() == null) {
                        Thread.sleep(500);
                    }
                }
                assertNotNull(back.snapshot(), "recovered: " + back.error());
            }
        }
    }

    static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
