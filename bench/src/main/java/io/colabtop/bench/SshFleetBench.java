package io.colabtop.bench;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import io.colabtop.app.fleet.FleetPoller;
import io.colabtop.app.tui.TuiSession;
import io.colabtop.core.HostSource;
import io.colabtop.core.HostUpdate;
import io.colabtop.ssh.KnownHostsVerifier;
import io.colabtop.ssh.RemoteScript;
import io.colabtop.ssh.RemoteSource;
import io.colabtop.ssh.TestSshd;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Issue 3's figures, against N real OpenSSH sshd processes on loopback (default 10 50 200):
 * a cold round of status (connect + auth + one frame, in-process, and the whole CLI as a new JVM),
 * a steady-state tick over kept-open connections, colabtop's own CPU per tick, the CPU a tick costs
 * each host (from the sshd side's /proc accounting of its session processes), and the same round
 * done by parallel-ssh (pssh) running the same probe once per host.
 */
public final class SshFleetBench {
    private static final long CLK_TCK = 100; // USER_HZ on Linux

    private SshFleetBench() {}

    public static void main(String[] args) throws Exception {
        int[] sizes = args.length == 0
                ? new int[] {10, 50, 200}
                : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        System.out.printf(
                "machine: %d cpus; sshd %s; each tick reads the top 20 processes per host%n",
                Runtime.getRuntime().availableProcessors(), sshdVersion());
        List<String> table = new ArrayList<>();
        table.add(String.format(
                Locale.ROOT,
                "| %4s | %14s | %12s | %12s | %12s | %14s | %15s | %12s | %12s |",
                "N",
                "cold round ms",
                "CLI status ms",
                "warm tick ms",
                "frame ms",
                "colabtop CPU",
                "host CPU/tick",
                "pssh ms",
                "pssh CPU ms"));
        table.add(
                "|------|----------------|--------------|--------------|--------------|----------------|-----------------|--------------|--------------|");
        for (int n : sizes) {
            table.add(run(n));
        }
        System.out.println();
        table.forEach(System.out::println);
        System.out.println(
                "colabtop CPU = process CPU time per warm tick (all hosts); host CPU/tick = CPU of one host's "
                        + "sshd session + probe per tick; pssh = one parallel-ssh -p 64 round running the same probe once per host.");
    }

    static String run(int n) throws Exception {
        Path work = Files.createTempDirectory("colabtop-bench");
        List<TestSshd> servers = new ArrayList<>();
        try {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                servers.add(TestSshd.start());
            }
            System.out.printf("N=%d: %d sshd started in %.1f s%n", n, n, (System.nanoTime() - t0) / 1e9);
            Path kh = TestSshd.knownHosts(work.resolve("known_hosts"), servers.toArray(new TestSshd[0]));
            List<HostSource> sources = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                sources.add(new RemoteSource(
                        servers.get(i).target("vm-" + i, kh, KnownHostsVerifier.Policy.STRICT),
                        20,
                        Duration.ofSeconds(20),
                        Duration.ofSeconds(30),
                        InstantSource.system(),
                        // -Dprobe=sh: the sh probe only; else probe.pl where the host has perl (the default)
                        "sh".equals(System.getProperty("probe"))
                                ? io.colabtop.ssh.ProbeEngine.SH
                                : io.colabtop.ssh.ProbeEngine.PERL_WHERE_PRESENT));
            }
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            try (FleetPoller poller = new FleetPoller(
                    sources, Duration.ofSeconds(20), FleetPoller.defaultPoolSize(n), InstantSource.system())) {
                long c0 = System.nanoTime();
                List<HostUpdate> first = poller.round();
                double coldMs = (System.nanoTime() - c0) / 1e6;
                long failed = first.stream().filter(u -> u.snapshot() == null).count();
                if (failed > 0) {
                    System.out.println("  cold round failures: " + failed + ", e.g. "
                            + first.stream()
                                    .filter(u -> u.snapshot() == null)
                                    .findFirst()
                                    .get()
                                    .error());
                }
                for (int i = 0; i < 3; i++) {
                    poller.round(); // warm up the JIT on the steady path
                }
                int ticks = 20;
                long hostCpu0 = hostTicks(servers);
                long cpu0 = os.getProcessCpuTime();
                double[] tickMs = new double[ticks];
                for (int i = 0; i < ticks; i++) {
                    long s = System.nanoTime();
                    List<HostUpdate> r = poller.round();
                    tickMs[i] = (System.nanoTime() - s) / 1e6;
                    if (r.stream().anyMatch(u -> u.snapshot() == null)) {
                        System.out.println("  warm tick failure: "
                                + r.stream()
                                        .filter(u -> u.snapshot() == null)
                                        .findFirst()
                                        .get()
                                        .error());
                    }
                }
                double cpuMs = (os.getProcessCpuTime() - cpu0) / 1e6 / ticks;
                double hostCpuMs = (hostTicks(servers) - hostCpu0) * 1000.0 / CLK_TCK / ticks / n;
                java.util.Arrays.sort(tickMs);
                double frameMs = frameTime(poller.round());
                double cliMs = cliStatus(servers, work);
                double[] pssh = pssh(servers, work, kh);
                System.out.printf(
                        Locale.ROOT,
                        "  cold %.0f ms, warm tick median %.1f ms, frame %.2f ms, colabtop CPU %.1f ms/tick, "
                                + "host %.2f ms/tick, CLI %.0f ms, pssh %.0f ms (CPU %.0f ms)%n",
                        coldMs,
                        tickMs[ticks / 2],
                        frameMs,
                        cpuMs,
                        hostCpuMs,
                        cliMs,
                        pssh[0],
                        pssh[1]);
                return String.format(
                        Locale.ROOT,
                        "| %4d | %14.0f | %12.0f | %12.1f | %12.2f | %11.1f ms | %12.2f ms | %12.0f | %12.0f |",
                        n,
                        coldMs,
                        cliMs,
                        tickMs[ticks / 2],
                        frameMs,
                        cpuMs,
                        hostCpuMs,
                        pssh[0],
                        pssh[1]);
            }
        } finally {
            servers.forEach(TestSshd::close);
        }
    }

    /** utime+stime+cutime+cstime of every process under each sshd: its sessions and the probes. */
    static long hostTicks(List<TestSshd> servers) {
        long sum = 0;
        for (TestSshd s : servers) {
            for (ProcessHandle p :
                    ProcessHandle.of(s.pid()).map(h -> h.descendants().toList()).orElse(List.of())) {
                try {
                    String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    sum += Long.parseLong(f[11])
                            + Long.parseLong(f[12])
                            + Long.parseLong(f[13])
                            + Long.parseLong(f[14]);
                } catch (java.io.IOException | RuntimeException gone) {
                    // exited between listing and reading
                }
            }
        }
        return sum;
    }

    /** One TUI frame with N hosts' real snapshots, on a virtual terminal. */
    static double frameTime(List<HostUpdate> updates) throws Exception {
        DefaultVirtualTerminal vt = new DefaultVirtualTerminal(new TerminalSize(200, 60));
        TerminalScreen screen = new TerminalScreen(vt);
        screen.startScreen();
        TuiSession session = new TuiSession(
                screen,
                updates.stream().map(HostUpdate::host).toList(),
                Duration.ofSeconds(2),
                InstantSource.system(),
                () -> {});
        double[] ms = Timing.measure("  TUI frame, " + updates.size() + " real snapshots", 20, 100, () -> {
            updates.forEach(session::offer);
            session.step();
        });
        return ms[ms.length / 2];
    }

    /** The whole CLI as a user runs it: a fresh JVM, connect, one frame per host, JSON out. */
    static double cliStatus(List<TestSshd> servers, Path work) throws Exception {
        Path jar = Path.of("app/target/colabtop.jar");
        if (!Files.exists(jar)) {
            return Double.NaN;
        }
        Path home = work.resolve("home");
        Files.createDirectories(home.resolve(".ssh"));
        Files.copy(
                work.resolve("known_hosts"),
                home.resolve(".ssh/known_hosts"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(
                TestSshd.clientKey(),
                home.resolve(".ssh/id_ed25519"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        List<String> cmd =
                new ArrayList<>(List.of("java", "-jar", jar.toString(), "status", "--json", "--deadline", "20s"));
        servers.forEach(s -> cmd.add(System.getProperty("user.name") + "@127.0.0.1:" + s.port()));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(work.resolve("cli.err").toFile());
        pb.environment().put("HOME", home.toString());
        long t0 = System.nanoTime();
        Process p = pb.start();
        p.waitFor(120, TimeUnit.SECONDS);
        double ms = (System.nanoTime() - t0) / 1e6;
        if (p.exitValue() != 0) {
            System.out.println("  CLI status exit " + p.exitValue() + ": "
                    + Files.readString(work.resolve("cli.err")).lines().limit(3).toList());
        }
        return ms;
    }

    /** parallel-ssh collecting the same files with the same probe, one round; [wall ms, CPU ms]. */
    static double[] pssh(List<TestSshd> servers, Path work, Path kh) throws Exception {
        String tool = Files.isExecutable(Path.of("/usr/bin/parallel-ssh")) ? "parallel-ssh" : null;
        if (tool == null) {
            System.out.println("  parallel-ssh not installed (apt-get install pssh): skipped");
            return new double[] {Double.NaN, Double.NaN};
        }
        StringBuilder hosts = new StringBuilder();
        servers.forEach(s -> hosts.append("127.0.0.1:").append(s.port()).append('\n'));
        Path hostsFile = Files.writeString(work.resolve("pssh-hosts"), hosts.toString());
        // the probe as colabtop starts it (RemoteScript), its stdin given by printf: the script behind its length, then
        // one request
        String stdin = new String(RemoteScript.stdin(), StandardCharsets.UTF_8) + "1 p\n";
        String remote = "printf '%s' " + shellQuote(stdin) + " | "
                + RemoteScript.command(20).replaceFirst("^exec ", "");
        String script = "parallel-ssh -h " + hostsFile + " -l " + System.getProperty("user.name") + " -p 64 -t 60 "
                + "-x \"-i " + TestSshd.clientKey() + " -o UserKnownHostsFile=" + kh + " -o StrictHostKeyChecking=yes "
                + "-o BatchMode=yes\" -o " + work.resolve("pssh-out") + " " + shellQuote(remote) + " > "
                + work.resolve("pssh.log")
                + " 2>&1; rc=$?; times; exit $rc";
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("bash", "-c", script)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(180, TimeUnit.SECONDS);
        double ms = (System.nanoTime() - t0) / 1e6;
        if (p.exitValue() != 0) {
            System.out.println("  pssh exit " + p.exitValue() + ": "
                    + Files.readString(work.resolve("pssh.log"))
                            .lines()
                            .limit(3)
                            .toList());
        }
        // `times` prints the shell's then its children's user/sys: "0m0.003s 0m0.001s\n0m1.234s 0m0.567s"
        String[] lines = out.strip().split("\n");
        double cpu = 0;
        for (String part : lines[lines.length - 1].trim().split("\\s+")) {
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("(\\d+)m([0-9.]+)s").matcher(part);
            if (m.matches()) {
                cpu += Integer.parseInt(m.group(1)) * 60_000 + Double.parseDouble(m.group(2)) * 1000;
            }
        }
        return new double[] {ms, cpu};
    }

    static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    static String sshdVersion() {
        try {
            Process p = new ProcessBuilder("/usr/sbin/sshd", "-V")
                    .redirectErrorStream(true)
                    .start();
            String v = new String(p.getInputStream().readAllBytes()).strip();
            p.waitFor();
            return v.lines().findFirst().orElse("?");
        } catch (Exception e) {
            return "?";
        }
    }
}
