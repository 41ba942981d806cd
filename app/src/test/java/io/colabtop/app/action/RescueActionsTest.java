package io.colabtop.app.action;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.colabtop.core.HostException;
import io.colabtop.core.action.Confirmation;
import io.colabtop.core.action.HostScript;
import io.colabtop.core.action.HostShell;
import io.colabtop.core.action.ShellResult;
import io.colabtop.core.action.SwapSizing;
import io.colabtop.ssh.HostScripts;
import io.colabtop.ssh.KnownHostsVerifier;
import io.colabtop.ssh.LocalProcess;
import io.colabtop.ssh.SshShell;
import io.colabtop.ssh.TestSshd;
import io.colabtop.testing.HostTest;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rescue actions for real, on this machine directly and through a real sshd on loopback:
 * swap files in /proc/swaps, oom_score_adj in /proc, FUSE mounts in /proc/mounts (CI runs as root).
 * Everything made is undone in finally blocks.
 */
@HostTest
class RescueActionsTest {
    static TestSshd sshd;
    static Path fakeBin;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue(isRoot(), "actions need root (CI runs as root)");
        fakeBin = Files.createTempDirectory("colabtop-fakebin");
        try (InputStream in = RescueActionsTest.class.getResourceAsStream("/fake-gcsfuse/gcsfuse")) {
            Files.copy(in, fakeBin.resolve("gcsfuse"));
        }
        Files.setPosixFilePermissions(fakeBin.resolve("gcsfuse"), PosixFilePermissions.fromString("rwxr-xr-x"));
        if (TestSshd.available()) {
            sshd = TestSshd.start(List.of(
                    "SetEnv PATH=" + fakeBin + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
        }
    }

    @AfterAll
    static void tearDown() {
        if (sshd != null) {
            sshd.close();
        }
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** This machine, and the same machine through sshd: every action must work both ways. */
    List<HostShell> shells() throws Exception {
        List<HostShell> s = new ArrayList<>();
        s.add(new LocalProcess(Map.of("PATH", fakeBin + ":" + System.getenv("PATH"))));
        if (sshd != null) {
            Path kh = TestSshd.knownHosts(tmp.resolve("kh"), sshd);
            s.add(new SshShell(sshd.target("vm", kh, KnownHostsVerifier.Policy.STRICT), Duration.ofSeconds(10)));
        }
        return s;
    }

    ActionGate gate() {
        return new ActionGate(new AuditLog(tmp.resolve("audit.log")), InstantSource.system());
    }

    static boolean inSwaps(Path p) throws Exception {
        return Files.readAllLines(Path.of("/proc/swaps")).stream()
                .anyMatch(l -> l.split("\\s+")[0].equals(p.toString()));
    }

    static void quietly(String... cmd) throws Exception {
        new ProcessBuilder(cmd).redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
    }

    @Test
    void swapAppearsTwiceIsHarmlessPersistsOnceAndOffUndoesIt() throws Exception {
        Path dir = HostFixtures.rootOnlyDir("swap");
        try {
            swapTwiceThenOff(dir);
        } finally {
            HostFixtures.deleteTree(dir);
        }
    }

    private void swapTwiceThenOff(Path dir) throws Exception {
        for (HostShell shell : shells()) {
            Path swap = dir.resolve("swap-" + shell.getClass().getSimpleName());
            Path fstab = Files.writeString(
                    tmp.resolve("fstab"),
                    "# test fstab\nUUID=abc / ext4 defaults 0 1\n" + "/dev/sdb1 " + swap + " ext4 defaults 0 2\n");
            try {
                HostScript plan = RescuePlanner.swapOn("h", shell, 256L << 20, swap.toString(), true, fstab.toString());
                ShellResult r = gate().run(plan, shell, Confirmation.yesFlag());
                assertTrue(r.ok(), r.error());
                assertEquals(List.of("active"), r.results());
                assertTrue(inSwaps(swap), "in /proc/swaps");
                assertEquals(
                        "600",
                        Integer.toOctalString(Files.getPosixFilePermissions(swap).stream()
                                .mapToInt(p -> 1 << (8 - p.ordinal()))
                                .sum()));
                ShellResult again = gate().run(
                                RescuePlanner.swapOn("h", shell, 256L << 20, swap.toString(), true, fstab.toString()),
                                shell,
                                Confirmation.yesFlag());
                assertEquals(List.of("already-active"), again.results());
                assertEquals(
                        1,
                        Files.readAllLines(fstab).stream()
                                .filter(l -> l.startsWith(swap + " "))
                                .count(),
                        "one fstab line, however often");
                ShellResult off = gate().run(
                                RescuePlanner.swapOff("h", swap.toString(), fstab.toString()),
                                shell,
                                Confirmation.yesFlag());
                assertTrue(off.ok(), off.error());
                assertFalse(inSwaps(swap));
                assertFalse(Files.exists(swap));
                assertEquals(
                        "# test fstab\nUUID=abc / ext4 defaults 0 1\n/dev/sdb1 " + swap + " ext4 defaults 0 2\n",
                        Files.readString(fstab),
                        "other lines kept, a non-swap line naming the path too");
            } finally {
                quietly("swapoff", swap.toString());
                Files.deleteIfExists(swap);
            }
        }
    }

    @Test
    void anInactiveSwapFileOfTheRightSizeIsReused() throws Exception {
        HostShell shell = shells().get(0);
        Path dir = HostFixtures.rootOnlyDir("reuse");
        Path swap = dir.resolve("reuse");
        try {
            quietly("dd", "if=/dev/zero", "of=" + swap, "bs=1M", "count=256", "status=none");
            quietly("mkswap", swap.toString());
            ShellResult r = gate().run(
                            RescuePlanner.swapOn("h", shell, 0, swap.toString(), false, "/etc/fstab"),
                            shell,
                            Confirmation.yesFlag());
            assertEquals(List.of("reused"), r.results(), r.error());
            assertTrue(inSwaps(swap));
        } finally {
            quietly("swapoff", swap.toString());
            HostFixtures.deleteTree(dir);
        }
    }

    @Test
    void aDiskTooSmallIsRefusedAndAFailedSwaponLeavesNoFile() throws Exception {
        HostShell shell = shells().get(0);
        Path dir = HostFixtures.rootOnlyDir("small");
        Path swap = dir.resolve("huge");
        Path mnt = Files.createDirectories(dir.resolve("tmpfs"));
        try {
            HostException e = assertThrows(
                    HostException.class,
                    () -> RescuePlanner.swapOn("h", shell, 500L << 40, swap.toString(), false, "/etc/fstab"));
            assertTrue(e.getMessage().contains("the disk cannot hold 500T"), e.getMessage());
            assertFalse(Files.exists(swap), "nothing created");
            // a file system that cannot hold swap (tmpfs; its size is a limit, not memory taken): the
            // script makes the file, swapon refuses, and the file is removed
            quietly("mount", "-t", "tmpfs", "-o", "size=6g,mode=755", "tmpfs", mnt.toString());
            Path partial = mnt.resolve("swap");
            ShellResult r = shell.runAsRoot(
                    HostScripts.swapOn(
                            partial.toString(), 16L << 20, false, "/etc/fstab", SwapSizing.reserve(6L << 30), 6L << 30),
                    Duration.ofSeconds(60));
            assertFalse(r.ok());
            assertTrue(r.error().contains("swapon"), r.error());
            assertTrue(
                    r.steps().contains("removed the partial " + partial),
                    r.steps().toString());
            assertFalse(Files.exists(partial), "no half-made swap file");
            assertFalse(inSwaps(partial));
        } finally {
            quietly("umount", mnt.toString());
            HostFixtures.deleteTree(dir);
        }
    }

    @Test
    void pinningReachesAProcessTreeAndIsReadBack() throws Exception {
        for (HostShell shell : shells()) {
            Process parent = new ProcessBuilder("sh", "-c", "sleep 60 & sleep 60 & wait").start();
            try {
                long pid = parent.pid();
                for (int i = 0; i < 50 && parent.children().count() < 2; i++) {
                    Thread.sleep(20);
                }
                List<Long> tree = new ArrayList<>(List.of(pid));
                parent.children().forEach(c -> tree.add(c.pid()));
                assertEquals(3, tree.size());
                List<RescuePlanner.Found> found =
                        RescuePlanner.select(RescuePlanner.processes(shell), List.of((int) pid), null);
                ShellResult r = gate().run(RescuePlanner.pin("h", found, 500, true), shell, Confirmation.yesFlag());
                assertTrue(
                        r.ok(),
                        r.error() + " tree " + tree + " via " + shell.getClass().getSimpleName() + " " + r.results());
                for (long p : tree) {
                    assertEquals(
                            "500",
                            Files.readString(Path.of("/proc/" + p + "/oom_score_adj"))
                                    .strip(),
                            "pid " + p);
                }
                // -1000 needs CAP_SYS_RESOURCE to lower the value: read back where allowed, a clear
                // refusal with nothing changed where not (some containers, this CI sandbox)
                ShellResult pinned =
                        gate().run(RescuePlanner.pin("h", found, -1000, true), shell, Confirmation.yesFlag());
                if (pinned.ok()) {
                    for (long p : tree) {
                        assertEquals(
                                "-1000",
                                Files.readString(Path.of("/proc/" + p + "/oom_score_adj"))
                                        .strip());
                    }
                } else {
                    assertTrue(
                            pinned.error().contains("CAP_SYS_RESOURCE")
                                    && pinned.error().contains("nothing was changed"),
                            pinned.error());
                    for (long p : tree) {
                        assertEquals(
                                "500",
                                Files.readString(Path.of("/proc/" + p + "/oom_score_adj"))
                                        .strip());
                    }
                }
                // a pid that now belongs to another process (different start time) is refused
                RescuePlanner.Found stale =
                        new RescuePlanner.Found((int) pid, found.get(0).startTime() + 1, "old");
                ShellResult refused =
                        gate().run(RescuePlanner.pin("h", List.of(stale), 700, false), shell, Confirmation.yesFlag());
                assertFalse(refused.ok());
                assertTrue(refused.error().contains("different process"), refused.error());
                assertNotEquals(
                        "700",
                        Files.readString(Path.of("/proc/" + pid + "/oom_score_adj"))
                                .strip());
            } finally {
                parent.descendants().forEach(ProcessHandle::destroyForcibly);
                parent.destroyForcibly();
                parent.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aSignalReachesOnlyTheProcessTheUserSawAndSaysWhatBecameOfIt() throws Exception {
        for (HostShell shell : shells()) {
            Process p = new ProcessBuilder("sleep", "62.5").start();
            try {
                List<RescuePlanner.Found> found =
                        RescuePlanner.select(RescuePlanner.processes(shell), List.of(), "^sleep 62\\.5$");
                assertEquals(1, found.size());
                RescuePlanner.Found f = found.get(0);
                // the same pid with another start time is another process now: nothing is sent
                RescuePlanner.Found stale = new RescuePlanner.Found(f.pid(), f.startTime() + 1, "old");
                ShellResult refused =
                        gate().run(RescuePlanner.signal("h", stale, "TERM"), shell, Confirmation.yesFlag());
                assertFalse(refused.ok());
                assertTrue(refused.error().contains("different process"), refused.error());
                assertTrue(p.isAlive());
                assertThrows(IllegalArgumentException.class, () -> RescuePlanner.signal("h", f, "SEGV; rm -rf /"));
                assertTrue(RescuePlanner.signal("h", f, "KILL").dangerous(), "KILL cannot be caught");
                assertFalse(RescuePlanner.signal("h", f, "TERM").dangerous());
                ShellResult stop = gate().run(RescuePlanner.signal("h", f, "STOP"), shell, Confirmation.yesFlag());
                assertTrue(stop.ok(), stop.error());
                assertEquals("T", state(p.pid()), "stopped");
                ShellResult cont = gate().run(RescuePlanner.signal("h", f, "CONT"), shell, Confirmation.yesFlag());
                assertTrue(cont.ok(), cont.error());
                assertNotEquals("T", state(p.pid()));
                ShellResult term = gate().run(RescuePlanner.signal("h", f, "TERM"), shell, Confirmation.yesFlag());
                assertTrue(term.ok(), term.error());
                assertTrue(p.waitFor(10, TimeUnit.SECONDS));
                assertEquals(143, p.exitValue());
                assertTrue(
                        term.results().contains("gone " + f.pid()),
                        term.results().toString());
                ShellResult gone = gate().run(RescuePlanner.signal("h", f, "TERM"), shell, Confirmation.yesFlag());
                assertFalse(gone.ok());
                assertTrue(gone.error().contains("already exited"), gone.error());
            } finally {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** The state letter of /proc/PID/stat ("4242 (sleep) T 1 ..."). */
    static String state(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[0];
    }

    @Test
    void matchFindsProcessesByCommandLineHere() throws Exception {
        Process p = new ProcessBuilder("sleep", "61.5").start();
        try {
            HostShell shell = shells().get(0);
            List<RescuePlanner.Found> found =
                    RescuePlanner.select(RescuePlanner.processes(shell), List.of(), "^sleep 61\\.5$");
            assertEquals(
                    List.of((int) p.pid()),
                    found.stream().map(RescuePlanner.Found::pid).toList());
            assertThrows(IllegalArgumentException.class, () -> RescuePlanner.select(List.of(), List.of(), "(unclosed"));
            assertThrows(IllegalArgumentException.class, () -> RescuePlanner.pin("h", List.of(), -1000, false));
        } finally {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void gcsfuseMountIsVerifiedInProcMountsAndUnmounted() throws Exception {
        assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/rclone")) && Files.exists(Path.of("/dev/fuse")),
                "the gcsfuse stand-in needs rclone and FUSE (run-tests installs them)");
        for (HostShell shell : shells()) {
            Path mp = tmp.resolve("gcs-" + shell.getClass().getSimpleName());
            try {
                ShellResult r = gate().run(
                                RescuePlanner.mount("h", "training-data", mp.toString(), List.of("allow_other")),
                                shell,
                                Confirmation.yesFlag());
                assertTrue(r.ok(), r.error() + " " + r.stderr());
                assertTrue(
                        r.results().get(0).startsWith("mounted training-data fuse."),
                        r.results().toString());
                assertTrue(Files.readAllLines(Path.of("/proc/mounts")).stream()
                        .anyMatch(l -> l.split(" ")[1].equals(mp.toString())));
                // the next snapshot of the host carries the mount (the host view lists it)
                io.colabtop.core.HostSnapshot snap = shell instanceof SshShell
                        ? new io.colabtop.ssh.RemoteSource(
                                        sshd.target("vm", tmp.resolve("kh"), KnownHostsVerifier.Policy.STRICT),
                                        5,
                                        Duration.ofSeconds(5),
                                        Duration.ofSeconds(1),
                                        InstantSource.system())
                                .poll()
                        : new io.colabtop.ssh.LocalSource(5, InstantSource.system()).poll();
                assertTrue(
                        snap.mounts()
                                .contains(
                                        new io.colabtop.core.MountEntry("training-data", mp.toString(), "fuse.rclone")),
                        snap.mounts().toString());
                ShellResult listed = shell.runAsRoot(HostScripts.listMounts(), Duration.ofSeconds(10));
                assertTrue(
                        listed.results().stream().anyMatch(x -> x.startsWith("mount training-data " + mp)),
                        listed.results().toString());
                ShellResult twice = gate().run(
                                RescuePlanner.mount("h", "training-data", mp.toString(), List.of()),
                                shell,
                                Confirmation.yesFlag());
                assertEquals(List.of("already-mounted"), twice.results());
                ShellResult other = gate().run(
                                RescuePlanner.mount("h", "other-bucket", mp.toString(), List.of()),
                                shell,
                                Confirmation.yesFlag());
                assertFalse(other.ok());
                assertTrue(other.error().contains("already a mount point"), other.error());
                ShellResult off = gate().run(RescuePlanner.umount("h", mp.toString()), shell, Confirmation.yesFlag());
                assertTrue(off.ok(), off.error());
                assertFalse(Files.readAllLines(Path.of("/proc/mounts")).stream()
                        .anyMatch(l -> l.split(" ")[1].equals(mp.toString())));
            } finally {
                quietly("fusermount3", "-u", mp.toString());
            }
        }
    }

    @Test
    void aMissingGcsfuseSaysHowToInstallIt() throws Exception {
        HostShell bare = new LocalProcess(Map.of("PATH", "/usr/bin:/bin"));
        ShellResult r = gate().run(
                        RescuePlanner.mount("h", "my-bucket", tmp.resolve("m").toString(), List.of()),
                        bare,
                        Confirmation.yesFlag());
        assertFalse(r.ok());
        assertTrue(r.results().contains("missing gcsfuse"));
        assertTrue(r.error().contains("gcsfuse is not installed"), r.error());
        assertFalse(Files.exists(tmp.resolve("m")), "nothing created");
    }

    @Test
    void everyActionIsAuditedWithOutcomeAndDuration() throws Exception {
        ActionGate g = gate();
        HostShell shell = shells().get(0);
        g.run(
                RescuePlanner.umount("h", tmp.resolve("never-mounted").toString()),
                shell,
                Confirmation.typed("tui", "h"));
        g.declined(RescuePlanner.swapOff("h", "/swapfile", "/etc/fstab"), "tui");
        assertThrows(
                HostException.class,
                () -> g.run(
                        RescuePlanner.swapOff("h", "/swapfile", "/etc/fstab"),
                        shell,
                        Confirmation.typed("tui", "wrong-host")),
                "a dangerous action needs the host name typed back");
        List<JsonNode> log = g.audit().tail(10);
        assertEquals(4, log.size());
        // the intent is written before the host is touched, the outcome after, under one id
        assertEquals("umount", log.get(0).get("action").asText());
        assertEquals("started", log.get(0).get("outcome").asText());
        assertFalse(log.get(0).has("durationMs"));
        assertEquals("umount", log.get(1).get("action").asText());
        assertEquals("ok", log.get(1).get("outcome").asText());
        assertEquals(log.get(0).get("id").asText(), log.get(1).get("id").asText());
        assertTrue(log.get(1).get("durationMs").asLong() >= 0);
        assertTrue(log.get(1).get("dangerous").asBoolean());
        assertTrue(log.get(1).get("plan").get(0).asText().startsWith("fusermount -u"));
        assertEquals("declined", log.get(2).get("outcome").asText());
        assertEquals("declined", log.get(3).get("outcome").asText());
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(g.audit().file())));
    }
}
