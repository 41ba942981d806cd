package io.colabtop.app.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.colabtop.ssh.TestSshd;
import io.colabtop.testing.HostTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code colabtop status} against real sshd processes with the user's ~/.ssh (under the build's
 * temp HOME): what a broken known_hosts line, a revoked key and a Match block do to a run.
 */
@HostTest
class HostKeyCliTest extends TwoHostsHome {
    @Test
    void aBrokenKnownHostsLineIsReportedOnceAndTheOtherLinesStillWork() throws Exception {
        // an empty salt: with sshj's own parser every host failed ("Empty key"); OpenSSH skips the line
        Path kh = ssh.resolve("known_hosts");
        Files.writeString(
                kh,
                "|1||AAAA " + TestSshd.publicKey(a.hostPublicKey()) + "\n" + a.knownHostsLine() + "\n"
                        + b.knownHostsLine() + "\n");
        CliTest.Run r = CliTest.run("status", spec(a), spec(b));
        assertEquals(0, r.code(), r.out() + r.err());
        String warning = "colabtop: warning: " + kh + ":1: line skipped: ";
        assertEquals(1, r.err().lines().filter(l -> l.startsWith(warning)).count(), "once for two hosts:\n" + r.err());
    }

    @Test
    void acceptNewNeverRecordsARevokedKey() throws Exception {
        Path kh = ssh.resolve("known_hosts");
        String revoked = "@revoked * " + TestSshd.publicKey(a.hostPublicKey()) + "\n";
        Files.writeString(kh, revoked);
        CliTest.Run r = CliTest.run("status", "--accept-new", spec(a));
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("REVOKED HOST KEY for [127.0.0.1]:" + a.port()), r.err());
        assertEquals(revoked, Files.readString(kh));
    }

    @Test
    void aMatchBlockNoLongerBreaksEveryHost() throws Exception {
        TestSshd.knownHosts(ssh.resolve("known_hosts"), a, b);
        Files.writeString(
                ssh.resolve("config"),
                String.join(
                        "\n",
                        "Match exec \"test -e /etc/corp-vpn\"",
                        "  ProxyJump corp-bastion",
                        "Match originalhost box-b",
                        "  HostName 127.0.0.1",
                        "  Port " + b.port(),
                        ""));
        CliTest.Run r = CliTest.run("status", spec(a), "box-b");
        assertEquals(0, r.code(), r.out() + r.err());
        assertEquals(
                1,
                r.err()
                        .lines()
                        .filter(l -> l.startsWith("colabtop: warning: ")
                                && l.contains("Match exec")
                                && l.contains("it sets ProxyJump"))
                        .count(),
                r.err());
    }
}
