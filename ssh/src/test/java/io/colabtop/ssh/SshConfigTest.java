package io.colabtop.ssh;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.colabtop.testing.HostTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ssh_config as colabtop reads it, on real files: Match blocks, Include, ProxyJump forms and
 * ProxyCommand, and through real sshd processes where a connection is involved. Expected values
 * are what {@code ssh -G -F FILE HOST} (OpenSSH 9.2) prints for the same file.
 */
class SshConfigTest {
    @TempDir
    Path home;

    private final List<String> warnings = new CopyOnWriteArrayList<>();

    private SshTargetResolver resolver(String... lines) throws Exception {
        Path cfg = home.resolve(".ssh/config");
        Files.createDirectories(cfg.getParent());
        Files.writeString(cfg, String.join("\n", lines) + "\n");
        return new SshTargetResolver(cfg, home, "me", Duration.ofSeconds(10), warnings::add);
    }

    /** One run reads ssh_config (and what it includes) once, however many hosts it resolves. */
    @Test
    void theFilesAreReadOncePerRunNotOncePerHost() throws Exception {
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve(".ssh/fleet.conf"), "Host vm-*\n  User fleet\n  Port 2200\n");
        SshTargetResolver r = resolver("Include fleet.conf", "Host other", "  User otheruser");
        assertEquals("fleet", r.resolve("vm-1").user());
        assertEquals(2200, r.resolve("vm-1").port());
        // edited while the run goes on: this run keeps what it read, the next run reads the edit
        Files.writeString(home.resolve(".ssh/fleet.conf"), "Host vm-*\n  User edited\n");
        Files.writeString(home.resolve(".ssh/config"), "Host *\n  User edited\n");
        assertEquals("fleet", r.resolve("vm-2").user());
        assertEquals(2200, r.resolve("vm-2").port());
        assertEquals("otheruser", r.resolve("other").user());
        SshTargetResolver next =
                new SshTargetResolver(home.resolve(".ssh/config"), home, "me", Duration.ofSeconds(10), warnings::add);
        assertEquals("edited", next.resolve("vm-3").user());
    }

    @Test
    void matchBlocksAreHonouredAndAnUnsupportedOneIsIgnoredWithAWarning() throws Exception {
        SshTargetResolver r = resolver(
                "Host *.corp",
                "  User corpuser",
                "Match originalhost trainer",
                "  HostName 10.1.2.3",
                "Match host 10.1.2.3 user sarah", // host: the HostName set above; user: the one typed
                "  Port 2222",
                "Match host 10.1.2.3",
                "  IdentityFile ~/.ssh/trainer_key",
                "Match exec \"test -f /nonexistent\"",
                "  ProxyCommand nc %h %p",
                "Match all",
                "  ConnectTimeout 9",
                "Host other",
                "  HostName 192.0.2.7",
                "Match !host 192.0.2.7 localuser me",
                "  User notother");
        // ssh -G: user sarah, hostname 10.1.2.3, port 2222, identityfile ~/.ssh/trainer_key, connecttimeout 9
        SshTarget sarah = r.resolve("sarah@trainer");
        assertEquals("10.1.2.3", sarah.host());
        assertEquals(2222, sarah.port());
        assertEquals("sarah", sarah.user());
        assertEquals(home.resolve(".ssh/trainer_key"), sarah.identities().get(0));
        assertEquals(Duration.ofSeconds(9), sarah.connectTimeout());
        assertNull(sarah.jump());
        // ssh -G: user notother, hostname 10.1.2.3, port 22
        SshTarget trainer = r.resolve("trainer");
        assertEquals(22, trainer.port());
        assertEquals("notother", trainer.user());
        // ssh -G: user = the local user, hostname 192.0.2.7
        SshTarget other = r.resolve("other");
        assertEquals("192.0.2.7", other.host());
        assertEquals("me", other.user());
        assertEquals("corpuser", r.resolve("x.corp").user());
        assertEquals("notother", r.resolve("plain").user());

        assertFalse(warnings.isEmpty());
        assertTrue(
                warnings.stream()
                        .allMatch(w -> w.contains("line 9: 'Match exec \"test -f /nonexistent\"' is not supported")
                                && w.contains("it sets ProxyCommand")),
                warnings.toString());
    }

    @Test
    void anIncludedFileIsReadWhereItsBlockApplies() throws Exception {
        Files.createDirectories(home.resolve(".ssh/config.d"));
        Files.writeString(home.resolve(".ssh/config.d/10-lab"), "Host lab\n  HostName 10.9.9.9\n  User labuser\n");
        Files.writeString(
                home.resolve(".ssh/config.d/20-iap"), "Host iap-vm\n  ProxyCommand gcloud compute start-iap-tunnel\n");
        Files.writeString(home.resolve(".ssh/only-for-prod"), "User produser\nHost *\n  Port 2200\n");
        SshTargetResolver r = resolver(
                "Include config.d/*",
                "Port 2022", // back at the top of the file: for every host
                "Host prod",
                "  Include ~/.ssh/only-for-prod",
                "  HostName 10.0.0.1");
        SshTarget lab = r.resolve("lab");
        assertEquals("10.9.9.9", lab.host());
        assertEquals("labuser", lab.user());
        assertEquals(2022, lab.port());
        SshTarget prod = r.resolve("prod");
        assertEquals("produser", prod.user());
        assertEquals("10.0.0.1", prod.host());
        assertEquals(2022, prod.port(), "the first Port wins");
        assertEquals("me", r.resolve("dev").user(), "only-for-prod is included only inside Host prod");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> r.resolve("iap-vm"))
                .getMessage()
                .contains("ProxyCommand"));
    }

    @Test
    void proxyJumpIsParsedInEachFormOrRefusedNeverDropped() throws Exception {
        SshTargetResolver r = resolver(
                "Host a", "  ProxyJump jumpuser@bastion.example:2200",
                "Host b", "  ProxyJump ssh://jumpuser@bastion.example:2200",
                "Host b6", "  ProxyJump ssh://jumpuser@[2001:db8::1]:2200/",
                "Host c", "  ProxyJump one.example,two.example",
                "Host d", "  ProxyJump none",
                "Host e", "  ProxyJump http://bastion.example",
                "Host f", "  ProxyJump jumpuser@bad!host",
                "Host g", "  ProxyCommand gcloud compute start-iap-tunnel %h %p --listen-on-stdin",
                "Host h", "  ProxyCommand none",
                "Host chained", "  ProxyJump a");
        for (String h : List.of("a", "b")) {
            SshTarget t = r.resolve(h);
            assertEquals("bastion.example", t.jump().host(), h);
            assertEquals(2200, t.jump().port(), h);
            assertEquals("jumpuser", t.jump().user(), h);
        }
        assertEquals("2001:db8::1", r.resolve("b6").jump().host());
        assertNull(r.resolve("d").jump());
        assertNull(r.resolve("h").jump());
        for (String h : List.of("c", "e", "f", "g", "chained")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.resolve(h), h);
            assertTrue(e.getMessage().contains("ProxyJump") || e.getMessage().contains("ProxyCommand"), e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> r.resolve("c"))
                .getMessage()
                .contains("several hops"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> r.resolve("g"))
                .getMessage()
                .contains("cannot run"));
    }

    @Test
    @HostTest
    void aHostBehindABastionIsReachedOnlyThroughItAndAProxyCommandHostNotAtAll() throws Exception {
        assumeTrue(TestSshd.available(), "needs OpenSSH server (run-tests installs it)");
        String me = System.getProperty("user.name");
        try (TestSshd bastion = TestSshd.start();
                TestSshd inner = TestSshd.start()) {
            Files.createDirectories(home.resolve(".ssh"));
            Path kh = TestSshd.knownHosts(home.resolve(".ssh/known_hosts"), bastion, inner);
            SshTargetResolver r = resolver(
                    "Host *",
                    "  IdentityFile " + TestSshd.clientKey(),
                    "  HostName 127.0.0.1",
                    "  User " + me,
                    "Host uri",
                    "  Port " + inner.port(),
                    "  ProxyJump ssh://" + me + "@127.0.0.1:" + bastion.port(),
                    "Match originalhost matched",
                    "  Port " + inner.port(),
                    "  ProxyJump " + me + "@127.0.0.1:" + bastion.port(),
                    "Host iap",
                    "  Port " + inner.port(),
                    "  ProxyCommand gcloud compute start-iap-tunnel iap 22 --listen-on-stdin");
            assertEquals(kh, r.resolve("uri").knownHostsAppend());
            for (String h : List.of("uri", "matched")) {
                SshTarget t = r.resolve(h);
                assertEquals(bastion.port(), t.jump().port(), h);
                try (SshConnector.Connected c = SshConnector.connect(t, Duration.ofSeconds(10), x -> {})) {
                    assertTrue(c.ssh().isAuthenticated(), h);
                    assertNotNull(c.jump(), h);
                }
            }
            // the route really goes through the bastion: without it, the (running) inner host is not reached
            bastion.kill();
            Exception down = assertThrows(
                    Exception.class,
                    () -> SshConnector.connect(r.resolve("uri"), Duration.ofSeconds(10), x -> {})
                            .close());
            assertTrue(down.getMessage().contains(":" + bastion.port()), down.getMessage());

            // inner is up and reachable directly, which is exactly what must not happen for a ProxyCommand host
            IllegalArgumentException iap = assertThrows(IllegalArgumentException.class, () -> r.resolve("iap"));
            assertTrue(iap.getMessage().contains("ProxyCommand (gcloud compute start-iap-tunnel"), iap.getMessage());
        }
    }
}
