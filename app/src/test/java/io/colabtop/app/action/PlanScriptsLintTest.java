package io.colabtop.app.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.colabtop.core.action.HostScript;
import io.colabtop.core.action.HostShell;
import io.colabtop.core.action.ShellResult;
import io.colabtop.ssh.ShellLint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scripts of real plans, header and all, as the planner makes them for the user's values,
 * checked by shellcheck as POSIX sh and parsed by dash (the .sh files themselves are checked in
 * the ssh module's HostScriptsTest). Left out: SC2317 (a shared function a script does not call
 * looks unreachable), SC2016 (swap-on carries the worker as a single-quoted value; the worker is
 * checked on its own).
 */
class PlanScriptsLintTest {
    @TempDir
    Path tmp;

    /** The swap plan's reading of a host, as the preflight script reports it: a 16 GiB VM with a 100 GiB disk, 60 GiB free. */
    private static final HostShell PREFLIGHT = (script, timeout) -> ShellResult.parse(
            0,
            String.join(
                    "\n",
                    "colabtop-result: memtotal_kb=16384000",
                    "colabtop-result: fs_kb=104857600",
                    "colabtop-result: avail_kb=62914560",
                    "colabtop-result: active=0",
                    ""),
            "");

    @Test
    void theScriptsOfRealPlansPassShellcheckAndParse() throws Exception {
        Map<String, HostScript> plans = new LinkedHashMap<>();
        plans.put("swap-on", RescuePlanner.swapOn("vm", PREFLIGHT, 8L << 30, "/swapfile", true, RescuePlanner.FSTAB));
        plans.put("swap-off", RescuePlanner.swapOff("vm", "/mnt/disks/data/swap.img", RescuePlanner.FSTAB));
        plans.put(
                "pin",
                RescuePlanner.pin(
                        "vm",
                        List.of(
                                new RescuePlanner.Found(4242, 8123456, "python3 train.py"),
                                new RescuePlanner.Found(4243, 8123460, "python3 -m torch.distributed.run")),
                        -1000,
                        true));
        plans.put(
                "mount",
                RescuePlanner.mount("vm", "training-data.v2", "/content/gcs", List.of("allow_other", "uid=1000")));
        plans.put("umount", RescuePlanner.umount("vm", "/content/gcs"));
        List<String> findings = new ArrayList<>();
        for (Map.Entry<String, HostScript> p : plans.entrySet()) {
            String script = p.getValue().script();
            lint(p.getKey(), script, findings);
            if (p.getKey().equals("swap-on")) {
                String worker = ShellLint.worker(script);
                assertTrue(worker.contains("size_mb='8192'"), "the plan's size reaches the worker's header");
                lint("swap-worker", worker, findings);
            }
        }
        assertEquals(List.of(), findings);
    }

    private void lint(String name, String script, List<String> findings) throws Exception {
        String out = ShellLint.shellcheckText(tmp, name + ".sh", script, "SC2317", "SC2016");
        if (!out.isEmpty()) {
            findings.add(out);
        }
        String parse = ShellLint.dashParse(tmp.resolve(name + ".sh"));
        if (!parse.isEmpty()) {
            findings.add(name + ": " + parse);
        }
    }
}
