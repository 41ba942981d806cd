package io.colabtop.app.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code colabtop serve}'s command line: what it refuses, and what it does when told nothing. */
class ServeCliTest {
    @TempDir
    Path tmp;

    static void refused(String expected, String... args) {
        CliTest.Run r = CliTest.run(args);
        assertEquals(2, r.code(), String.join(" ", args) + "\n" + r.out() + r.err());
        assertTrue(r.err().contains(expected), r.err());
    }

    @Test
    void badOptionsAreRefusedBeforeAnythingListens() throws Exception {
        refused("--listen nonsense: no port", "serve", "--listen", "nonsense");
        refused("must be an IP literal", "serve", "--listen", "example.com:9473");
        refused("--top 30 is more than the 20 processes read per host", "serve", "--top", "30");
        refused("between 0 and 500", "serve", "--top", "-1");
        refused("--top 5 is more than the 3 processes", "serve", "-n", "3", "--top", "5", "--listen", "127.0.0.1:0");
        refused(
                "--basic-auth " + tmp.resolve("none") + ": cannot read it",
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--basic-auth",
                tmp.resolve("none").toString());
        Path plain = Files.writeString(tmp.resolve("users"), "prometheus:hunter2\n");
        refused("is not bcrypt", "serve", "--listen", "127.0.0.1:0", "--basic-auth", plain.toString());
        refused(
                "TLS needs both --tls-cert and --tls-key",
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--tls-cert",
                plain.toString());
        refused("is not a host", "serve", "--listen", "127.0.0.1:0", "; rm -rf /");
    }

    @Test
    void anAddressInUseIsAClearError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refused(
                    "cannot serve on 127.0.0.1:" + taken.getLocalPort() + ": Address already in use",
                    "serve",
                    "--listen",
                    "127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void byDefaultItServesOnLoopbackTheTopFiveWithCommandLines() {
        ServeCommand cmd = new ServeCommand();
        new CommandLine(cmd).parseArgs();
        assertEquals("127.0.0.1:9473", cmd.listen);
        assertEquals(5, cmd.top);
        assertFalse(cmd.noCommandLines);
        assertFalse(cmd.probeAny);
        assertNull(cmd.basicAuth);
    }
}
