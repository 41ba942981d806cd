package io.colabtop.bench;

import io.colabtop.app.action.ActionGate;
import io.colabtop.app.action.AuditLog;
import io.colabtop.app.action.RescuePlanner;
import io.colabtop.core.action.Confirmation;
import io.colabtop.core.action.HostScript;
import io.colabtop.core.action.HostShell;
import io.colabtop.core.action.ShellResult;
import io.colabtop.ssh.KnownHostsVerifier;
import io.colabtop.ssh.LocalProcess;
import io.colabtop.ssh.SshShell;
import io.colabtop.ssh.TestSshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Locale;

/**
 * Issue 4's figure: time from confirm to swap active (the gate runs the script: fallocate,
 * chmod, mkswap, swapon, verified in /proc/swaps) for 1 GiB and 8 GiB, on this machine and over
 * SSH to a real sshd on loopback; then swapoff and removal, timed too. Needs root.
 */
public final class SwapBench {
    private SwapBench() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory(Path.of(args.length > 0 ? args[0] : "/var/lib"), "colabtop-swapbench");
        ActionGate gate = new ActionGate(new AuditLog(dir.resolve("audit.log")), InstantSource.system());
        try (TestSshd sshd = TestSshd.start()) {
            Path kh = TestSshd.knownHosts(dir.resolve("kh"), sshd);
            HostShell[] shells = {
                new LocalProcess(),
                new SshShell(sshd.target("ssh", kh, KnownHostsVerifier.Policy.STRICT), Duration.ofSeconds(10))
            };
            String[] names = {"local", "ssh (loopback sshd)"};
            System.out.printf(
                    "file system of %s: %s%n", dir, Files.getFileStore(dir).type());
            System.out.println("| where | size | confirm -> active (ms) | swapoff + rm (ms) |");
            System.out.println("|---|---|---|---|");
            for (int i = 0; i < shells.length; i++) {
                for (long gib : new long[] {1, 8}) {
                    Path swap = dir.resolve("swap-" + i + "-" + gib);
                    HostScript plan =
                            RescuePlanner.swapOn(names[i], shells[i], gib << 30, swap.toString(), false, "/etc/fstab");
                    long t0 = System.nanoTime();
                    ShellResult on = gate.run(plan, shells[i], Confirmation.yesFlag());
                    double onMs = (System.nanoTime() - t0) / 1e6;
                    if (!on.ok()) {
                        System.out.println("failed: " + on.error());
                        continue;
                    }
                    long t1 = System.nanoTime();
                    ShellResult off = gate.run(
                            RescuePlanner.swapOff(
                                    names[i],
                                    swap.toString(),
                                    dir.resolve("fstab").toString()),
                            shells[i],
                            Confirmation.yesFlag());
                    double offMs = (System.nanoTime() - t1) / 1e6;
                    System.out.printf(
                            Locale.ROOT,
                            "| %s | %d GiB | %.0f | %.0f%s |%n",
                            names[i],
                            gib,
                            onMs,
                            offMs,
                            off.ok() ? "" : " (failed: " + off.error() + ")");
                }
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }
}
