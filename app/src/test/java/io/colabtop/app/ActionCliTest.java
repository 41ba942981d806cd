package io.colabtop.app;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The action commands as a script uses them: refusals, --yes, exit codes, the audit log. */
class ActionCliTest {
    @TempDir
    Path tmp;

    @Test
    void hostileValuesAreRefusedBeforeAnythingRuns() {
        String[][] attempts = {
            {"swap", "local", "--path", "/tmp/x; touch /tmp/colabtop-pwned", "--yes"},
            {"swap", "local", "--path", "/tmp/$(touch /tmp/colabtop-pwned)", "--yes"},
            {"swap", "local", "--path", "/tmp/`touch /tmp/colabtop-pwned`", "--yes"},
            {"swap", "local", "--path", "/tmp/a\nb", "--yes"},
            {"swap", "local", "--size", "1G; reboot", "--yes"},
            {"swap", "local", "--off", "/tmp/'quoted'", "--yes"},
            {"mount", "local", "$(touch /tmp/colabtop-pwned)", "/content/gcs", "--yes"},
            {"mount", "local", "my-bucket", "/content/gcs;id", "--yes"},
            {"mount", "local", "my-bucket", "/content/gcs", "-o", "allow_other;id", "--yes"},
            {"mount", "local", "b".repeat(300), "/content/gcs", "--yes"},
            {"umount", "local", "/content/../etc", "--yes"},
            {"pin", "local", "--match", "(unclosed", "--yes"},
            {"pin", "local", "--pid", "1", "--adj", "-5000", "--yes"},
            {"swap", "; rm -rf /", "--yes"},
        };
        for (String[] a : attempts) {
            CliTest.Run r = CliTest.run(a);
            assertEquals(2, r.code(), String.join(" ", a) + "\n" + r.out() + r.err());
            assertFalse(r.err().isBlank(), "says why: " + String.join(" ", a));
        }
        assertFalse(Files.exists(Path.of("/tmp/colabtop-pwned")));
    }

    @Test
    void withoutATerminalOrYesNothingHappensAndTheRefusalIsAudited() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "swap needs root");
        Path swap = tmp.resolve("swap");
        CliTest.Run r = CliTest.run("swap", "local", "--size", "256M", "--path", swap.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("add --yes"), r.err());
        assertTrue(r.out().contains("create a 256M swap file " + swap), r.out());
        assertFalse(Files.exists(swap));
        CliTest.Run audit = CliTest.run("audit", "--json", "-n", "1");
        assertTrue(audit.out().contains("\"outcome\":\"declined\""), audit.out());
    }

    @Test
    void swapThroughTheCliThenAuditShowsIt() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "swap needs root");
        Path swap = tmp.resolve("cli-swap");
        try {
            CliTest.Run on = CliTest.run("swap", "local", "--size", "256M", "--path", swap.toString(), "--yes");
            assertEquals(0, on.code(), on.out() + on.err());
            assertTrue(on.out().contains("not persistent"), on.out());
            assertTrue(Files.readString(Path.of("/proc/swaps")).contains(swap.toString()));
            CliTest.Run too = CliTest.run("swap", "local", "--size", "500T", "--path", tmp.resolve("big").toString(), "--yes");
            assertEquals(1, too.code());
            assertTrue(too.err().contains("disk cannot hold"), too.err());
            CliTest.Run off = CliTest.run("swap", "local", "--off", swap.toString(), "--fstab", tmp.resolve("fstab").toString(), "--yes");
            assertEquals(0, off.code(), off.out() + off.err());
            assertFalse(Files.exists(swap));
            CliTest.Run audit = CliTest.run("audit", "-n", "5");
            assertTrue(audit.out().lines().anyMatch(l -> l.contains("swap-on") && l.contains(" ok ")), audit.out());
            assertTrue(audit.out().lines().anyMatch(l -> l.contains("swap-off") && l.contains(" ok ")), audit.out());
        } finally {
            new ProcessBuilder("swapoff", swap.toString()).start().waitFor(30, TimeUnit.SECONDS);
            Files.deleteIfExists(swap);
        }
    }

    @Test
    void mountWithoutGcsfuseGivesTheInstallHint() {
        assumeTrue("root".equals(System.getProperty("user.name")), "actions need root or sudo");
        CliTest.Run r = CliTest.run("mount", "local", "my-bucket", tmp.resolve("gcs").toString(), "--yes");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("gcsfuse is not installed") && r.err().contains("apt-get install gcsfuse"), r.err());
    }
}
