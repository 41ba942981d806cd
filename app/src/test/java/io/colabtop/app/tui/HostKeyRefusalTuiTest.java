package io.colabtop.app.tui;

import static io.colabtop.app.tui.TestScreens.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import io.colabtop.core.HostException;
import io.colabtop.core.HostUpdate;
import io.colabtop.ssh.ConfigWarnings;
import io.colabtop.ssh.KnownHostsVerifier;
import io.colabtop.ssh.RemoteSource;
import io.colabtop.ssh.TestSshd;
import io.colabtop.testing.HostTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TUI's trust prompt fed by real sshd hosts: it asks about the key that would really be
 * recorded, never about a revoked one; ssh_config / known_hosts warnings reach its message line.
 */
@HostTest
class HostKeyRefusalTuiTest {
    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    @TempDir
    Path tmp;

    @Test
    void theTrustPromptIsForThePlainKeyOfACertifiedHostAndNeverForARevokedOne() throws Exception {
        assumeTrue(TestSshd.available(), "needs OpenSSH server (run-tests installs it)");
        Path ca = TestSshd.newKey(tmp, "ca", "ed25519");
        try (TestSshd certified =
                        TestSshd.start(List.of("ed25519"), new TestSshd.HostCertificate(ca, "127.0.0.1"), List.of());
                TestSshd revoked = TestSshd.start()) {
            Path kh = Files.writeString(
                    tmp.resolve("known_hosts"), "@revoked * " + TestSshd.publicKey(revoked.hostPublicKey()) + "\n");
            DefaultVirtualTerminal vt = new DefaultVirtualTerminal(new TerminalSize(220, 24));
            List<String> trusted = new ArrayList<>();
            TuiSession session = new TuiSession(
                    screen(vt),
                    List.of("cert-vm", "revoked-vm"),
                    Duration.ofSeconds(2),
                    () -> T0,
                    () -> {},
                    (host, key) -> {
                        new KnownHostsVerifier(List.of(kh), kh, KnownHostsVerifier.Policy.STRICT, null)
                                .append(key.knownHostsLine());
                        trusted.add(host);
                    });
            RemoteSource cert = source(certified, "cert-vm", kh);
            RemoteSource rev = source(revoked, "revoked-vm", kh);
            poll(session, rev);
            poll(session, cert);
            session.step();
            // OpenSSH, with no @cert-authority line, also asks about the plain ED25519 key, not the certificate
            String screenText = String.join("\n", text(vt));
            assertTrue(
                    screenText.contains(
                            "Unknown host key for cert-vm ([127.0.0.1]:" + certified.port() + "): ssh-ed25519 "),
                    screenText);
            vt.addInput(new KeyStroke('y', false, false));
            session.step();
            assertEquals(List.of("cert-vm"), trusted);
            assertNull(session.dialog(), "nothing is asked about the revoked host");
            assertTrue(Files.readString(kh).contains(certified.knownHostsLine() + "\n"), Files.readString(kh));
            cert.retryNow();
            assertNotNull(cert.poll(), "the recorded key lets the certified host in");
            assertTrue(
                    session.view().hosts().get("revoked-vm").error().startsWith("REVOKED HOST KEY"),
                    session.view().hosts().get("revoked-vm").error());
            cert.close();
            rev.close();
        }
    }

    @Test
    void warningsHeldBeforeTheScreenOpensAppearOnItsMessageLine() throws Exception {
        DefaultVirtualTerminal vt = new DefaultVirtualTerminal(new TerminalSize(200, 20));
        TuiSession session = new TuiSession(screen(vt), List.of("vm"), Duration.ofSeconds(2), () -> T0, () -> {});
        ConfigWarnings warnings = new ConfigWarnings();
        warnings.accept("/home/me/.ssh/known_hosts:3: line skipped: too few fields");
        warnings.accept("/home/me/.ssh/known_hosts:3: line skipped: too few fields");
        List<String> shown = new ArrayList<>();
        warnings.listen(w -> {
            shown.add(w);
            session.offerMessage("warning: " + w); // what TuiApp does once the screen exists
        });
        session.step();
        assertEquals(1, shown.size(), "each warning once");
        assertTrue(
                text(vt).stream().anyMatch(l -> l.contains("warning: /home/me/.ssh/known_hosts:3: line skipped")),
                String.join("\n", text(vt)));
    }

    private static RemoteSource source(TestSshd s, String name, Path kh) throws Exception {
        return new RemoteSource(
                s.target(name, kh, KnownHostsVerifier.Policy.STRICT),
                5,
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                InstantSource.system());
    }

    private static void poll(TuiSession session, RemoteSource src) {
        try {
            session.offer(HostUpdate.ok(src.poll()));
        } catch (HostException e) {
            session.offer(HostUpdate.failed(src.name(), e.getMessage(), e, T0));
        }
    }
}
