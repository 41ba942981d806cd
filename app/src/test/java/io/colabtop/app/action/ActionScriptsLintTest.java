package io.colabtop.app.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.colabtop.core.action.ActionScripts;
import io.colabtop.testing.HostTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every script colabtop sends to a host, checked by shellcheck as POSIX sh (dash is /bin/sh on
 * Debian and Ubuntu). Needs shellcheck (apt-get install shellcheck); skipped without it.
 * Left out on purpose: SC2086 (fields of /proc lines are split into $1.. with set --, as meant),
 * SC2317 (functions called from traps look unreachable), SC2016 (the swap worker is a
 * single-quoted script for sh -c: its $ are for that shell).
 */
class ActionScriptsLintTest {
    @TempDir
    Path tmp;

    @Test
    @HostTest
    void theScriptsPassShellcheckAsPosixSh() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/shellcheck")), "shellcheck is not installed");
        Map<String, String> scripts = new LinkedHashMap<>();
        scripts.put("swap-preflight", ActionScripts.swapPreflight("/swapfile"));
        String on = ActionScripts.swapOn("/swapfile", 1L << 30, true, "/etc/fstab", 5L << 30, 20L << 30);
        scripts.put("swap-on", on);
        scripts.put("swap-worker", worker(on));
        scripts.put("swap-off", ActionScripts.swapOff("/swapfile", "/etc/fstab"));
        scripts.put("pin", ActionScripts.pin(List.of(new ActionScripts.PinTarget(1, 2)), -1000, true));
        scripts.put("list", ActionScripts.processListing());
        scripts.put("mount", ActionScripts.mount("my-bucket", "/content/gcs", List.of("allow_other"), true));
        scripts.put("umount", ActionScripts.umount("/content/gcs"));
        scripts.put("mounts", ActionScripts.listMounts());
        List<String> findings = new ArrayList<>();
        for (Map.Entry<String, String> s : scripts.entrySet()) {
            Path f = Files.writeString(tmp.resolve(s.getKey() + ".sh"), s.getValue());
            Process p = new ProcessBuilder("shellcheck", "-s", "sh", "-f", "gcc", "-e", "SC2086,SC2317,SC2016", f.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            if (p.exitValue() != 0) {
                findings.add(out);
            }
        }
        assertEquals(List.of(), findings);
    }

    /** The worker as the shell sees it: the single-quoted value of worker='...' with '\'' unquoted. */
    static String worker(String swapOn) {
        int i = swapOn.indexOf("worker='") + "worker='".length();
        StringBuilder w = new StringBuilder();
        while (true) {
            if (swapOn.startsWith("'\\''", i)) {
                w.append('\'');
                i += 4;
            } else if (swapOn.charAt(i) == '\'') {
                return w.toString();
            } else {
                w.append(swapOn.charAt(i++));
            }
        }
    }
}
