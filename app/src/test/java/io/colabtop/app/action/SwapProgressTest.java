package io.colabtop.app.action;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.colabtop.core.action.ActionCancelledException;
import io.colabtop.core.action.Confirmation;
import io.colabtop.core.action.HostScript;
import io.colabtop.core.action.HostShell;
import io.colabtop.core.action.Progress;
import io.colabtop.core.action.ShellResult;
import io.colabtop.core.action.ShellWatch;
import io.colabtop.ssh.KnownHostsVerifier;
import io.colabtop.ssh.LocalProcess;
import io.colabtop.ssh.SshShell;
import io.colabtop.ssh.TestSshd;
import io.colabtop.testing.HostTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Long swap creation, for real: dd on file systems without fallocate reports how far it has got
 * while it writes, and cancelling (here, and through a real sshd) stops it and leaves nothing
 * behind on the host: no file, no swap, no lock, no state directory.
 */
@HostTest
class SwapProgressTest {
    static TestSshd sshd;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "swap needs root (CI runs as root)");
        if (TestSshd.available()) {
            sshd = TestSshd.start(List.of());
        }
    }

    @AfterAll
    static void tearDown() {
        if (sshd != null) {
            sshd.close();
        }
    }

    List<HostShell> shells() throws Exception {
        List<HostShell> s = new ArrayList<>();
        s.add(new LocalProcess());
        if (sshd != null) {
            Path kh = TestSshd.knownHosts(tmp.resolve("kh-" + s.size()), sshd);
            s.add(new SshShell(sshd.target("vm", kh, KnownHostsVerifier.Policy.STRICT), Duration.ofSeconds(10)));
        }
        return s;
    }

    /** Records progress; cancels once dd has written {@code cancelAt} bytes (never when 0). */
    static final class Watch implements ShellWatch {
        final List<Progress> seen = new CopyOnWriteArrayList<>();
        final AtomicBoolean cancel = new AtomicBoolean();
        final long cancelAt;

        Watch(long cancelAt) {
            this.cancelAt = cancelAt;
        }

        @Override
        public void progress(Progress p) {
            seen.add(p);
            if (cancelAt > 0 && p.phase().equals("zeros") && p.done() >= cancelAt) {
                cancel.set(true);
            }
        }

        @Override
        public boolean cancelled() {
            return cancel.get();
        }
    }

    @Test
    void ddOnADiskWithoutFallocateReportsItsBytesAsItWrites() throws Exception {
        try (HostFixtures.LoopFs fs = HostFixtures.LoopFs.make("ext2", 16)) {
            Path swap = fs.mount.resolve("swapfile");
            HostShell shell = new LocalProcess();
            try {
                HostScript plan = RescuePlanner.swapOn("h", shell, 1L << 30, swap.toString(), false, "/dev/null");
                Watch w = new Watch(0);
                ShellResult r = new ActionGate(new AuditLog(tmp.resolve("audit.log")), InstantSource.system())
                        .run(plan, shell, Confirmation.yesFlag(), w);
                assertTrue(r.ok(), r.error());
                assertTrue(
                        r.steps().stream().anyMatch(s -> s.contains("writing zeros with dd")),
                        r.steps().toString());
                List<String> phases =
                        w.seen.stream().map(Progress::phase).distinct().toList();
                assertTrue(phases.contains("zeros"), "dd's progress was seen: " + w.seen);
                long last = -1;
                for (Progress p : w.seen) {
                    assertEquals(1L << 30, p.total());
                    if (p.phase().equals("zeros")) {
                        assertTrue(p.done() >= last, "bytes only grow: " + w.seen);
                        last = p.done();
                    }
                }
                assertTrue(HostFixtures.inSwaps(swap));
            } finally {
                HostFixtures.scrub(swap);
            }
        }
    }

    @Test
    void cancellingStopsDdAndTheHostRemovesThePartialFile() throws Exception {
        try (HostFixtures.SlowFs fs = HostFixtures.SlowFs.make(16)) {
            for (HostShell shell : shells()) {
                Path swap = fs.mount.resolve("swap-" + shell.getClass().getSimpleName());
                Path audit = tmp.resolve("audit-" + shell.getClass().getSimpleName() + ".log");
                try {
                    HostScript plan = RescuePlanner.swapOn("h", shell, 512L << 20, swap.toString(), false, "/dev/null");
                    Watch w = new Watch(32L << 20);
                    long t0 = System.nanoTime();
                    ActionCancelledException e = assertThrows(
                            ActionCancelledException.class,
                            () -> new ActionGate(new AuditLog(audit), InstantSource.system())
                                    .run(plan, shell, Confirmation.yesFlag(), w));
                    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                    assertTrue(e.getMessage().startsWith("cancelled"), e.getMessage());
                    assertTrue(ms < 25_000, "512 MiB at 16 MiB/s would take 32 s; it stopped at 32 MiB: " + ms);
                    assertTrue(
                            w.seen.stream().anyMatch(p -> p.phase().equals("zeros") && p.done() > 0),
                            w.seen.toString());
                    // the worker sees its relay go within a nap, stops dd and removes the file
                    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    Path lock = Path.of("/run/colabtop-swap.lock");
                    while ((Files.exists(swap) || Files.exists(lock)) && System.nanoTime() < until) {
                        Thread.sleep(50);
                    }
                    assertFalse(Files.exists(swap), "the partial file is gone");
                    assertFalse(HostFixtures.inSwaps(swap));
                    assertTrue(noWorkerLeft(), "no dd and no worker left running");
                    assertFalse(Files.exists(Path.of("/run/colabtop-swap.lock")), "the lock is released");
                    try (var st = Files.list(Path.of("/run"))) {
                        assertTrue(
                                st.noneMatch(p -> p.getFileName().toString().startsWith("colabtop-swap.")),
                                "no state directory left");
                    }
                    String log = Files.readString(audit);
                    assertTrue(log.contains("\"outcome\":\"cancelled\""), log);
                } finally {
                    HostFixtures.scrub(swap);
                }
            }
        }
    }

    /** Waits a little for the worker to finish its cleanup; true when none is left. */
    static boolean noWorkerLeft() throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            boolean any = ProcessHandle.allProcesses()
                    .anyMatch(p -> p.info().commandLine().orElse("").contains("colabtop-swap-worker"));
            if (!any) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }
}
