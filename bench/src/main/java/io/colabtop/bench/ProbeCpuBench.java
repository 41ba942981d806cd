package io.colabtop.bench;

import io.colabtop.ssh.RemoteScript;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Issue 15's VM-side figure: CPU the probe costs the host per tick, for the sh probe (probe.sh) and
 * the perl reader (probe.pl), with a chosen number of processes on the host. Each engine runs in a
 * PID namespace of its own (unshare -p -f --mount-proc: root) holding that many processes (sleeps)
 * and nothing else, so /proc lists exactly them whatever else this machine runs. The probe is
 * started as over SSH (the bootstrap command, its scripts on stdin) and asked for ticks as
 * colabtop asks ("SEQ", with p on the first); CPU is utime+stime+cutime+cstime (/proc/PID/stat,
 * children once reaped) summed over the namespace's processes, before and after a block of ticks.
 * Blocks of the two engines are interleaved; the figure is the median block.
 *
 * <p>Usage: ProbeCpuBench [PROCESSES...] (default 200); -Dticks.sh=40 -Dticks.perl=400 -Drounds=5.
 */
public final class ProbeCpuBench {
    private static final long CLK_TCK = 100; // USER_HZ on Linux

    private ProbeCpuBench() {}

    /** One probe in its own PID namespace. */
    private static final class Probe implements AutoCloseable {
        final String name;
        final Process ns;
        final OutputStream in;
        final BufferedReader out;
        final String hello;
        long seq;

        Probe(String name, int processes, boolean perl) throws IOException {
            this.name = name;
            String start = RemoteScript.command(
                    20, perl ? io.colabtop.ssh.ProbeEngine.PERL_WHERE_PRESENT : io.colabtop.ssh.ProbeEngine.SH);
            // the namespace's init: the sleeps, then the probe as sshd would start it
            String init = "i=0; while [ $i -lt " + Math.max(0, processes - 3)
                    + " ]; do sleep 100000 </dev/null >/dev/null 2>&1 & i=$((i+1)); done; " + start;
            ns = new ProcessBuilder("unshare", "-p", "-f", "--mount-proc", "/bin/sh", "-c", init)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            in = ns.getOutputStream();
            out = new BufferedReader(new InputStreamReader(ns.getInputStream(), StandardCharsets.ISO_8859_1));
            in.write(RemoteScript.stdin(
                    perl ? io.colabtop.ssh.ProbeEngine.PERL_WHERE_PRESENT : io.colabtop.ssh.ProbeEngine.SH));
            in.flush();
            hello = out.readLine();
            if (hello == null || !hello.startsWith("@@ct:hello")) {
                throw new IOException(name + ": no hello (" + hello + "); unshare needs root");
            }
        }

        /** Bytes of one frame. */
        long tick(String flags) throws IOException {
            long s = ++seq;
            in.write((s + (flags.isEmpty() ? "" : " " + flags) + "\n").getBytes(StandardCharsets.US_ASCII));
            in.flush();
            String end = "@@ct:end " + s;
            long bytes = 0;
            for (String l; (l = out.readLine()) != null; ) {
                bytes += l.length() + 1;
                if (l.equals(end)) {
                    return bytes;
                }
            }
            throw new IOException(name + ": the probe stopped");
        }

        /** CPU ticks (1/100 s) of the namespace's processes so far, reaped children included. */
        long cpu() {
            long sum = stat(ns.pid());
            for (ProcessHandle h : ns.descendants().toList()) {
                sum += stat(h.pid());
            }
            return sum;
        }

        int processesInside() {
            return (int) ns.descendants().count();
        }

        @Override
        public void close() throws Exception {
            List<ProcessHandle> all = ns.descendants().toList();
            ns.destroyForcibly();
            all.forEach(ProcessHandle::destroyForcibly);
            ns.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static long stat(long pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            // fields 14-17 (utime stime cutime cstime) are f[11..14] after "pid (comm) "
            return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        } catch (IOException | RuntimeException e) {
            return 0; // gone between listing and reading
        }
    }

    public static void main(String[] args) throws Exception {
        int[] counts = args.length == 0
                ? new int[] {200}
                : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        int ticksSh = Integer.getInteger("ticks.sh", 40);
        int ticksPerl = Integer.getInteger("ticks.perl", 400);
        int rounds = Integer.getInteger("rounds", 5);
        System.out.printf(
                "probe CPU per tick on the host (PID namespace each; %d rounds, blocks of %d sh / %d perl ticks)%n",
                rounds, ticksSh, ticksPerl);
        System.out.println(calibration());
        System.out.println("| processes | engine | CPU ms/tick median | min | max | wall ms/tick | frame KiB |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (int n : counts) {
            try (Probe sh = new Probe("sh", n, false);
                    Probe perl = new Probe("perl", n, true)) {
                if (!perl.hello.endsWith(" perl")) {
                    throw new IllegalStateException("probe.pl did not start: " + perl.hello);
                }
                Thread.sleep(500); // the sleeps are started
                for (Probe p : List.of(sh, perl)) {
                    p.tick("p");
                    for (int i = 0; i < 5; i++) {
                        p.tick("");
                    }
                }
                List<double[]> shBlocks = new ArrayList<>();
                List<double[]> perlBlocks = new ArrayList<>();
                for (int r = 0; r < rounds; r++) {
                    List<Probe> order = r % 2 == 0 ? List.of(sh, perl) : List.of(perl, sh);
                    for (Probe p : order) {
                        int ticks = p == sh ? ticksSh : ticksPerl;
                        long c0 = p.cpu();
                        long t0 = System.nanoTime();
                        long bytes = 0;
                        for (int i = 0; i < ticks; i++) {
                            bytes += p.tick("");
                        }
                        long wall = System.nanoTime() - t0;
                        long c1 = p.cpu();
                        double[] b = {(c1 - c0) * 1000.0 / CLK_TCK / ticks, wall / 1e6 / ticks, bytes / 1024.0 / ticks};
                        (p == sh ? shBlocks : perlBlocks).add(b);
                    }
                }
                int inside = sh.processesInside();
                print(inside, "sh (probe.sh)", shBlocks);
                print(perl.processesInside(), "perl (probe.pl)", perlBlocks);
                System.out.printf(
                        "| %d | perl / sh | %.3f | | | | |%n", inside, median(perlBlocks, 0) / median(shBlocks, 0));
            }
        }
    }

    /**
     * What one /proc read costs on this machine (a tick of probe.pl is ~90 of them): perl opening,
     * reading and closing /proc/self/status and /proc/self/stat 20,000 times each, CPU per file.
     */
    private static String calibration() throws IOException, InterruptedException {
        String code =
                "use POSIX (); my ($u0, $s0) = times; for (1 .. 20000) { for my $f (\"/proc/$$/status\", \"/proc/$$/stat\") {"
                        + " my $fd = POSIX::open($f, 0); my $b; POSIX::read($fd, $b, 65536); POSIX::close($fd) } }"
                        + " my ($u1, $s1) = times; printf(\"%.1f us user + %.1f us system\", ($u1 - $u0) * 1e6 / 40000, ($s1 - $s0) * 1e6 / 40000)";
        Process p = new ProcessBuilder("perl", "-e", code).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return "this machine: one /proc file (open, read, close) from perl costs " + out
                + " of CPU (status and stat, averaged)";
    }

    private static void print(int processes, String engine, List<double[]> blocks) {
        double[] cpu = blocks.stream().mapToDouble(b -> b[0]).sorted().toArray();
        System.out.printf(
                "| %d | %s | %.2f | %.2f | %.2f | %.2f | %.1f |%n",
                processes,
                engine,
                median(blocks, 0),
                cpu[0],
                cpu[cpu.length - 1],
                median(blocks, 1),
                median(blocks, 2));
    }

    private static double median(List<double[]> blocks, int i) {
        double[] v = blocks.stream().mapToDouble(b -> b[i]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
