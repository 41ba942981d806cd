package io.colabtop.bench;

import io.colabtop.ssh.SshTargetResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * Issue 15: resolving N hosts through one ssh_config (a bastion, 40 Host blocks, Host *), as a run
 * resolves its fleet: the first run of the JVM (cold) and the median of 9 more, each with a new
 * resolver (a new run).
 *
 * <p>Usage: SshConfigBench [HOSTS] (default 100).
 */
public final class SshConfigBench {
    private SshConfigBench() {}

    public static void main(String[] args) throws Exception {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        Path home = Files.createTempDirectory("colabtop-sshconfig-bench");
        try {
            Files.createDirectories(home.resolve(".ssh"));
            StringBuilder cfg = new StringBuilder("Host bastion\n  HostName 192.0.2.1\n  User jump\n");
            for (int i = 0; i < 40; i++) {
                cfg.append("Host team").append(i).append("-*\n  User u").append(i);
                cfg.append("\n  IdentityFile ~/.ssh/k").append(i).append('\n');
            }
            cfg.append("Host *\n  ServerAliveInterval 30\n  StrictHostKeyChecking accept-new\n");
            Path file = Files.writeString(home.resolve(".ssh/config"), cfg);
            double[] ms = new double[10];
            for (int round = 0; round < ms.length; round++) {
                long t0 = System.nanoTime();
                SshTargetResolver r = new SshTargetResolver(file, home, "me", Duration.ofSeconds(10), w -> {});
                for (int h = 0; h < hosts; h++) {
                    r.resolve("team" + (h % 40) + "-vm" + h);
                }
                ms[round] = (System.nanoTime() - t0) / 1e6;
            }
            double cold = ms[0];
            double[] warm = Arrays.copyOfRange(ms, 1, ms.length);
            Arrays.sort(warm);
            System.out.printf(
                    "ssh_config, %d hosts resolved: first %.1f ms, then median %.1f ms (min %.1f, max %.1f)%n",
                    hosts, cold, warm[warm.length / 2], warm[0], warm[warm.length - 1]);
        } finally {
            try (var s = Files.walk(home)) {
                s.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }
}
