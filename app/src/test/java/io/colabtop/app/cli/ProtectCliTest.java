package io.colabtop.app.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.colabtop.testing.HostTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code colabtop pin} (also {@code protect}) on this machine, as root: a real process, a real
 * oom_score_adj write read back, and the report of what is in force from each killer. No
 * systemd-oomd runs here, and the report says so instead of a warning that it might.
 */
@HostTest
class ProtectCliTest {
    @Test
    void theReportSaysWhatIsInForceForEachKiller() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "writes oom_score_adj of a process: root");
        Process p = new ProcessBuilder("sleep", "120").start();
        try {
            CliTest.Run r = CliTest.run("protect", "local", "--pid", Long.toString(p.pid()), "--adj", "500", "--yes");
            assertEquals(0, r.code(), r.err());
            assertTrue(
                    r.out()
                            .contains("pid " + p.pid() + ": kernel OOM killer: oom_score_adj 0 -> 500 (read back), not "
                                    + "protected; systemd-oomd: not running (absent): nothing to do"),
                    r.out());
            assertEquals(
                    "500",
                    Files.readString(Path.of("/proc/" + p.pid() + "/oom_score_adj"))
                            .strip());
            assertTrue(
                    r.out().contains("oom_score_adj 500 protects from nothing: systemd-oomd is left as it is"),
                    "the plan said so first: " + r.out());
        } finally {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
