package io.colabtop.ssh;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.colabtop.core.HostException;
import io.colabtop.testing.HostTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real ssh-agent holding keys, one of them passphrase-protected, against a real sshd. */
@HostTest
class AgentAuthTest {
    @TempDir
    Path tmp;

    @Test
    void keysHeldByTheAgentLogInIncludingAPassphraseProtectedOneAndRsa() throws Exception {
        assumeTrue(TestSshd.available() && Files.isExecutable(Path.of("/usr/bin/ssh-agent")), "needs OpenSSH");
        Path sock = tmp.resolve("agent.sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", sock.toString())
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("agent.log").toFile())
                .start();
        try (TestSshd sshd = TestSshd.start()) {
            for (int i = 0; i < 100 && !Files.exists(sock); i++) {
                Thread.sleep(20);
            }
            Path locked = tmp.resolve("locked_ed25519");
            TestSshd.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "pass phrase", "-f", locked.toString());
            Path rsa = tmp.resolve("id_rsa");
            TestSshd.run("ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", rsa.toString());
            // the server knows only the agent's keys, not the test's usual key
            Files.writeString(sshd.dir().resolve("authorized_keys"), Files.readString(Path.of(locked + ".pub")));
            Path askpass = Files.writeString(tmp.resolve("askpass"), "#!/bin/sh\necho 'pass phrase'\n");
            Files.setPosixFilePermissions(askpass, PosixFilePermissions.fromString("rwx------"));
            addToAgent(sock, askpass, locked);

            Path kh = TestSshd.knownHosts(tmp.resolve("kh"), sshd);
            SshTarget t =
                    sshd.target("vm", kh, KnownHostsVerifier.Policy.STRICT).withIdentities(List.of(locked));
            System.setProperty("colabtop.ssh.agent", sock.toString());
            try {
                assertEquals(1, AgentAuth.at(sock).keys().size());
                try (RemoteSource src =
                        new RemoteSource(t, 5, Duration.ofSeconds(5), Duration.ofSeconds(1), InstantSource.system())) {
                    assertNotNull(src.poll(), "the encrypted key file is skipped, the agent's copy logs in");
                }
                // RSA through the agent signs with rsa-sha2-512 (ssh-rsa/SHA-1 is off in OpenSSH 8.8+)
                Files.writeString(sshd.dir().resolve("authorized_keys"), Files.readString(Path.of(rsa + ".pub")));
                addToAgent(sock, askpass, rsa);
                try (RemoteSource src = new RemoteSource(
                        t.withIdentities(List.of()),
                        5,
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(1),
                        InstantSource.system())) {
                    assertNotNull(src.poll());
                }
            } finally {
                System.clearProperty("colabtop.ssh.agent");
            }
            // without the agent the same target fails, and says what to do
            try (RemoteSource src =
                    new RemoteSource(t, 5, Duration.ofSeconds(5), Duration.ofSeconds(1), InstantSource.system())) {
                HostException e = assertThrows(HostException.class, src::poll);
                assertTrue(e.getMessage().contains("passphrase-protected: load it into ssh-agent"), e.getMessage());
            }
        } finally {
            agent.destroyForcibly();
            agent.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static void addToAgent(Path sock, Path askpass, Path key) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("ssh-add", key.toString())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().put("SSH_AUTH_SOCK", sock.toString());
        pb.environment().put("SSH_ASKPASS", askpass.toString());
        pb.environment().put("SSH_ASKPASS_REQUIRE", "force");
        pb.environment().put("DISPLAY", ":0");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "ssh-add: " + out);
    }
}
