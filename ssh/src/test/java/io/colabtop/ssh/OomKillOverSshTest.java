package io.colabtop.ssh;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.colabtop.core.HostSnapshot;
import io.colabtop.core.oom.OomEvent;
import io.colabtop.core.oom.OomReport;
import io.colabtop.testing.HostTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real kernel OOM kill on a host watched over real sshd: a dd in a memory cgroup limited to
 * 32 MiB is killed by the kernel, and the probe finds it within two ticks (the tick that sees
 * /proc/vmstat's oom_kill move asks for the log on the next) in whatever log this machine offers.
 */
@HostTest
class OomKillOverSshTest {
    static TestSshd sshd;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startServer() throws Exception {
        assumeTrue(TestSshd.available(), "needs OpenSSH server (run-tests installs it)");
        sshd = TestSshd.start();
    }

    @AfterAll
    static void stopServer() {
        if (sshd != null) {
            sshd.close();
        }
    }

    @Test
    void aRealKernelOomKillIsFoundWithinTwoTicksWithKillerVictimAndRss() throws Exception {
        try (RemoteSource src = new RemoteSource(
                        sshd.target(
                                "vm1", TestSshd.knownHosts(tmp.resolve("kh"), sshd), KnownHostsVerifier.Policy.STRICT),
                        20,
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(1),
                        InstantSource.system());
                OomCgroup cg = OomCgroup.create(32L << 20)) {
            HostSnapshot connected = src.poll();
            OomReport before = connected.oom();
            assertNotNull(before.killsSinceBoot(), "this kernel has /proc/vmstat oom_kill");
            assertEquals(
                    Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip(), before.bootId());
            assertNotNull(before.source(), "the log is read on connect");
            assertNotNull(before.oomd(), "and oomd's state");
            long pid = cg.runHogUntilKilled(256L << 20, Duration.ofSeconds(60));

            HostSnapshot tick1 = src.poll();
            assertTrue(
                    tick1.oom().killsSinceBoot() > before.killsSinceBoot(),
                    "the counter moved: " + before.killsSinceBoot() + " -> "
                            + tick1.oom().killsSinceBoot());
            HostSnapshot tick2 = src.poll();
            OomReport r = tick2.oom();
            assertTrue(
                    List.of("journal", "kern.log", "dmesg").contains(r.source()),
                    "read from " + r.source() + " (" + r.sourceNote() + ")");
            OomEvent e = r.events().stream()
                    .filter(x -> Long.valueOf(pid).equals(x.pid() == null ? null : (long) x.pid()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("kill of " + pid + " not in " + r.events() + " from "
                            + r.source() + " (" + r.sourceNote() + ")"));
            assertEquals(OomEvent.Killer.KERNEL, e.killer());
            assertEquals("dd", e.command().exact());
            assertEquals(OomEvent.Constraint.CGROUP_LIMIT, e.constraint(), "a cgroup's limit, not the host");
            assertEquals(cg.path(), e.limitCgroup().exact(), "names the cgroup whose limit was hit");
            assertTrue(e.rssBytes() > (16L << 20) && e.rssBytes() < (64L << 20), "RSS at death: " + e.rssBytes());
            assertEquals(0, e.uid());
            assertNotNull(e.time(), "dated");
            assertTrue(
                    Duration.between(e.time(), tick2.takenAt()).abs().compareTo(Duration.ofMinutes(5)) < 0,
                    "dated near now: " + e.time() + " vs " + tick2.takenAt());
            HostSnapshot tick3 = src.poll();
            assertEquals(r.events(), tick3.oom().events(), "carried while the counter stays");
        }
    }
}
