package io.colabtop.ssh;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.colabtop.core.HostException;
import io.colabtop.core.SafeText;
import io.colabtop.testing.HostTest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hosts that attack the watcher: a real sshd whose "probe" floods (ForceCommand stands in for a
 * compromised VM), and a server whose identification string carries terminal escapes.
 */
class HostileHostTest {
    @TempDir
    Path tmp;

    private static String flood(String afterBegin) {
        // reads the script colabtop sends, answers the hello and the begin marker like the probe, then floods
        return "ForceCommand read n; dd bs=1 count=$n of=/dev/null 2>/dev/null; printf '@@ct:hello colabtop-probe 1\\n'; "
                + "read seq f; printf '@@ct:begin %s\\n' \"$seq\"; "
                + afterBegin;
    }

    private void assertBoundedFailure(String forceCommand, String expected) throws Exception {
        assumeTrue(TestSshd.available(), "needs OpenSSH server (run-tests installs it)");
        try (TestSshd sshd = TestSshd.start(List.of(forceCommand))) {
            SshTarget t = sshd.target(
                    "flood", TestSshd.knownHosts(tmp.resolve("kh"), sshd), KnownHostsVerifier.Policy.STRICT);
            Runtime rt = Runtime.getRuntime();
            try (RemoteSource src =
                    new RemoteSource(t, 20, Duration.ofSeconds(5), Duration.ofSeconds(1), InstantSource.system())) {
                long t0 = System.nanoTime();
                HostException e = assertThrows(HostException.class, src::poll);
                assertTrue(e.getMessage().contains(expected), e.getMessage());
                assertTrue(System.nanoTime() - t0 < 30_000_000_000L, "bounded, not read to the end");
            }
            // what the poll held is gone with it: the heap is not holding the flood
            System.gc();
            assertTrue(rt.totalMemory() - rt.freeMemory() < 512L << 20, "heap after flood");
        }
    }

    @Test
    @HostTest
    void anEndlessLineIsCutAtTheLineBound() throws Exception {
        // today: BufferedReader.readLine grows until OutOfMemoryError
        assertBoundedFailure(flood("exec cat /dev/zero"), "line over " + ProbeLink.MAX_LINE_BYTES + " bytes");
    }

    @Test
    @HostTest
    void aFloodOfLinesIsCutAtTheFrameBound() throws Exception {
        assertBoundedFailure(flood("exec yes '|" + "x".repeat(4000) + "$'"), "probe frame over 8 MiB");
    }

    @Test
    void aBannerWithEscapesNeverReachesTheMessageRaw() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = server.accept();
                        OutputStream out = s.getOutputStream()) {
                    // RFC 4253 lets a server print lines before its identification; then a hostile one
                    out.write("\u001b]0;pwned\u0007\u001b[2J\r\nSSH-1.5-\u001b[31mevil\u202e\r\n"
                            .getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    s.getInputStream().read(new byte[256]);
                } catch (IOException ignored) {
                    // client went away
                }
            });
            t.setDaemon(true);
            t.start();
            SshTarget base = new SshTarget(
                    "evil",
                    "127.0.0.1",
                    server.getLocalPort(),
                    "root",
                    List.of(tmp.resolve("k")),
                    List.of(tmp.resolve("kh")),
                    tmp.resolve("kh"),
                    KnownHostsVerifier.Policy.STRICT,
                    Duration.ofSeconds(3),
                    null,
                    null);
            try (RemoteSource src =
                    new RemoteSource(base, 20, Duration.ofSeconds(3), Duration.ofSeconds(1), InstantSource.system())) {
                HostException e = assertThrows(HostException.class, src::poll);
                String shown = HostException.describe(e);
                // sshj quotes the identification string: "identified as: SSH-1.5-\x1b[31mevil"
                assertTrue(shown.contains("evil"), shown);
                assertTrue(SafeText.isSafe(shown), shown);
                assertTrue(SafeText.isSafe(e.getMessage()), e.getMessage());
            }
        }
    }
}
