package io.colabtop.app.serve;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.colabtop.app.fleet.Hosts;
import io.colabtop.app.fleet.Scheduler;
import io.colabtop.app.fleet.Timeouts;
import io.colabtop.core.HostSnapshot;
import io.colabtop.core.cost.Fx;
import io.colabtop.ssh.SshTargetResolver;
import io.colabtop.ssh.TestSshd;
import io.colabtop.testing.HostTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /probe of hosts outside the fleet (serve --probe-any), against real sshd hosts on loopback. */
@HostTest
class ProbeTargetsTest {
    static TestSshd c;
    static TestSshd d;

    @TempDir
    Path home;

    Hosts hosts;
    Scheduler watchdog;
    ProbeTargets probes;
    final ServeState fleet =
            new ServeState(List.of("trainer"), InstantSource.system(), Fx.USD, FleetCollectorTest.TOP5);

    @BeforeAll
    static void servers() throws Exception {
        assumeTrue(TestSshd.available(), "needs OpenSSH server (run-tests installs it)");
        c = TestSshd.start();
        d = TestSshd.start();
    }

    @AfterAll
    static void stopServers() {
        Stream.of(c, d).filter(s -> s != null).forEach(TestSshd::close);
    }

    @BeforeEach
    void keys() throws Exception {
        Path ssh = Files.createDirectories(home.resolve(".ssh"));
        Path key = Files.copy(TestSshd.clientKey(), ssh.resolve("id_ed25519"));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        TestSshd.knownHosts(ssh.resolve("known_hosts"), c); // d's key is not on record
        hosts = new Hosts(
                new SshTargetResolver(
                        ssh.resolve("config"), home, System.getProperty("user.name"), Duration.ofSeconds(5)),
                Timeouts.withPoll(Duration.ofSeconds(5)),
                20,
                InstantSource.system(),
                home);
        watchdog = Scheduler.system("probe-watchdog-test");
    }

    @AfterEach
    void close() {
        if (probes != null) {
            probes.close();
        }
        watchdog.close();
    }

    ProbeTargets probes(int concurrency, int maxTargets, Duration deadline) {
        probes = new ProbeTargets(
                fleet,
                spec -> hosts.source(spec, spec, null, false),
                deadline,
                concurrency,
                maxTargets,
                InstantSource.system(),
                watchdog);
        return probes;
    }

    static String spec(TestSshd s) {
        return System.getProperty("user.name") + "@127.0.0.1:" + s.port();
    }

    static long memTotal() throws Exception {
        return Long.parseLong(Files.readString(Path.of("/proc/meminfo"))
                        .lines()
                        .filter(l -> l.startsWith("MemTotal:"))
                        .findFirst()
                        .orElseThrow()
                        .replaceAll("\\D", ""))
                * 1024;
    }

    @Test
    void aHostOutsideTheFleetIsPolledWhenProbedAndItsConnectionKept() throws Exception {
        ProbeTargets p = probes(2, 4, Duration.ofSeconds(10));
        HostReading first = p.probe(spec(c));
        HostSnapshot s = first.up();
        assertNotNull(s, () -> "probe failed: " + first.state().error());
        assertEquals(memTotal(), s.memory().totalBytes());
        assertEquals(spec(c), first.host());
        HostReading second = p.probe(spec(c));
        assertNotNull(second.up());
        assertEquals(1, p.open(), "one kept connection for both probes");
        assertSame(first.up(), second.state().previous(), "the second probe continues the first's state");
    }

    @Test
    void anUnknownHostKeyIsRefusedAndNotRecorded() throws Exception {
        Path knownHosts = home.resolve(".ssh/known_hosts");
        String before = Files.readString(knownHosts);
        HostReading r = probes(2, 4, Duration.ofSeconds(10)).probe(spec(d));
        assertNull(r.up());
        assertFalse(r.state().reachable());
        assertTrue(r.state().error().contains("unknown host key"), r.state().error());
        assertEquals(before, Files.readString(knownHosts), "a probe never records a key");
        Exposition e = Exposition.of(
                new FleetCollector(() -> null).snapshots(new FleetReading(r.at(), List.of(r), null), false));
        assertEquals(0.0, e.value("colabtop_up", "host", spec(d)));
    }

    @Test
    void atMostNProbesAtOnceTheRestAreToldToComeBack() throws Exception {
        try (TestSshd frozen = TestSshd.start()) {
            TestSshd.knownHosts(home.resolve(".ssh/known_hosts"), c, frozen);
            ProbeTargets p = probes(1, 4, Duration.ofSeconds(3));
            assertNotNull(p.probe(spec(frozen)).up(), "connected first");
            frozen.stop(); // accepts, never answers: the probe holds its permit until the deadline
            CompletableFuture<HostReading> hung = CompletableFuture.supplyAsync(() -> {
                try {
                    return p.probe(spec(frozen));
                } catch (ProbeTargets.Refused e) {
                    throw new IllegalStateException(e);
                }
            });
            for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                    p.running() == 0 && System.nanoTime() < until; ) {
                Thread.onSpinWait();
            }
            assertEquals(1, p.running());
            ProbeTargets.Refused busy = assertThrows(ProbeTargets.Refused.class, () -> p.probe(spec(c)));
            assertEquals(503, busy.status());
            HostReading late = hung.get(30, TimeUnit.SECONDS);
            assertEquals("no answer within 3000 ms", late.state().error());
            frozen.resume();
            assertNotNull(p.probe(spec(c)).up(), "the permit came back");
        }
    }

    @Test
    void atMostMConnectionsAreKeptTheLeastRecentlyProbedIsClosed() throws Exception {
        TestSshd.knownHosts(home.resolve(".ssh/known_hosts"), c, d);
        ProbeTargets p = probes(2, 1, Duration.ofSeconds(10));
        assertNotNull(p.probe(spec(c)).up());
        assertNotNull(p.probe(spec(d)).up());
        assertEquals(1, p.open());
    }

    @Test
    void aHostOfTheFleetIsAnsweredFromItsStateNeverPolledAgain() throws Exception {
        ProbeTargets p = probes(2, 4, Duration.ofSeconds(10));
        HostReading r = p.probe("trainer");
        assertEquals("trainer", r.host());
        assertTrue(r.state().pending(), "what the fleet's poller knows: nothing yet");
        assertEquals(0, p.open());
    }
}
