package io.colabtop.app.action;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.colabtop.core.action.HostScript;
import io.colabtop.ssh.LocalProcess;
import io.colabtop.testing.HostTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The swap plan warns that the new swap arms systemd-oomd's swap rule: the real preflight script
 * as root, with systemctl and oomctl stand-ins first on PATH (no systemd runs here) printing
 * oomd's state and a dump of the 249 era.
 */
@HostTest
class SwapPlanOomdTest {
    @TempDir
    Path tmp;

    private Map<String, String> oomd(String swapMonitored) throws Exception {
        Path bin = Files.createDirectory(tmp.resolve("bin"));
        write(bin.resolve("systemctl"), "#!/bin/sh\n[ \"$*\" = 'is-active systemd-oomd' ] && echo active\n");
        Files.writeString(
                tmp.resolve("dump"),
                String.join(
                        "\n",
                        "Dry Run: no",
                        "Swap Used Limit: 90.00%",
                        "Default Memory Pressure Limit: 60.00%",
                        "Default Memory Pressure Duration: 20s",
                        "System Context:",
                        "\tSwap: Used: 0B Total: 0B",
                        "Swap Monitored CGroups:",
                        swapMonitored,
                        "Memory Pressure Monitored CGroups:",
                        "\tPath: /user.slice/user-1000.slice/user@1000.service",
                        "\t\tMemory Pressure Limit: 50.00%",
                        ""));
        write(bin.resolve("oomctl"), "#!/bin/sh\ncat '" + tmp.resolve("dump") + "'\n");
        return Map.of("PATH", bin + ":" + System.getenv("PATH"));
    }

    private static void write(Path f, String text) throws Exception {
        Files.writeString(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private HostScript plan(Map<String, String> env) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "the swap plan reads the disk as root");
        Path dir = HostFixtures.rootOnlyDir("swapplan");
        try {
            return RescuePlanner.swapOn(
                    "h", new LocalProcess(env), 256L << 20, dir.resolve("swap").toString(), false, "/etc/fstab");
        } finally {
            HostFixtures.deleteTree(dir);
        }
    }

    @Test
    void theNewSwapArmsOomdsSwapRule() throws Exception {
        HostScript p = plan(oomd("\tPath: /\n\t\tSwap Usage: (see System Context)"));
        assertTrue(
                p.summary()
                        .contains("WARNING: this swap arms systemd-oomd's swap rule (ManagedOOMSwap=kill on 1 cgroup): "
                                + "once memory and swap are both over 90.00% used, it kills the cgroup using the most swap (the "
                                + "rule never fires without swap)"),
                p.summary().toString());
    }

    @Test
    void oomdWithoutASwapRuleIsSaidToo() throws Exception {
        HostScript p = plan(oomd(""));
        assertTrue(
                p.summary()
                        .contains(
                                "systemd-oomd runs here, but watches no cgroup for swap: this swap arms none of its rules"),
                p.summary().toString());
    }

    @Test
    void withoutOomdNothingIsSaid() throws Exception {
        Path bin = Files.createDirectory(tmp.resolve("bin"));
        write(bin.resolve("systemctl"), "#!/bin/sh\necho inactive\nexit 3\n");
        HostScript p = plan(Map.of("PATH", bin + ":" + System.getenv("PATH")));
        assertTrue(
                p.summary().stream().noneMatch(l -> l.contains("systemd-oomd")),
                p.summary().toString());
    }
}
