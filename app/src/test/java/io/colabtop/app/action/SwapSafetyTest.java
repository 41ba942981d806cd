package io.colabtop.app.action;

import static io.colabtop.app.action.HostFixtures.inSwaps;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Swap actions leave the host as it was whatever happens: the connection dropped or colabtop
 * killed mid-dd, two colabtops at once, a disk that filled since the plan, a path planted after
 * the plan (symlink, FIFO, another user's file, a directory others can write), swap --off on a
 * file that is not swap, an audit log that cannot be written. All on this machine for real: loop
 * file systems, a real sshd, real processes killed with SIGKILL.
 */
@HostTest
class SwapSafetyTest {
    static final Path LOCK = Path.of(HostScripts.SWAP_LOCK);
    static TestSshd sshd;
    static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "swap-safety-test");
        t.setDaemon(true);
        return t;
    });

    @TempDir
    Path tmp;

    final List<Process> children = new ArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "swap actions need root (CI runs as root)");
        if (TestSshd.available()) {
            sshd = TestSshd.start();
        }
    }

    @AfterAll
    static void tearDown() {
        if (sshd != null) {
            sshd.close();
        }
    }

    @AfterEach
    void killChildren() throws Exception {
        for (Process p : children) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    ActionGate gate() {
        return new ActionGate(new AuditLog(tmp.resolve("audit.log")), InstantSource.system());
    }

    SshShell ssh() throws Exception {
        assumeTrue(sshd != null, "needs OpenSSH's sshd (run-tests installs it)");
        Path kh = TestSshd.knownHosts(tmp.resolve("kh"), sshd);
        return new SshShell(sshd.target("vm", kh, KnownHostsVerifier.Policy.STRICT), Duration.ofSeconds(10));
    }

    static final HostShell LOCAL = new LocalProcess();

    // ---- hang-up: connection dropped, colabtop killed ----

    @Test
    void aConnectionDroppedMidDdLeavesNoFileAndNoSwap() throws Exception {
        SshShell ssh = ssh();
        // "sshd": only sshd's processes die (the network side of the session), the script's shell
        // lives on until it next writes; "session": every process of the session dies at once
        for (String kill : List.of("sshd", "session")) {
            try (HostFixtures.LoopFs fs = HostFixtures.LoopFs.make("ext2", 16)) {
                Path swap = fs.mount.resolve("swap");
                HostScript plan = RescuePlanner.swapOn(
                        "vm",
                        ssh,
                        8L << 30,
                        swap.toString(),
                        false,
                        tmp.resolve("fstab").toString());
                Future<ShellResult> run = POOL.submit(() -> gate().run(plan, ssh, Confirmation.yesFlag()));
                long atKill = waitForDd(swap);
                killSessions(kill.equals("session"));
                ExecutionException e = assertThrows(ExecutionException.class, () -> run.get(60, TimeUnit.SECONDS));
                assertInstanceOf(HostException.class, e.getCause(), "colabtop sees the connection go");
                assertTrue(atKill < 8L << 30, "killed mid-write: " + atKill + " bytes of 8 GiB");
                assertLeftAsItWas(swap, kill);
            }
        }
    }

    @Test
    void colabtopKilledMidDdLeavesNoFileAndNoSwapHereOrOverSsh() throws Exception {
        List<String> hosts = new ArrayList<>(List.of("local"));
        Path sshConfig = null;
        if (sshd != null) {
            hosts.add("vm");
            sshConfig = Files.writeString(
                    tmp.resolve("ssh_config"),
                    String.join(
                            "\n",
                            "Host vm",
                            "  HostName 127.0.0.1",
                            "  Port " + sshd.port(),
                            "  User root",
                            "  IdentityFile " + TestSshd.clientKey(),
                            "  UserKnownHostsFile " + TestSshd.knownHosts(tmp.resolve("kh-cli"), sshd),
                            ""));
        }
        for (String host : hosts) {
            try (HostFixtures.LoopFs fs = HostFixtures.LoopFs.make("ext2", 16)) {
                Path swap = fs.mount.resolve("swap");
                List<String> cmd = new ArrayList<>(List.of(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "io.colabtop.app.cli.Main",
                        "swap",
                        host,
                        "--size",
                        "8G",
                        "--path",
                        swap.toString(),
                        "--yes"));
                if (sshConfig != null) {
                    cmd.addAll(List.of("--ssh-config", sshConfig.toString()));
                }
                Process colabtop = new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(tmp.resolve("colabtop-" + host + ".out").toFile())
                        .start();
                children.add(colabtop);
                long atKill = waitForDd(swap);
                colabtop.destroyForcibly(); // SIGKILL: no shutdown hook, nothing of colabtop's runs
                assertTrue(colabtop.waitFor(10, TimeUnit.SECONDS));
                assertTrue(atKill < 8L << 30, "killed mid-write");
                assertLeftAsItWas(swap, "colabtop killed (" + host + ")");
            }
        }
    }

    /** Waits until dd is writing the file (and it has some size); returns the size seen. */
    static long waitForDd(Path swap) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < until) {
            long size = Files.exists(swap) ? Files.size(swap) : 0;
            if (size > 64L << 20 && !processesWith("dd", "of=" + swap).isEmpty()) {
                return size;
            }
            Thread.sleep(5);
        }
        fail("dd never started writing " + swap);
        return -1;
    }

    /** SIGKILLs every session of our sshd: its sshd processes, and with {@code all} the session's shells too. */
    static void killSessions(boolean all) {
        ProcessHandle listener = ProcessHandle.of(sshd.pid()).orElseThrow();
        List<ProcessHandle> victims = new ArrayList<>();
        listener.children().forEach(c -> {
            victims.add(c);
            c.descendants().forEach(victims::add);
        });
        for (ProcessHandle p : victims) {
            boolean isSshd = p.info().command().map(c -> c.endsWith("/sshd")).orElse(false);
            if (all || isSshd) {
                p.destroyForcibly();
            }
        }
    }

    /** No file, no swap, no lock, no worker or dd left (within 30 s: the worker notices within a second). */
    static void assertLeftAsItWas(Path swap, String how) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < until
                && (Files.exists(swap, LinkOption.NOFOLLOW_LINKS)
                        || Files.exists(LOCK)
                        || !processesWith("colabtop-swap-worker", swap.toString())
                                .isEmpty())) {
            Thread.sleep(50);
        }
        assertFalse(Files.exists(swap, LinkOption.NOFOLLOW_LINKS), how + ": the partial swap file is gone");
        assertFalse(inSwaps(swap), how + ": no swap active");
        assertFalse(Files.exists(LOCK), how + ": the lock is released");
        assertEquals(List.of(), processesWith("colabtop-swap-worker", swap.toString()), how + ": no worker left");
        assertEquals(List.of(), processesWith("dd", "of=" + swap), how + ": no dd left");
    }

    /** Pids whose command line holds every one of {@code parts} (as whole arguments or inside one). */
    static List<Long> processesWith(String... parts) throws IOException {
        List<Long> out = new ArrayList<>();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(d -> d.getFileName().toString().matches("\\d+"))
                    .toList()) {
                String cmd;
                try {
                    cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ');
                } catch (IOException gone) {
                    continue;
                }
                boolean all = !cmd.isEmpty();
                for (String part : parts) {
                    all &= part.equals("dd") ? cmd.startsWith("dd ") : cmd.contains(part);
                }
                if (all
                        && Long.parseLong(p.getFileName().toString())
                                != ProcessHandle.current().pid()) {
                    out.add(Long.parseLong(p.getFileName().toString()));
                }
            }
        }
        return out;
    }

    // ---- the lock ----

    @Test
    void twoColabtopsAtOnceNeverBothActAndNeitherUndoesTheOther() throws Exception {
        SshShell a = ssh();
        SshShell b = ssh();
        try (HostFixtures.LoopFs fs = HostFixtures.LoopFs.make("ext2", 16)) {
            Path swap = fs.mount.resolve("swap");
            String fstab = tmp.resolve("fstab").toString();
            // two runs started together on the same path: one works, the other is refused
            HostScript planA = RescuePlanner.swapOn("vm", a, 8L << 30, swap.toString(), false, fstab);
            HostScript planB = RescuePlanner.swapOn("vm", b, 8L << 30, swap.toString(), false, fstab);
            CountDownLatch go = new CountDownLatch(1);
            Callable<ShellResult> runA = () -> {
                go.await();
                return gate().run(planA, a, Confirmation.yesFlag());
            };
            Callable<ShellResult> runB = () -> {
                go.await();
                return gate().run(planB, b, Confirmation.yesFlag());
            };
            Future<ShellResult> fa = POOL.submit(runA);
            Future<ShellResult> fb = POOL.submit(runB);
            go.countDown();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!fa.isDone() && !fb.isDone() && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            Future<ShellResult> loser = fa.isDone() ? fa : fb;
            ShellResult refused = loser.get(1, TimeUnit.SECONDS);
            assertFalse(refused.ok());
            assertTrue(
                    refused.error()
                            .matches(
                                    "another colabtop is creating swap at " + swap
                                            + " \\(pid \\d+ since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d .*\\): wait for it, or stop that pid"),
                    refused.error());
            waitForDd(swap);

            // while the winner writes, neither another swap-on nor a swap --off here touches its file
            ShellResult on = gate().run(
                            RescuePlanner.swapOn("local", LOCAL, 256L << 20, swap.toString(), false, fstab),
                            LOCAL,
                            Confirmation.yesFlag());
            assertTrue(
                    on.error() != null && on.error().startsWith("another colabtop is creating swap at " + swap),
                    on.error());
            long before = Files.size(swap);
            ShellResult off =
                    gate().run(RescuePlanner.swapOff("local", swap.toString(), fstab), LOCAL, Confirmation.yesFlag());
            assertFalse(off.ok());
            assertTrue(off.error().startsWith("another colabtop is creating swap at " + swap), off.error());
            assertTrue(Files.exists(swap), "the other colabtop's file is still there");
            Thread.sleep(300);
            assertTrue(Files.size(swap) > before, "and still being written");

            killSessions(true);
            assertLeftAsItWas(swap, "the winner's connection killed");
            // the lock was released: a swap here now works (dd, as ext2 has no fallocate)
            ShellResult small = gate().run(
                            RescuePlanner.swapOn("local", LOCAL, 256L << 20, swap.toString(), false, fstab),
                            LOCAL,
                            Confirmation.yesFlag());
            assertTrue(small.ok(), small.error());
            assertTrue(
                    small.steps().contains("fallocate is not supported here; writing zeros with dd"),
                    small.steps().toString());
            assertTrue(inSwaps(swap));
            assertTrue(gate().run(RescuePlanner.swapOff("local", swap.toString(), fstab), LOCAL, Confirmation.yesFlag())
                    .ok());
            assertFalse(Files.exists(swap));
        }
    }

    @Test
    void aLockOfALiveProcessRefusesAndALockOfADeadOneIsTakenOver() throws Exception {
        Path dir = HostFixtures.rootOnlyDir("lock");
        Path swap = dir.resolve("swap");
        assumeTrue(!Files.exists(LOCK), "another swap action is running on this machine");
        try {
            // held by a live process (this JVM, with its real start time): refused, named
            long me = ProcessHandle.current().pid();
            String start = startTime(me);
            writeLock(me + " " + start + " 1700000000 creating /some/where/else");
            HostScript plan = RescuePlanner.swapOn("local", LOCAL, 256L << 20, swap.toString(), false, "/etc/fstab");
            ShellResult held = gate().run(plan, LOCAL, Confirmation.yesFlag());
            assertFalse(held.ok());
            assertTrue(
                    held.error()
                            .matches("another colabtop is creating swap at /some/where/else \\(pid " + me
                                    + " since 2023-11-1[45] .*\\): wait for it, or stop that pid"),
                    held.error());
            assertFalse(Files.exists(swap));
            // the same pid with another start time is a reused pid: the holder is gone
            String stale = me + " " + (Long.parseLong(start) + 1) + " 1700000000 creating " + swap;
            writeLock(stale);
            ShellResult taken = gate().run(plan, LOCAL, Confirmation.yesFlag());
            assertTrue(taken.ok(), taken.error());
            assertTrue(
                    taken.steps().contains("took over the lock of a colabtop that is gone (" + stale + ")"),
                    taken.steps().toString());
            assertTrue(inSwaps(swap));
            assertFalse(Files.exists(LOCK), "released after the action");
            assertTrue(gate().run(
                            RescuePlanner.swapOff(
                                    "local",
                                    swap.toString(),
                                    tmp.resolve("fstab").toString()),
                            LOCAL,
                            Confirmation.yesFlag())
                    .ok());
        } finally {
            HostFixtures.scrub(swap);
            HostFixtures.deleteTree(dir);
            if (Files.exists(LOCK.resolve("owner"))
                    && Files.readString(LOCK.resolve("owner"))
                            .startsWith(ProcessHandle.current().pid() + " ")) {
                HostFixtures.deleteTree(LOCK);
            }
        }
    }

    static String startTime(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return stat.substring(stat.lastIndexOf(") ") + 2).split(" ")[19];
    }

    static void writeLock(String owner) throws IOException {
        Files.createDirectories(LOCK);
        Files.writeString(LOCK.resolve("owner"), owner + "\n");
    }

    // ---- the disk reserve, at run time ----

    @Test
    void aDiskThatFilledSinceThePlanIsRefusedAtRunTime() throws Exception {
        try (HostFixtures.LoopFs fs = HostFixtures.LoopFs.make("ext4", 8)) {
            Path swap = fs.mount.resolve("swap");
            HostScript plan = RescuePlanner.swapOn("local", LOCAL, 1L << 30, swap.toString(), false, "/etc/fstab");
            long fsSize = Files.getFileStore(fs.mount).getTotalSpace();
            long reserve = SwapSizing.reserve(fsSize);
            assertEquals(5L << 30, reserve);
            // another process fills the disk after the plan: free space minus the swap file would
            // now break the 5 GiB reserve
            long filler = fs.availBytes() - reserve - (512L << 20);
            HostFixtures.must(
                    "fallocate",
                    "-l",
                    Long.toString(filler),
                    fs.mount.resolve("filler").toString());
            ShellResult r = gate().run(plan, LOCAL, Confirmation.yesFlag());
            assertFalse(r.ok());
            assertTrue(
                    r.error().contains("MiB free on " + fs.mount + " now (the plan saw ")
                            && r.error()
                                    .contains(
                                            "a 1024 MiB swap file would leave less than the 5120 MiB the disk keeps free; nothing was created"),
                    r.error());
            assertFalse(Files.exists(swap));
            assertFalse(inSwaps(swap));
        }
    }

    // ---- paths planted after the plan: checked on the host at run time ----

    @Test
    void linksFifosOtherUsersFilesAndDirectoriesOthersCanWriteAreRefusedAtRunTime() throws Exception {
        Path dir = HostFixtures.rootOnlyDir("paths");
        try {
            Path passwd = Files.copy(Path.of("/etc/passwd"), dir.resolve("passwd-copy"));
            byte[] passwdBytes = Files.readAllBytes(passwd);
            Path nobodysSwap = dir.resolve("nobodys-swap");
            HostFixtures.must("dd", "if=/dev/zero", "of=" + nobodysSwap, "bs=1M", "count=256", "status=none");
            HostFixtures.must("mkswap", nobodysSwap.toString());
            HostFixtures.must("chown", "nobody", nobodysSwap.toString());

            // a symlink to a file root must not overwrite
            Path link = dir.resolve("to-passwd");
            HostScript plan = plan(link);
            Files.createSymbolicLink(link, passwd);
            assertRefused(plan, link, "is a symbolic link");
            assertArrayEquals(passwdBytes, Files.readAllBytes(passwd));

            // a dangling symlink: root would create the file it points to
            Path dangling = dir.resolve("dangling");
            Path victim = dir.resolve("victim");
            plan = plan(dangling);
            Files.createSymbolicLink(dangling, victim);
            assertRefused(plan, dangling, "is a symbolic link");
            assertFalse(Files.exists(victim, LinkOption.NOFOLLOW_LINKS), "nothing created through the link");

            // a symlink to another user's swap file of the planned size: root would activate it
            Path toSwap = dir.resolve("to-swap");
            plan = plan(toSwap);
            Files.createSymbolicLink(toSwap, nobodysSwap);
            assertRefused(plan, toSwap, "is a symbolic link");
            assertFalse(inSwaps(nobodysSwap));

            // another user's swap file, right there: never activated
            Path owned = dir.resolve("owned");
            plan = plan(owned);
            Files.move(nobodysSwap, owned);
            assertRefused(plan, owned, "belongs to uid 65534, not root");
            assertFalse(inSwaps(owned));
            assertEquals("nobody", Files.getOwner(owned).getName());

            // a FIFO: refused at once, never opened (reading it would block until the timeout)
            Path fifo = dir.resolve("fifo");
            plan = plan(fifo);
            HostFixtures.must("mkfifo", fifo.toString());
            long t0 = System.nanoTime();
            assertRefused(plan, fifo, "is not a regular file");
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30), "no blocking on the FIFO");
            assertTrue(
                    Files.readAttributes(fifo, java.nio.file.attribute.BasicFileAttributes.class)
                            .isOther(),
                    "the FIFO is left as it was");

            // directories others can change: world-writable sticky (like /tmp), group-writable, another user's
            for (String[] d :
                    new String[][] {{"sticky", "1777", "root"}, {"group", "775", "root"}, {"users", "755", "nobody"}}) {
                Path sub = Files.createDirectory(dir.resolve(d[0]));
                HostFixtures.must("chmod", d[1], sub.toString());
                HostFixtures.must("chown", d[2], sub.toString());
                Path swap = sub.resolve("swap");
                // the plan refuses (advisory) ...
                HostException e = assertThrows(
                        HostException.class,
                        () -> RescuePlanner.swapOn("local", LOCAL, 256L << 20, swap.toString(), false, "/etc/fstab"));
                assertTrue(e.getMessage().contains("the directory " + sub), e.getMessage());
                // ... and so does the script itself, run without a plan
                ShellResult r = LOCAL.runAsRoot(
                        HostScripts.swapOn(swap.toString(), 256L << 20, false, "/etc/fstab", 5L << 30, 0),
                        Duration.ofSeconds(60));
                assertFalse(r.ok());
                assertTrue(
                        r.error()
                                .startsWith("the directory " + sub
                                        + (d[2].equals("root")
                                                ? " is writable by group or others (mode " + d[1] + ")"
                                                : " belongs to uid 65534, not root")),
                        r.error());
                assertFalse(Files.exists(swap));
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    HostFixtures.sh("swapoff", p.toString());
                }
            }
            HostFixtures.deleteTree(dir);
        }
    }

    /** A plan made while nothing is at the path: 256 MiB, so an existing 256 MiB swap file would be reused. */
    HostScript plan(Path path) throws Exception {
        assertFalse(Files.exists(path, LinkOption.NOFOLLOW_LINKS));
        HostScript p = RescuePlanner.swapOn("local", LOCAL, 256L << 20, path.toString(), false, "/etc/fstab");
        // a bounded timeout: the old script blocked 15 minutes on a FIFO
        return new HostScript(p.host(), p.name(), p.summary(), p.script(), p.dangerous(), Duration.ofSeconds(60));
    }

    void assertRefused(HostScript plan, Path path, String why) throws Exception {
        for (HostShell shell : sshd == null ? List.of(LOCAL) : List.of(LOCAL, ssh())) {
            ShellResult r = gate().run(plan, shell, Confirmation.yesFlag());
            assertFalse(r.ok(), path + " via " + shell.getClass().getSimpleName());
            assertTrue(
                    r.error().startsWith(path + " " + why) && r.error().endsWith("; nothing was changed"), r.error());
            assertFalse(
                    r.results().contains("active") || r.results().contains("reused"),
                    r.results().toString());
        }
    }

    // ---- swap --off only removes swap ----

    @Test
    void swapOffRefusesWhatIsNotSwapAndLeavesFileAndFstabUntouched() throws Exception {
        Path dir = HostFixtures.rootOnlyDir("off");
        try {
            Path copy = Files.copy(Path.of("/etc/passwd"), dir.resolve("passwd-copy"));
            byte[] bytes = Files.readAllBytes(copy);
            String fstabText = "UUID=abc / ext4 defaults 0 1\n" + copy + " none swap sw 0 0\n";
            Path fstab = Files.writeString(dir.resolve("fstab"), fstabText);
            ShellResult r = gate().run(
                            RescuePlanner.swapOff("local", copy.toString(), fstab.toString()),
                            LOCAL,
                            Confirmation.yesFlag());
            assertFalse(r.ok());
            assertEquals(
                    copy + " is neither an active swap area nor a swap file (no SWAPSPACE2 at byte " + (pageSize() - 10)
                            + "): refusing to remove it; nothing was changed",
                    r.error());
            assertArrayEquals(bytes, Files.readAllBytes(copy));
            assertEquals(fstabText, Files.readString(fstab));
            io.colabtop.app.cli.CliTest.Run cli = io.colabtop.app.cli.CliTest.run(
                    "swap", "local", "--off", copy.toString(), "--fstab", fstab.toString(), "--yes");
            assertEquals(1, cli.code(), cli.out() + cli.err());
            assertTrue(cli.err().contains("is neither an active swap area nor a swap file"), cli.err());
            assertArrayEquals(bytes, Files.readAllBytes(copy));
            assertEquals(fstabText, Files.readString(fstab));

            // a FIFO and a link to a swap file: refused, untouched
            Path fifo = dir.resolve("fifo");
            HostFixtures.must("mkfifo", fifo.toString());
            ShellResult f = gate().run(
                            RescuePlanner.swapOff("local", fifo.toString(), fstab.toString()),
                            LOCAL,
                            Confirmation.yesFlag());
            assertTrue(f.error().startsWith(fifo + " is not a regular file"), f.error());
            assertTrue(Files.exists(fifo));
            Path swap = dir.resolve("swap");
            HostFixtures.must("dd", "if=/dev/zero", "of=" + swap, "bs=1M", "count=64", "status=none");
            HostFixtures.must("mkswap", swap.toString());
            Path link = Files.createSymbolicLink(dir.resolve("link"), swap);
            ShellResult l = gate().run(
                            RescuePlanner.swapOff("local", link.toString(), fstab.toString()),
                            LOCAL,
                            Confirmation.yesFlag());
            assertTrue(l.error().startsWith(link + " is a symbolic link"), l.error());
            assertTrue(Files.exists(swap) && Files.isSymbolicLink(link));

            // an inactive swap file (the signature is there) is removed, with its swap line
            Files.writeString(fstab, fstabText + swap + " none swap sw 0 0\n");
            ShellResult ok = gate().run(
                            RescuePlanner.swapOff("local", swap.toString(), fstab.toString()),
                            LOCAL,
                            Confirmation.yesFlag());
            assertTrue(ok.ok(), ok.error());
            assertFalse(Files.exists(swap));
            assertEquals(fstabText, Files.readString(fstab));
        } finally {
            HostFixtures.deleteTree(dir);
        }
    }

    static int pageSize() throws Exception {
        return Integer.parseInt(HostFixtures.sh("getconf", "PAGESIZE").out().strip());
    }

    // ---- no audit record, no action ----

    @Test
    void anAuditLogThatCannotBeWrittenStopsTheActionBeforeTheHostIsTouched() throws Exception {
        Path dir = HostFixtures.rootOnlyDir("audit");
        try {
            Path swap = dir.resolve("swap");
            HostScript plan = RescuePlanner.swapOn("local", LOCAL, 256L << 20, swap.toString(), false, "/etc/fstab");
            // root ignores file modes; a path under a regular file cannot be created by anyone
            Path notADir = Files.writeString(tmp.resolve("state"), "a file, not a directory\n");
            ActionGate gate =
                    new ActionGate(new AuditLog(notADir.resolve("colabtop/audit.log")), InstantSource.system());
            IOException e = assertThrows(IOException.class, () -> gate.run(plan, LOCAL, Confirmation.yesFlag()));
            assertTrue(
                    e.getMessage()
                            .startsWith("not run: every action is written to the audit log before it runs, and "
                                    + notADir.resolve("colabtop/audit.log") + " cannot be written"),
                    e.getMessage());
            assertFalse(Files.exists(swap), "the host was not touched");
            assertFalse(inSwaps(swap));
        } finally {
            HostFixtures.scrub(dir.resolve("swap"));
            HostFixtures.deleteTree(dir);
        }
    }
}
