package io.colabtop.bench;

import io.colabtop.app.fleet.FleetPoller;
import io.colabtop.core.HostSource;
import io.colabtop.core.HostUpdate;
import io.colabtop.ssh.KnownHostsVerifier;
import io.colabtop.ssh.RemoteScript;
import io.colabtop.ssh.RemoteSource;
import io.colabtop.ssh.SshTarget;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Issue 15's benchmark: N stand-in VMs (bench/ns-hosts: each an sshd in a network and a PID
 * namespace of its own, a plain-sh login user, CPU counted by a cgroup of its own) read three ways
 * in the same run, interleaved tick by tick: colabtop's steady tick (kept-open connections, the
 * long-lived probe), the same probe one-shot through an OpenSSH ControlMaster per host, and
 * parallel-ssh opening a connection per host. For each: wall time of a round, the client's CPU, and
 * the VM-side CPU per host per tick (from the hosts' cpuacct cgroups: sshd, session, shell, probe).
 * Then, for colabtop as users run it (the release's launcher, else the jar with the launcher's
 * flags): first frame with the N hosts, a cold `status --json` of all of them, and the TUI's
 * resident memory, threads and CPU while it watches them.
 * Usage (root): bench/run fleet DIR [REPS] [TUI_SECONDS]   after bench/ns-hosts up N DIR [PROCS]
 */
public final class NsFleetBench {
    private static final Path CGROUPS = Path.of("/sys/fs/cgroup/cpuacct/colabtop-bench");
    private static final String USER = "ctbench";

    private NsFleetBench() {}

    /** One way of reading the fleet, measured per round. */
    record Round(double wallMs, double clientCpuMs, double vmCpuMsPerHost) {}

    public static void main(String[] args) throws Exception {
        // sshj's per-connection INFO lines (identity strings, disconnects) are not figures
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        for (var h : java.util.logging.Logger.getLogger("").getHandlers()) {
            h.setLevel(java.util.logging.Level.WARNING);
        }
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/colabtop-ns").toAbsolutePath();
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int tuiSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        List<String> hosts = Files.readAllLines(dir.resolve("hosts")).stream()
                .filter(l -> !l.isBlank())
                .toList();
        int n = hosts.size();
        Path kh = dir.resolve("known_hosts");
        Path key = dir.resolve("id_ed25519");
        System.out.printf(
                Locale.ROOT,
                "machine: %d cpus, load %s; %d hosts (network + PID namespaces, %d processes visible on the"
                        + " first), %d interleaved repetitions; top 20 processes per host%n",
                Runtime.getRuntime().availableProcessors(),
                Files.readString(Path.of("/proc/loadavg")).strip(),
                n,
                visibleProcesses(hosts.get(0), key, kh),
                reps);

        List<HostSource> sources = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sources.add(new RemoteSource(
                    new SshTarget(
                            "vm-" + i,
                            hosts.get(i),
                            22,
                            USER,
                            List.of(key),
                            List.of(kh),
                            kh,
                            KnownHostsVerifier.Policy.STRICT,
                            Duration.ofSeconds(20),
                            null,
                            null),
                    20,
                    Duration.ofSeconds(30),
                    Duration.ofSeconds(30),
                    InstantSource.system()));
        }
        Path cm = Files.createDirectories(dir.resolve("cm"));
        List<Process> masters = startMasters(hosts, cm, key, kh);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Round[][] rounds = new Round[3][reps];
        try (FleetPoller poller = new FleetPoller(
                sources, Duration.ofSeconds(30), FleetPoller.defaultPoolSize(n), InstantSource.system())) {
            long c0 = System.nanoTime();
            report("colabtop cold round", poller.round());
            System.out.printf(Locale.ROOT, "  colabtop cold round (connect, auth, first frame): %.0f ms%n", ms(c0));
            for (int i = 0; i < 5; i++) {
                poller.round(); // the JIT's warm-up on the steady path
            }
            controlMasterRound(cm, key, kh, dir);
            psshRound(key, kh, dir);
            for (int r = 0; r < reps; r++) {
                long vm0 = vmCpuNanos();
                long cpu0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                report("colabtop tick", poller.round());
                double wall = ms(t0);
                rounds[0][r] = new Round(wall, (os.getProcessCpuTime() - cpu0) / 1e6, (vmCpuNanos() - vm0) / 1e6 / n);
                vm0 = vmCpuNanos();
                double[] w = controlMasterRound(cm, key, kh, dir);
                rounds[1][r] = new Round(w[0], w[1], (vmCpuNanos() - vm0) / 1e6 / n);
                vm0 = vmCpuNanos();
                w = psshRound(key, kh, dir);
                rounds[2][r] = new Round(w[0], w[1], (vmCpuNanos() - vm0) / 1e6 / n);
            }
        } finally {
            masters.forEach(NsFleetBench::stop);
            stopMasters(hosts, cm);
        }
        String[] names = {
            "colabtop (kept-open, long-lived probe)", "ssh ControlMaster + same probe", "parallel-ssh + same probe"
        };
        System.out.println();
        System.out.println("| N | how | round wall ms | client CPU ms/round | VM CPU ms per host per tick |");
        System.out.println("|---|---|---|---|---|");
        double[][] med = new double[3][3];
        for (int w = 0; w < 3; w++) {
            final int way = w;
            med[w][0] =
                    median(Arrays.stream(rounds[w]).mapToDouble(Round::wallMs).toArray());
            med[w][1] = median(
                    Arrays.stream(rounds[w]).mapToDouble(Round::clientCpuMs).toArray());
            med[w][2] = median(
                    Arrays.stream(rounds[w]).mapToDouble(Round::vmCpuMsPerHost).toArray());
            System.out.printf(
                    Locale.ROOT, "| %d | %s | %.0f | %.1f | %.2f |%n", n, names[way], med[w][0], med[w][1], med[w][2]);
        }
        for (int w = 1; w < 3; w++) {
            System.out.printf(
                    Locale.ROOT,
                    "| %d | ratio colabtop / %s | %.2f | %.2f | %.2f |%n",
                    n,
                    w == 1 ? "ControlMaster" : "parallel-ssh",
                    med[0][0] / med[w][0],
                    med[0][1] / med[w][1],
                    med[0][2] / med[w][2]);
        }
        System.out.println(
                "(medians of the repetitions; VM CPU = the hosts' cgroups' cpuacct.usage over the round / N)");
        colabtopAsUsersRunIt(hosts, dir, key, kh, tuiSeconds);
    }

    /** Release launcher (AppCDS, jlink runtime) if built, else the jar with the launcher's flags. */
    static List<String> launcher() throws IOException {
        Path dist = Path.of("app/target/dist");
        if (Files.isDirectory(dist)) {
            try (Stream<Path> s = Files.list(dist)) {
                Path release = s.filter(Files::isDirectory).findFirst().orElse(null);
                if (release != null && Files.isExecutable(release.resolve("bin/colabtop"))) {
                    return List.of(
                            release.toAbsolutePath().resolve("bin/colabtop").toString());
                }
            }
        }
        List<String> cmd = new ArrayList<>(List.of("java"));
        cmd.addAll(MemoryBench.launcherFlags(Path.of("release/jvm.options")));
        cmd.addAll(List.of(
                "-jar", Path.of("app/target/colabtop.jar").toAbsolutePath().toString()));
        return cmd;
    }

    static void colabtopAsUsersRunIt(List<String> hosts, Path dir, Path key, Path kh, int tuiSeconds) throws Exception {
        Path home = Files.createTempDirectory("colabtop-nsbench");
        try {
            Path ssh = Files.createDirectories(home.resolve(".ssh"));
            Files.copy(key, ssh.resolve("id_ed25519"), StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(ssh.resolve("id_ed25519"), PosixFilePermissions.fromString("rw-------"));
            Files.copy(kh, ssh.resolve("known_hosts"), StandardCopyOption.REPLACE_EXISTING);
            List<String> targets = hosts.stream().map(h -> USER + "@" + h).toList();
            List<String> launcher = launcher();
            System.out.println();
            System.out.println("colabtop as users run it: " + String.join(" ", launcher));
            long[] frames = new long[5];
            long[] localFrames = new long[5];
            for (int i = 0; i < frames.length; i++) {
                frames[i] = StartupBench.firstFrame(launcher, targets, home);
                localFrames[i] = StartupBench.firstFrame(launcher, List.of("local"), home);
            }
            Arrays.sort(frames);
            Arrays.sort(localFrames);
            System.out.printf(
                    Locale.ROOT,
                    "first frame, median of 5, interleaved: %d ms with the %d hosts, %d ms with local only; TUI sampled"
                            + " after 20 s%n",
                    frames[2],
                    hosts.size(),
                    localFrames[2]);
            long[] status = new long[3];
            for (int i = 0; i < status.length; i++) {
                status[i] = coldStatus(launcher, targets, home);
            }
            Arrays.sort(status);
            // the steady state: after the cold round's handshakes (4 s at 100 hosts here) and the JIT
            double[] tui = MemoryBench.run(launcher, targets, home, tuiSeconds, 20);
            System.out.println(
                    "| N | first frame ms (median of 5) | cold `status --json` ms (median of 3) | TUI RSS median MiB"
                            + " | RSS peak MiB | threads | TUI CPU % of a core |");
            System.out.println("|---|---|---|---|---|---|---|");
            System.out.printf(
                    Locale.ROOT,
                    "| %d | %d | %d | %.0f | %.0f | %.0f | %.1f |%n",
                    hosts.size(),
                    frames[2],
                    status[1],
                    tui[0],
                    tui[1],
                    tui[2],
                    tui[3]);
        } finally {
            new ProcessBuilder("rm", "-rf", home.toString()).start().waitFor();
        }
    }

    /** A fresh process: connect to every host, one frame each, JSON out. */
    static long coldStatus(List<String> launcher, List<String> targets, Path home) throws Exception {
        List<String> cmd = new ArrayList<>(launcher);
        cmd.addAll(List.of("status", "--json", "--deadline", "30s"));
        cmd.addAll(targets);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(home.resolve("status.err").toFile());
        pb.environment().put("HOME", home.toString());
        long t0 = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        if (p.exitValue() != 0) {
            System.out.println("  status exit " + p.exitValue() + ": "
                    + Files.readString(home.resolve("status.err"))
                            .lines()
                            .limit(3)
                            .toList());
        }
        return ms;
    }

    static List<Process> startMasters(List<String> hosts, Path cm, Path key, Path kh) throws Exception {
        List<Process> out = new ArrayList<>();
        for (String h : hosts) {
            List<String> cmd = new ArrayList<>(
                    List.of("ssh", "-M", "-N", "-S", cm.resolve(h).toString()));
            cmd.addAll(sshOptions(key, kh));
            cmd.add(USER + "@" + h);
            out.add(new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start());
        }
        for (String h : hosts) {
            Path sock = cm.resolve(h);
            for (int t = 0; t < 300 && !Files.exists(sock); t++) {
                Thread.sleep(50);
            }
            if (!Files.exists(sock)) {
                throw new IllegalStateException("no ControlMaster for " + h);
            }
        }
        return out;
    }

    static void stopMasters(List<String> hosts, Path cm) throws Exception {
        for (String h : hosts) {
            Files.deleteIfExists(cm.resolve(h));
        }
    }

    static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static List<String> sshOptions(Path key, Path kh) {
        return List.of(
                "-i", key.toString(),
                "-o", "UserKnownHostsFile=" + kh,
                "-o", "StrictHostKeyChecking=yes",
                "-o", "BatchMode=yes",
                "-o", "LogLevel=ERROR");
    }

    /** The probe one-shot, as colabtop starts it (RemoteScript), fed the script and one request. */
    static String oneShotProbe() {
        String stdin = new String(RemoteScript.stdin(), StandardCharsets.UTF_8) + "1 p\n";
        return "printf '%s' " + SshFleetBench.shellQuote(stdin) + " | "
                + RemoteScript.command(20).replaceFirst("^exec ", "");
    }

    /** Every host through its ControlMaster, 64 at once: {wall ms, client CPU ms}. */
    static double[] controlMasterRound(Path cm, Path key, Path kh, Path dir) throws Exception {
        Path remote = Files.writeString(dir.resolve("probe-oneshot"), oneShotProbe());
        // bash reads the hosts and keeps 64 ssh clients going: no fork besides the clients themselves
        String script = "R=$(< " + remote + "); k=0; while read -r h; do ssh -S " + cm + "/$h "
                + String.join(" ", sshOptions(key, kh)) + " " + USER + "@$h \"$R\" < /dev/null > /dev/null & "
                + "k=$((k+1)); if [ $k -ge 64 ]; then wait -n; k=$((k-1)); fi; done < " + dir.resolve("hosts")
                + "; wait; times";
        return timed(script);
    }

    /** parallel-ssh, a new connection per host, 64 at once: {wall ms, client CPU ms}. */
    static double[] psshRound(Path key, Path kh, Path dir) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/parallel-ssh"))) {
            throw new IllegalStateException("parallel-ssh is not installed (apt-get install pssh)");
        }
        Path remote = dir.resolve("probe-oneshot");
        String script = "parallel-ssh -h " + dir.resolve("hosts") + " -l " + USER + " -p 64 -t 60 -x "
                + SshFleetBench.shellQuote(String.join(" ", sshOptions(key, kh))) + " -o " + dir.resolve("pssh-out")
                + " \"$(cat " + remote + ")\" > " + dir.resolve("pssh.log") + " 2>&1; rc=$?; times; exit $rc";
        return timed(script);
    }

    private static final Pattern TIME = Pattern.compile("(\\d+)m([0-9.]+)s");

    /** Runs a bash script ending in `times`: {wall ms, CPU ms of its children}. */
    static double[] timed(String script) throws Exception {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("bash", "-c", script)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(180, TimeUnit.SECONDS);
        double wall = ms(t0);
        if (p.exitValue() != 0) {
            System.out.println(
                    "  exit " + p.exitValue() + ": " + out.lines().limit(3).toList());
        }
        // `times`: the shell's user and sys, then its children's: "0m0.003s 0m0.001s\n0m1.234s 0m0.567s"
        String[] lines = out.strip().split("\n");
        double cpu = 0;
        for (String part : lines[lines.length - 1].trim().split("\\s+")) {
            Matcher m = TIME.matcher(part);
            if (m.matches()) {
                cpu += Integer.parseInt(m.group(1)) * 60_000 + Double.parseDouble(m.group(2)) * 1000;
            }
        }
        return new double[] {wall, cpu};
    }

    static long vmCpuNanos() throws IOException {
        long sum = 0;
        try (Stream<Path> s = Files.list(CGROUPS)) {
            for (Path g : s.filter(Files::isDirectory).toList()) {
                sum += Long.parseLong(
                        Files.readString(g.resolve("cpuacct.usage")).strip());
            }
        }
        return sum;
    }

    static int visibleProcesses(String host, Path key, Path kh) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ssh"));
        cmd.addAll(sshOptions(key, kh));
        cmd.addAll(List.of(USER + "@" + host, "ls -d /proc/[0-9]* | wc -l"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        try {
            return Integer.parseInt(out);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("cannot reach " + host + ": " + out);
        }
    }

    static void report(String what, List<HostUpdate> updates) {
        List<HostUpdate> failed =
                updates.stream().filter(u -> u.snapshot() == null).toList();
        if (!failed.isEmpty()) {
            System.out.println("  " + what + ": " + failed.size() + " failed, e.g. "
                    + failed.get(0).error());
        }
    }

    static double ms(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
