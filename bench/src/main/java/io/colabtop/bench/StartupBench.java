package io.colabtop.bench;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * How soon colabtop answers: `colabtop version` (JVM start and the command line) and the TUI's
 * first frame (from exec to the table's header on a pseudo-terminal, script(1)), for the release
 * (its jlink'd runtime, with and without its class-data archive) and for the plain jar on the
 * system's java, interleaved so a busy machine slows all alike. Prints median and p90.
 * Usage: bench/run startup [REPETITIONS]   (default 15; needs the release: ./run-tests or mvn -Prelease verify)
 */
public final class StartupBench {
    private StartupBench() {}

    record Way(String name, List<String> command) {}

    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        Path release;
        try (Stream<Path> s = Files.list(Path.of("app/target/dist"))) {
            release = s.filter(Files::isDirectory)
                    .findFirst()
                    .orElseThrow(
                            () -> new IllegalStateException("no release in app/target/dist: run mvn -Prelease verify"))
                    .toAbsolutePath();
        }
        Path jar = Path.of("app/target/colabtop.jar").toAbsolutePath();
        String options = "@" + release.resolve("lib/jvm.options");
        List<Way> ways = List.of(
                new Way(
                        "release (bin/colabtop: jlink runtime + AppCDS)",
                        List.of(release.resolve("bin/colabtop").toString())),
                new Way(
                        "release runtime without the AppCDS archive",
                        List.of(
                                release.resolve("runtime/bin/java").toString(),
                                options,
                                "-jar",
                                release.resolve("lib/colabtop.jar").toString())),
                new Way("jar on the system's java (./colabtop)", List.of("java", options, "-jar", jar.toString())));
        String before = System.getProperty("before.jsa");
        if (before != null) {
            // an archive made another way (-Dbefore.jsa=FILE), to compare with the release's own
            ways = new ArrayList<>(ways);
            ways.add(new Way(
                    "release runtime + " + Path.of(before).getFileName(),
                    List.of(
                            release.resolve("runtime/bin/java").toString(),
                            options,
                            "-XX:SharedArchiveFile=" + before,
                            "-Xshare:auto",
                            "-Xlog:cds=off",
                            "-Xlog:cds+dynamic=off",
                            "-jar",
                            release.resolve("lib/colabtop.jar").toString())));
        }
        Path home = Files.createTempDirectory("colabtop-startbench");
        System.out.printf(
                "machine: %d cpus; %d repetitions, interleaved; release %s%n",
                Runtime.getRuntime().availableProcessors(), reps, release.getFileName());
        long[][] version = new long[ways.size()][reps];
        long[][] frame = new long[ways.size()][reps];
        for (int r = 0; r < reps; r++) {
            for (int w = 0; w < ways.size(); w++) {
                version[w][r] = version(ways.get(w), home);
                frame[w][r] = firstFrame(ways.get(w), home);
            }
        }
        System.out.println();
        System.out.println("| how | `version` median ms | p90 | first frame median ms | p90 |");
        System.out.println("|---|---|---|---|---|");
        for (int w = 0; w < ways.size(); w++) {
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %d | %d | %d | %d |%n",
                    ways.get(w).name(),
                    pct(version[w], 50),
                    pct(version[w], 90),
                    pct(frame[w], 50),
                    pct(frame[w], 90));
        }
        new ProcessBuilder("rm", "-rf", home.toString()).start().waitFor();
    }

    static long version(Way w, Path home) throws Exception {
        List<String> cmd = new ArrayList<>(w.command());
        cmd.add("version");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("HOME", home.toString());
        long t0 = System.nanoTime();
        Process p = pb.start();
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        p.waitFor();
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    /** From exec to the header row of the fleet table on a 160x40 pseudo-terminal, watching this machine. */
    static long firstFrame(Way w, Path home) throws Exception {
        return firstFrame(w.command(), List.of("local"), home);
    }

    /** From exec of {@code command HOSTS...} to the fleet table's header, on a 160x40 pseudo-terminal. */
    static long firstFrame(List<String> command, List<String> hosts, Path home) throws Exception {
        StringBuilder cmd = new StringBuilder("stty cols 160 rows 40; exec");
        command.forEach(c -> cmd.append(' ').append(c));
        hosts.forEach(h -> cmd.append(' ').append(h));
        ProcessBuilder pb = new ProcessBuilder("script", "-qfc", cmd.toString(), "/dev/null").redirectErrorStream(true);
        pb.environment().put("HOME", home.toString());
        pb.environment().put("TERM", "xterm-256color");
        pb.environment().put("LANG", "C.UTF-8");
        long t0 = System.nanoTime();
        Process p = pb.start();
        long ms = -1;
        try (InputStream in = p.getInputStream();
                java.io.OutputStream keys = p.getOutputStream()) {
            byte[] buf = new byte[8192];
            StringBuilder seen = new StringBuilder();
            int n;
            int answered = 0;
            while ((n = in.read(buf)) > 0) {
                seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                // Lanterna asks the terminal its size (cursor position report, ESC[6n) and waits up to
                // 5 s for the answer: answer as a terminal does, so what is measured is colabtop
                int asked = count(seen, "\u001b[6n");
                for (; answered < asked; answered++) {
                    keys.write("\u001b[40;160R".getBytes(StandardCharsets.US_ASCII));
                    keys.flush();
                }
                if (seen.indexOf("HOST") >= 0) {
                    ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                    break;
                }
            }
        } finally {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
        return ms;
    }

    static int count(CharSequence s, String what) {
        int n = 0;
        for (int i = s.toString().indexOf(what); i >= 0; i = s.toString().indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    static long pct(long[] v, int p) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)];
    }
}
