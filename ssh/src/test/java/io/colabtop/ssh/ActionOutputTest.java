package io.colabtop.ssh;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.colabtop.core.action.HostShell;
import io.colabtop.core.action.ShellResult;
import io.colabtop.testing.HostTest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An action's output costs colabtop a bounded amount of memory whatever the host prints, and the host is never blocked. */
class ActionOutputTest {
    @TempDir
    Path tmp;

    /** 50 MB on stdout and 50 MB on stderr, then a result line: here and through a real sshd. */
    @Test
    @HostTest
    void aFloodIsReadToTheEndAndKeptBounded() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "actions run as root (or sudo)");
        String script = """
                head -c 52428800 /dev/zero | tr '\\0' x
                echo
                head -c 52428800 /dev/zero | tr '\\0' y >&2
                echo >&2; echo 'the end of stderr' >&2
                printf 'colabtop-result: %s\\n' end
                """;
        List<HostShell> shells = new ArrayList<>(List.of(new LocalProcess()));
        TestSshd sshd = TestSshd.available() ? TestSshd.start() : null;
        try {
            if (sshd != null) {
                Path kh = TestSshd.knownHosts(tmp.resolve("kh"), sshd);
                shells.add(
                        new SshShell(sshd.target("vm", kh, KnownHostsVerifier.Policy.STRICT), Duration.ofSeconds(10)));
            }
            for (HostShell shell : shells) {
                ShellResult r = shell.runAsRoot(script, Duration.ofSeconds(120));
                String via = shell.getClass().getSimpleName();
                assertEquals(0, r.exitCode(), via + ": the script ran to its end (never blocked on a full pipe)");
                assertEquals(List.of("end"), r.results(), via + ": the result line at the end is kept");
                assertTrue(
                        r.stdout().length() <= LocalProcess.KEEP_HEAD + LocalProcess.KEEP_TAIL + 100,
                        via + ": " + r.stdout().length());
                assertTrue(
                        r.stderr().length() <= LocalProcess.KEEP_HEAD + LocalProcess.KEEP_TAIL + 100,
                        via + ": " + r.stderr().length());
                assertTrue(r.stdout().startsWith("xxxxxxxx"), via);
                assertTrue(r.stdout().contains("\n" + LocalProcess.CUT_MARK), via + ": says it was cut");
                assertTrue(
                        r.stderr().contains(LocalProcess.CUT_MARK) && r.stderr().endsWith("the end of stderr\n"), via);
            }
        } finally {
            if (sshd != null) {
                sshd.close();
            }
        }
    }

    @Test
    void cutsKeepWholeLinesOnBothSidesAndSayHowMuchWasDropped() {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (sb.length() < 3 << 20) {
            sb.append("line ").append(i++).append('\n');
        }
        sb.append("colabtop-result: last\n");
        String all = sb.toString();
        String kept = LocalProcess.readBounded(new ByteArrayInputStream(all.getBytes(StandardCharsets.US_ASCII)));
        int mark = kept.indexOf(LocalProcess.CUT_MARK);
        assertTrue(mark > 0 && kept.charAt(mark - 1) == '\n');
        String head = kept.substring(0, mark);
        String rest = kept.substring(mark);
        String markLine = rest.substring(0, rest.indexOf('\n') + 1);
        String tail = rest.substring(markLine.length());
        assertTrue(all.startsWith(head) && head.endsWith("\n") && head.length() <= LocalProcess.KEEP_HEAD);
        assertTrue(all.endsWith(tail)
                && tail.endsWith("colabtop-result: last\n")
                && tail.length() <= LocalProcess.KEEP_TAIL);
        assertTrue(tail.startsWith("line ") && all.contains("\n" + tail), "the tail starts at a whole line");
        long dropped = Long.parseLong(markLine.substring(
                LocalProcess.CUT_MARK.length(), markLine.indexOf(' ', LocalProcess.CUT_MARK.length())));
        assertEquals(all.length() - head.length() - tail.length(), dropped);

        // under the limits nothing is cut, also just past the head
        String small = "a\n".repeat((LocalProcess.KEEP_HEAD + 1000) / 2);
        assertEquals(
                small, LocalProcess.readBounded(new ByteArrayInputStream(small.getBytes(StandardCharsets.US_ASCII))));
    }
}
