package io.colabtop.bench;

import io.colabtop.ssh.TestSshd;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What colabtop costs the machine it runs on: the real jar's full-screen TUI, in a pseudo-terminal
 * (script(1)), watching this machine or N real sshd hosts on loopback for a while, with the JVM
 * flags of the launcher (./colabtop) against the JVM's defaults. Prints resident memory (median
 * and peak of 1 s samples), threads and CPU. The figures behind the launcher's flags.
 * Usage: bench/run memory [SECONDS] [N...]   (default: 40 s; N = 0 (local), 10, 50)
 */
public final class MemoryBench {
    private MemoryBench() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        List<Integer> sizes = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            sizes.add(Integer.parseInt(args[i]));
        }
        if (sizes.isEmpty()) {
            sizes = List.of(0, 10, 50);
        }
        Path jar = Path.of("app/target/colabtop.jar").toAbsolutePath();
        List<String> launcher = launcherFlags(Path.of("release/jvm.options"));
        System.out.printf(
                "machine: %d cpus, %d MiB RAM; %d s per run; launcher flags: %s%n",
                Runtime.getRuntime().availableProcessors(), memTotalMiB(), seconds, String.join(" ", launcher));
        List<String> table = new ArrayList<>();
        table.add("| JVM flags | hosts | RSS median MiB | RSS peak MiB | threads | CPU % of a core |");
        table.add("|---|---|---|---|---|---|");
        for (int n : sizes) {
            Path home = Files.createTempDirectory("colabtop-membench");
            List<TestSshd> servers = new ArrayList<>();
            try {
                List<String> hosts = new ArrayList<>();
                if (n == 0) {
                    hosts.add("local");
                } else {
                    Path ssh = Files.createDirectories(home.resolve(".ssh"));
                    Files.copy(TestSshd.clientKey(), ssh.resolve("id_ed25519"), StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(
                            ssh.resolve("id_ed25519"), PosixFilePermissions.fromString("rw-------"));
                    for (int i = 0; i < n; i++) {
                        TestSshd s = TestSshd.start();
                        servers.add(s);
                        hosts.add(System.getProperty("user.name") + "@127.0.0.1:" + s.port());
                    }
                    TestSshd.knownHosts(ssh.resolve("known_hosts"), servers.toArray(new TestSshd[0]));
                }
                // -Dcandidate=FLAGS (spaces or commas between them): the launcher's flags against the launcher's plus
                // FLAGS (a flag to
                // try before it goes into release/jvm.options), sampled after 20 s; else JVM defaults
                // against the launcher's
                String candidate = System.getProperty("candidate", "").strip();
                List<String> plus = new ArrayList<>(launcher);
                if (!candidate.isEmpty()) {
                    plus.addAll(List.of(candidate.split("[\\s,]+")));
                }
                // -Dcandidate.first=true runs the candidate first (to see an order effect)
                boolean swap = Boolean.getBoolean("candidate.first") && !candidate.isEmpty();
                for (boolean first : swap ? new boolean[] {false, true} : new boolean[] {true, false}) {
                    List<String> flags =
                            candidate.isEmpty() ? (first ? List.of() : launcher) : (first ? launcher : plus);
                    List<String> cmd = new ArrayList<>(List.of("java"));
                    cmd.addAll(flags);
                    cmd.addAll(List.of("-jar", jar.toString()));
                    double[] r = run(cmd, hosts, home, seconds, candidate.isEmpty() ? 5 : 20);
                    String name = candidate.isEmpty()
                            ? (first ? "JVM defaults" : "launcher")
                            : (first ? "launcher" : "launcher + " + candidate);
                    String row = String.format(
                            Locale.ROOT,
                            "| %s | %s | %.0f | %.0f | %.0f | %.1f |",
                            name,
                            n == 0 ? "local" : Integer.toString(n),
                            r[0],
                            r[1],
                            r[2],
                            r[3]);
                    System.out.println(row);
                    table.add(row);
                }
            } finally {
                servers.forEach(TestSshd::close);
            }
        }
        System.out.println();
        table.forEach(System.out::println);
    }

    /**
     * The launchers' own flags, read from release/jvm.options (both ./colabtop and the release's
     * bin/colabtop pass it to java as an @argfile) so the bench measures what users run.
     */
    static List<String> launcherFlags(Path options) throws IOException {
        List<String> flags = Files.readAllLines(options).stream()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
        if (flags.isEmpty()) {
            throw new IllegalStateException("no flags in " + options);
        }
        return flags;
    }

    /** {median RSS MiB, peak RSS MiB, max threads, CPU % of one core} of the TUI's JVM over the run. */
    static double[] run(Path jar, List<String> flags, List<String> hosts, Path home, int seconds) throws Exception {
        List<String> launcher = new ArrayList<>(List.of("java"));
        launcher.addAll(flags);
        launcher.addAll(List.of("-jar", jar.toString()));
        return run(launcher, hosts, home, seconds);
    }

    /** The same, for any launcher command (the release's bin/colabtop). */
    static double[] run(List<String> launcher, List<String> hosts, Path home, int seconds) throws Exception {
        return run(launcher, hosts, home, seconds, 5);
    }

    /**
     * The same, sampling after {@code warmupSeconds}: with many hosts the first seconds are the
     * connections' handshakes and the JIT's work, not the steady state.
     */
    static double[] run(List<String> launcher, List<String> hosts, Path home, int seconds, int warmupSeconds)
            throws Exception {
        StringBuilder cmd = new StringBuilder("stty cols 200 rows 60; exec");
        launcher.forEach(f -> cmd.append(' ').append(f));
        hosts.forEach(h -> cmd.append(' ').append(h));
        ProcessBuilder pb = new ProcessBuilder("script", "-qfc", cmd.toString(), "/dev/null").redirectErrorStream(true);
        pb.environment().put("HOME", home.toString());
        pb.environment().put("TERM", "xterm-256color");
        Process p = pb.start();
        Thread drain = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException ignored) {
                // ended
            }
        });
        drain.setDaemon(true);
        drain.start();
        try {
            long javaPid = -1;
            for (int i = 0; i < 100 && javaPid < 0; i++) {
                Thread.sleep(100);
                javaPid = p.descendants()
                        .filter(h -> h.info().command().orElse("").endsWith("/java"))
                        .mapToLong(ProcessHandle::pid)
                        .findFirst()
                        .orElse(-1);
            }
            if (javaPid < 0) {
                throw new IllegalStateException("the TUI's JVM did not start");
            }
            Thread.sleep(warmupSeconds * 1000L); // start-up and first connections: not the steady state
            long cpu0 = cpuTicks(javaPid);
            long t0 = System.nanoTime();
            List<Double> rss = new ArrayList<>();
            double threads = 0;
            for (int s = 0; s < seconds; s++) {
                Thread.sleep(1000);
                String status = Files.readString(Path.of("/proc/" + javaPid + "/status"));
                rss.add(field(status, "VmRSS:") / 1024.0);
                threads = Math.max(threads, field(status, "Threads:"));
            }
            double cpu = (cpuTicks(javaPid) - cpu0) / 100.0 / ((System.nanoTime() - t0) / 1e9) * 100;
            List<Double> sorted = rss.stream().sorted().toList();
            return new double[] {sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), threads, cpu};
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor();
        }
    }

    static long field(String status, String key) {
        for (String l : status.split("\n")) {
            if (l.startsWith(key)) {
                return Long.parseLong(l.substring(key.length()).trim().split("\\s+")[0]);
            }
        }
        return -1;
    }

    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    static long memTotalMiB() throws IOException {
        return field(Files.readString(Path.of("/proc/meminfo")), "MemTotal:") / 1024;
    }
}
