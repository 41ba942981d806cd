package io.colabtop.app.fleet;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.colabtop.core.HostSnapshot;
import io.colabtop.core.ProcessInfo;
import io.colabtop.core.SwapArea;
import io.colabtop.testing.HostTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the real /proc of this machine and checks the snapshot against what the kernel says. */
class LocalSourceTest {
    private static long kb(String meminfo, String key) {
        for (String l : meminfo.split("\n")) {
            if (l.startsWith(key + ":")) {
                return Long.parseLong(l.substring(key.length() + 1).trim().split("\\s+")[0]) * 1024;
            }
        }
        throw new AssertionError(key);
    }

    @Test
    void totalsMatchProcMeminfo() throws Exception {
        HostSnapshot s = new LocalSource(20, InstantSource.system()).poll();
        String meminfo = Files.readString(Path.of("/proc/meminfo"));
        assertEquals(kb(meminfo, "MemTotal"), s.memory().totalBytes());
        assertEquals(kb(meminfo, "SwapTotal"), s.memory().swapTotalBytes());
        assertTrue(s.cpuCount() >= 1);
        assertEquals(Files.exists(Path.of("/proc/pressure/memory")), s.pressure() != null);
        assertTrue(s.processes().size() >= 10, "at least 10 processes on any live Linux box");
        for (int i = 1; i < s.processes().size(); i++) {
            assertTrue(s.processes().get(i - 1).oomScore() >= s.processes().get(i).oomScore(), "ordered by oom_score");
        }
    }

    @Test
    void aMarkedChildIsTheTopCandidateWithItsRealScores() throws Exception {
        Process child = new ProcessBuilder("sleep", "60").start();
        try {
            long pid = child.pid();
            Path adj = Path.of("/proc/" + pid + "/oom_score_adj");
            // raising oom_score_adj needs no privilege: this child becomes the next OOM victim
            Files.writeString(adj, "900");
            HostSnapshot s = new LocalSource(20, InstantSource.system()).poll();
            ProcessInfo p = s.processes().stream().filter(x -> x.pid() == pid).findFirst()
                    .orElseThrow(() -> new AssertionError("child not among top processes"));
            assertEquals(900, p.oomScoreAdj());
            assertEquals(Integer.parseInt(Files.readString(Path.of("/proc/" + pid + "/oom_score")).strip()), p.oomScore());
            assertEquals("sleep 60", p.command().exact());
            assertEquals(pid, s.topOomCandidate().pid());
            assertEquals(ProcessHandle.current().pid(), p.ppid());
        } finally {
            child.destroyForcibly();
            child.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    @HostTest
    void aRealSwapFileShowsUpWithItsSize(@TempDir Path dir) throws Exception {
        assumeTrue(isRoot(), "swapon needs root (CI runs as root)");
        Path file = dir.resolve("colabtop test swap");
        try {
            run("dd", "if=/dev/zero", "of=" + file, "bs=1M", "count=40", "status=none");
            run("chmod", "600", file.toString());
            run("mkswap", file.toString());
            run("swapon", file.toString());
            HostSnapshot s = new LocalSource(5, InstantSource.system()).poll();
            SwapArea a = s.swaps().stream().filter(x -> x.path().exact().equals(file.toString())).findFirst()
                    .orElseThrow(() -> new AssertionError("swap file not in snapshot: " + s.swaps()));
            assertEquals("file", a.type().exact());
            // mkswap keeps one page for its header
            assertEquals(40L * 1024 * 1024 - 4096, a.sizeBytes());
            long total = s.swaps().stream().mapToLong(SwapArea::sizeBytes).sum();
            assertEquals(total, s.memory().swapTotalBytes());
        } finally {
            new ProcessBuilder("swapoff", file.toString()).start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timeout: " + List.of(cmd));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
    }
}
