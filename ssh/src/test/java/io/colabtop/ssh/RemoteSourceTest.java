package io.colabtop.ssh;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.colabtop.core.HostException;
import io.colabtop.core.HostSnapshot;
import io.colabtop.core.MemInfo;
import io.colabtop.core.ProcessInfo;
import io.colabtop.core.SwapArea;
import io.colabtop.testing.HostTest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Against real OpenSSH sshd processes on loopback; the remote /proc is this machine's. */
@HostTest
class RemoteSourceTest {
    static TestSshd sshd;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startServer() throws Exception {
        assumeTrue(TestSshd.available(), "needs OpenSSH server (run-tests installs it)");
        sshd = TestSshd.start();
    }

    @AfterAll
    static void stopServer() {
        if (sshd != null) {
            sshd.close();
        }
    }

    RemoteSource source(SshTarget t) {
        return new RemoteSource(t, 20, Duration.ofSeconds(5), Duration.ofSeconds(1), InstantSource.system());
    }

    /** Both engines over real sshd: probe.sh alone, and probe.pl (this machine has perl) started by it. */
    @ParameterizedTest
    @EnumSource(ProbeEngine.class)
    void snapshotOverSshMatchesProc(ProbeEngine engine) throws Exception {
        Process child = new ProcessBuilder("sleep", "60").start();
        try (RemoteSource src = new RemoteSource(
                sshd.target("vm1", TestSshd.knownHosts(tmp.resolve("kh"), sshd), KnownHostsVerifier.Policy.STRICT),
                20,
                Duration.ofSeconds(5),
                Duration.ofSeconds(1),
                InstantSource.system(),
                engine)) {
            Files.writeString(Path.of("/proc/" + child.pid() + "/oom_score_adj"), "800");
            HostSnapshot s = src.poll();
            assertEquals(engine == ProbeEngine.SH ? "sh" : "perl", src.engineInUse());
            assertEquals("vm1", s.host());
            MemInfo local = MemInfo.parse(Files.readString(Path.of("/proc/meminfo")));
            assertEquals(local.totalBytes(), s.memory().totalBytes());
            assertEquals(local.swapTotalBytes(), s.memory().swapTotalBytes());
            assertEquals(
                    SwapArea.parseAll(Files.readString(Path.of("/proc/swaps"))).stream()
                            .map(SwapArea::path)
                            .toList(),
                    s.swaps().stream().map(SwapArea::path).toList());
            assertEquals(Files.exists(Path.of("/proc/pressure/memory")), s.pressure() != null);
            ProcessInfo p = s.processes().stream()
                    .filter(x -> x.pid() == child.pid())
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("child missing: " + s.processes()));
            assertEquals(800, p.oomScoreAdj());
            assertEquals(
                    Integer.parseInt(Files.readString(Path.of("/proc/" + child.pid() + "/oom_score"))
                            .strip()),
                    p.oomScore());
            assertEquals("sleep 60", p.command().exact());
            assertEquals(System.getProperty("user.name"), p.user().exact());
            assertEquals(child.pid(), s.topOomCandidate().pid());
            assertEquals(Runtime.getRuntime().availableProcessors(), s.cpuCount());
            // the same connection serves the next tick
            HostSnapshot again = src.poll();
            assertTrue(again.takenAt().compareTo(s.takenAt()) >= 0);
            // up to 20: the probe's own short-lived pipeline processes may exit between ranking and reading
            assertTrue(
                    again.processes().size() >= 15 && again.processes().size() <= 20,
                    "" + again.processes().size());
        } finally {
            child.destroyForcibly();
            child.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /**
     * The start command as each login shell parses it: sshd hands a ForceCommand to the user's
     * shell, and this one hands the command colabtop sent to SHELL, as if SHELL were the login
     * shell (bash and dash always; zsh, fish, tcsh and csh where installed).
     */
    @Test
    void theProbeStartsWhateverTheLoginShell() throws Exception {
        for (String shell : ProbeScriptTest.loginShells()) {
            try (TestSshd own =
                            TestSshd.start(List.of("ForceCommand exec " + shell + " -c \"$SSH_ORIGINAL_COMMAND\""));
                    RemoteSource src = source(own.target(
                            "vm",
                            TestSshd.knownHosts(tmp.resolve("kh-" + shell.replace('/', '-')), own),
                            KnownHostsVerifier.Policy.STRICT))) {
                HostSnapshot s = src.poll();
                MemInfo local = MemInfo.parse(Files.readString(Path.of("/proc/meminfo")));
                assertEquals(local.totalBytes(), s.memory().totalBytes(), shell);
                assertTrue(
                        s.processes().size() >= 10, shell + ": " + s.processes().size());
                assertNotNull(s.kernel(), shell);
                assertNotNull(src.poll(), shell + ": the next request reaches the probe");
            }
        }
    }

    @Test
    void unknownHostKeyIsRefusedWithItsFingerprintThenAcceptNewRecordsIt() throws Exception {
        Path kh = tmp.resolve("known_hosts");
        try (RemoteSource strict = source(sshd.target("vm", kh, KnownHostsVerifier.Policy.STRICT))) {
            HostKeyException e = assertThrows(HostKeyException.class, strict::poll);
            assertEquals(HostKeyException.Kind.UNKNOWN, e.kind());
            assertEquals("[127.0.0.1]:" + sshd.port(), e.knownHostsName());
            assertEquals(sshKeygenFingerprint(sshd.hostPublicKey()), e.fingerprint());
            assertFalse(Files.exists(kh), "nothing written without consent");
        }
        try (RemoteSource accepting = source(sshd.target("vm", kh, KnownHostsVerifier.Policy.ACCEPT_NEW))) {
            assertNotNull(accepting.poll());
        }
        assertEquals(sshd.knownHostsLine(), Files.readString(kh).strip());
        try (RemoteSource strictAgain = source(sshd.target("vm", kh, KnownHostsVerifier.Policy.STRICT))) {
            assertNotNull(strictAgain.poll(), "the recorded key is trusted from now on");
        }
    }

    @Test
    void changedHostKeyIsRefusedEvenWithAcceptNew() throws Exception {
        Path otherKey = tmp.resolve("other");
        TestSshd.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", otherKey.toString());
        String[] pub = Files.readString(Path.of(otherKey + ".pub")).split("\\s+");
        Path kh = tmp.resolve("known_hosts");
        String line = "[127.0.0.1]:" + sshd.port() + " " + pub[0] + " " + pub[1] + "\n";
        Files.writeString(kh, line);
        try (RemoteSource src = source(sshd.target("vm", kh, KnownHostsVerifier.Policy.ACCEPT_NEW))) {
            HostKeyException e = assertThrows(HostKeyException.class, src::poll);
            assertEquals(HostKeyException.Kind.CHANGED, e.kind());
            assertTrue(e.getMessage().startsWith("HOST KEY CHANGED"), e.getMessage());
        }
        assertEquals(line, Files.readString(kh), "known_hosts untouched");
    }

    @Test
    void hashedKnownHostsLinesAndGceAliasesVerify() throws Exception {
        Path kh = TestSshd.knownHosts(tmp.resolve("kh"), sshd);
        TestSshd.run("ssh-keygen", "-q", "-H", "-f", kh.toString());
        assertFalse(Files.readString(kh).contains("127.0.0.1"), "hashed");
        try (RemoteSource src = source(sshd.target("vm", kh, KnownHostsVerifier.Policy.STRICT))) {
            assertNotNull(src.poll());
        }
        // gcloud files keys under compute.<instance id>, not under the address
        String[] pub = Files.readString(sshd.hostPublicKey()).split("\\s+");
        Path gce = Files.writeString(
                tmp.resolve("google_compute_known_hosts"), "compute.4242 " + pub[0] + " " + pub[1] + "\n");
        SshTarget t = sshd.target("vm", gce, KnownHostsVerifier.Policy.STRICT);
        SshTarget aliased = new SshTarget(
                t.name(),
                t.host(),
                t.port(),
                t.user(),
                t.identities(),
                t.knownHosts(),
                t.knownHostsAppend(),
                t.policy(),
                t.connectTimeout(),
                "compute.4242",
                null);
        try (RemoteSource src = source(aliased)) {
            assertNotNull(src.poll());
        }
        SshTarget wrongAlias = new SshTarget(
                t.name(),
                t.host(),
                t.port(),
                t.user(),
                t.identities(),
                t.knownHosts(),
                t.knownHostsAppend(),
                t.policy(),
                t.connectTimeout(),
                "compute.999",
                null);
        try (RemoteSource src = source(wrongAlias)) {
            assertEquals(
                    HostKeyException.Kind.UNKNOWN,
                    assertThrows(HostKeyException.class, src::poll).kind());
        }
    }

    @Test
    void refusedPortAndMissingKeysSayWhy() throws Exception {
        Path kh = TestSshd.knownHosts(tmp.resolve("kh"), sshd);
        SshTarget t = sshd.target("vm", kh, KnownHostsVerifier.Policy.STRICT);
        int closedPort = TestSshd.freePort();
        SshTarget refused = new SshTarget(
                "gone",
                "127.0.0.1",
                closedPort,
                t.user(),
                t.identities(),
                t.knownHosts(),
                t.knownHostsAppend(),
                t.policy(),
                t.connectTimeout(),
                null,
                null);
        try (RemoteSource src = source(refused)) {
            HostException e = assertThrows(HostException.class, src::poll);
            assertTrue(e.getMessage().contains("Connection refused"), e.getMessage());
        }
        try (RemoteSource src = source(t.withIdentities(List.of(tmp.resolve("nope"))))) {
            HostException e = assertThrows(HostException.class, src::poll);
            assertTrue(e.getMessage().startsWith("no usable SSH key"), e.getMessage());
        }
        Path other = tmp.resolve("stranger");
        TestSshd.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.toString());
        try (RemoteSource src = source(t.withIdentities(List.of(other)))) {
            HostException e = assertThrows(HostException.class, src::poll);
            assertTrue(e.getMessage().startsWith("permission denied for"), e.getMessage());
        }
        Path locked = tmp.resolve("locked");
        TestSshd.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "secret phrase", "-f", locked.toString());
        try (RemoteSource src = source(t.withIdentities(List.of(locked)))) {
            HostException e = assertThrows(HostException.class, src::poll);
            assertTrue(e.getMessage().contains("passphrase-protected"), e.getMessage());
        }
    }

    @Test
    void aServerThatAcceptsTcpButNeverSpeaksTimesOut() throws Exception {
        try (ServerSocket blackhole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(blackhole.accept());
                    }
                } catch (IOException closed) {
                    // test over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            SshTarget t = sshd.target("silent", tmp.resolve("kh"), KnownHostsVerifier.Policy.STRICT);
            SshTarget silent = new SshTarget(
                    "silent",
                    "127.0.0.1",
                    blackhole.getLocalPort(),
                    t.user(),
                    t.identities(),
                    t.knownHosts(),
                    t.knownHostsAppend(),
                    t.policy(),
                    t.connectTimeout(),
                    null,
                    null);
            try (RemoteSource src = new RemoteSource(
                    silent, 20, Duration.ofMillis(800), Duration.ofSeconds(1), InstantSource.system())) {
                long t0 = System.nanoTime();
                assertThrows(HostException.class, src::poll);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(ms < 5000, "handshake bounded, took " + ms + " ms");
            }
        }
    }

    @Test
    void aFrozenHostIsUnblockedByAbortAndARestartedSshdRecovers() throws Exception {
        Path kh = tmp.resolve("kh");
        try (TestSshd own = TestSshd.start()) {
            TestSshd.knownHosts(kh, own);
            try (RemoteSource src = source(own.target("flaky", kh, KnownHostsVerifier.Policy.STRICT))) {
                assertNotNull(src.poll());
                own.stop(); // SIGSTOP the server and its session: the next frame never comes
                Thread watchdog = new Thread(() -> {
                    try {
                        Thread.sleep(700);
                    } catch (InterruptedException ignored) {
                        return;
                    }
                    src.abort();
                });
                watchdog.start();
                long t0 = System.nanoTime();
                HostException e = assertThrows(HostException.class, src::poll);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(ms < 5 * 700, "abort unblocked the read after " + ms + " ms"); // the bug it guards: 30 s
                assertTrue(e.getMessage().contains("lost"), e.getMessage());
                own.restart(); // same port, same host key
                HostSnapshot back = null;
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                while (back == null && System.nanoTime() < until) {
                    try {
                        back = src.poll();
                    } catch (HostException retry) {
                        Thread.sleep(200);
                    }
                }
                assertNotNull(back, "recovered by itself after the restart");
            }
        }
    }

    @Test
    void proxyJumpReachesAHostThroughABastion() throws Exception {
        try (TestSshd target = TestSshd.start()) {
            Path kh = TestSshd.knownHosts(tmp.resolve("kh"), sshd, target);
            SshTarget bastion = sshd.target("bastion", kh, KnownHostsVerifier.Policy.STRICT);
            SshTarget direct = target.target("inner", kh, KnownHostsVerifier.Policy.STRICT);
            SshTarget viaJump = new SshTarget(
                    "inner",
                    direct.host(),
                    direct.port(),
                    direct.user(),
                    direct.identities(),
                    direct.knownHosts(),
                    direct.knownHostsAppend(),
                    direct.policy(),
                    direct.connectTimeout(),
                    null,
                    bastion);
            try (RemoteSource src = source(viaJump)) {
                assertNotNull(src.poll());
            }
            // the inner host's key is still verified: a wrong one fails even through the bastion
            Path onlyBastion = TestSshd.knownHosts(tmp.resolve("kh2"), sshd);
            SshTarget unverified = new SshTarget(
                    "inner",
                    direct.host(),
                    direct.port(),
                    direct.user(),
                    direct.identities(),
                    List.of(onlyBastion),
                    onlyBastion,
                    KnownHostsVerifier.Policy.STRICT,
                    direct.connectTimeout(),
                    null,
                    sshd.target("bastion", onlyBastion, KnownHostsVerifier.Policy.STRICT));
            try (RemoteSource src = source(unverified)) {
                HostKeyException e = assertThrows(HostKeyException.class, src::poll);
                assertEquals("[127.0.0.1]:" + target.port(), e.knownHostsName());
            }
        }
    }

    static String sshKeygenFingerprint(Path pub) throws Exception {
        Process p = new ProcessBuilder("ssh-keygen", "-l", "-E", "sha256", "-f", pub.toString()).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        p.waitFor();
        return out.split("\\s+")[1];
    }
}
