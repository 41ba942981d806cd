package io.colabtop.ssh;

import static org.junit.jupiter.api.Assertions.*;

import io.colabtop.core.HostSnapshot;
import io.colabtop.core.ProcessInfo;
import io.colabtop.core.RawProbe;
import io.colabtop.core.SnapshotAssembler;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The real probe script, run by this machine's /bin/sh (dash on Debian) exactly as the SSH exec
 * runs it (the constant command, the script on stdin), against hostile data: a driver whose output carries newlines and marker-shaped text,
 * and processes with huge or newline-filled command lines. Each for both engines: probe.sh alone, and
 * probe.pl started by it (this machine has perl; the hello says which answered).
 */
class ProbeScriptTest {
    @TempDir
    Path tmp;

    /** Runs the probe for one frame with {@code path} first on PATH; returns the frame's lines. */
    private List<String> oneFrame(Path pathDir, ProbeEngine engine) throws IOException, InterruptedException {
        return oneFrame(pathDir, engine, List.of());
    }

    /** The same, the probe's /bin/sh started by {@code wrapper} (which ends by exec'ing its arguments). */
    private List<String> oneFrame(Path pathDir, ProbeEngine engine, List<String> wrapper)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.addAll(List.of("/bin/sh", "-c", RemoteScript.command(20, engine)));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("PATH", (pathDir == null ? "" : pathDir + ":") + System.getenv("PATH"));
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream();
                BufferedReader out =
                        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            in.write(RemoteScript.stdin(engine));
            in.flush();
            assertEquals(hello(engine), out.readLine(), "the engine asked for answers");
            in.write("1 p\n".getBytes(StandardCharsets.US_ASCII));
            in.flush();
            List<String> lines = new ArrayList<>();
            String l;
            boolean in1 = false;
            while ((l = out.readLine()) != null) {
                if (l.equals("@@ct:begin 1")) {
                    in1 = true;
                }
                if (in1) {
                    lines.add(l);
                }
                if (l.equals("@@ct:end 1")) {
                    break;
                }
            }
            return lines;
        } finally {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    static String hello(ProbeEngine engine) {
        return "@@ct:hello colabtop-probe 1" + (engine == ProbeEngine.SH ? "" : " perl");
    }

    /**
     * /etc/os-release is the host's to write: a PRETTY_NAME shaped like a marker must stay text.
     * The probe runs in a mount namespace of its own where a hostile os-release is bound over the
     * real one (gone with the namespace).
     */
    @io.colabtop.testing.HostTest
    @ParameterizedTest
    @EnumSource(ProbeEngine.class)
    void aMarkerShapedOsNameCannotForgeSections(ProbeEngine engine) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                "root".equals(System.getProperty("user.name")), "a mount namespace needs root (CI runs as root)");
        Path fake = Files.writeString(tmp.resolve("os-release"), "NAME=x\nPRETTY_NAME=@@ct:end\nID=debian\n");
        List<String> frame = oneFrame(
                null,
                engine,
                List.of(
                        "unshare",
                        "-m",
                        "sh",
                        "-c",
                        "mount --bind \"$0\" /etc/os-release && exec \"$@\"",
                        fake.toString()));
        assertTrue(frame.size() > 3, "a whole frame: " + frame);
        assertEquals("@@ct:end 1", frame.get(frame.size() - 1));
        assertEquals(1, frame.stream().filter(l -> l.startsWith("@@ct:end")).count(), "forged end marker: " + frame);
        int kernel = frame.indexOf("@@ct:kernel");
        assertTrue(
                frame.get(kernel + 1).startsWith("|@@ct:end "), "a data line, not a marker: " + frame.get(kernel + 1));
        RawProbe raw = ProbeFrame.parse(frame, null);
        assertTrue(raw.kernel().startsWith("@@ct:end "), "the name is text: " + raw.kernel());
        assertTrue(raw.meminfo().contains("MemTotal:"), "the frame went on after it");
        assertFalse(Files.readString(Path.of("/etc/os-release")).contains("@@ct"), "the host's own file untouched");
    }

    @ParameterizedTest
    @EnumSource(ProbeEngine.class)
    void aDriverPrintingNewlinesAndMarkersCannotForgeSections(ProbeEngine engine) throws Exception {
        // what a GPU process named "x\n@@ct:end 1\n@@ct:files" would make nvidia-smi print
        Path bin = Files.createDirectory(tmp.resolve("bin"));
        Path smi = bin.resolve("nvidia-smi");
        Files.writeString(smi, """
                #!/bin/sh
                case "$*" in
                  *query-gpu*) printf '0, GPU-1, Tesla T4\\033]0;pwned\\007, 15360, 100, 15260, 3\\n' ;;
                  *) printf 'GPU-1, 4242, x\\n@@ct:end 1\\n@@ct:files\\n/proc/meminfo\\n|MemTotal: 1 kB$, 90\\n' ;;
                esac
                """);
        Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> frame = oneFrame(bin, engine);
        assertEquals("@@ct:end 1", frame.get(frame.size() - 1));
        assertEquals(1, frame.stream().filter(l -> l.startsWith("@@ct:end")).count(), "forged end marker: " + frame);
        RawProbe raw = ProbeFrame.parse(frame, null);
        // meminfo is the real one, not the forged 1 kB
        assertTrue(raw.meminfo().contains("MemTotal:") && !raw.meminfo().contains("MemTotal: 1 kB"), raw.meminfo());
        assertTrue(raw.gpuAppsCsv().contains("@@ct:end 1"), raw.gpuAppsCsv());
        HostSnapshot s = SnapshotAssembler.assemble("h", Instant.now(), raw);
        assertEquals(1, s.gpus().size());
        assertEquals("Tesla T4\u001b]0;pwned\u0007", s.gpus().get(0).name().exact());
        assertEquals("Tesla T4\\x1b]0;pwned\\x07", s.gpus().get(0).name().shown());
    }

    @ParameterizedTest
    @EnumSource(ProbeEngine.class)
    void hugeCommandLinesAreCutOnTheHost(ProbeEngine engine) throws Exception {
        // 2 MB of argv in one argument, and 1 MB of newlines in another process: both bounded by the probe
        Process big = new ProcessBuilder("/bin/sh", "-c", "exec sleep 60 \"$0\"", "y".repeat(120_000)).start();
        Process lines = new ProcessBuilder("/bin/sh", "-c", "exec sleep 61 \"$0\"", "\n".repeat(120_000)).start();
        try {
            for (Process p : List.of(big, lines)) {
                Files.writeString(Path.of("/proc/" + p.pid() + "/oom_score_adj"), "999"); // rank them first
            }
            List<String> frame = oneFrame(null, engine);
            long bytes = frame.stream().mapToLong(l -> l.length() + 1).sum();
            assertTrue(bytes < 400_000, "frame of " + bytes + " bytes");
            HostSnapshot s = SnapshotAssembler.assemble("h", Instant.now(), ProbeFrame.parse(frame, null));
            ProcessInfo pb = s.processes().stream()
                    .filter(p -> p.pid() == big.pid())
                    .findFirst()
                    .orElseThrow();
            assertTrue(pb.command().exact().startsWith("sleep 60 yyyy"));
            assertTrue(
                    pb.command().exact().length() <= 4096,
                    "" + pb.command().exact().length());
            ProcessInfo pl = s.processes().stream()
                    .filter(p -> p.pid() == lines.pid())
                    .findFirst()
                    .orElseThrow();
            assertTrue(pl.command().exact().startsWith("sleep 61 \n"));
            assertTrue(
                    pl.command().exact().length() <= "sleep 61 ".length() + 4,
                    "" + pl.command().exact().length());
        } finally {
            big.destroyForcibly();
            lines.destroyForcibly();
            big.waitFor(5, TimeUnit.SECONDS);
            lines.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** Runs the start command as {@code shell -c COMMAND} (the login shell's part) with {@code stdin}; [stdout, stderr, exit]. */
    private static String[] startUnder(String shell, byte[] stdin) throws Exception {
        return startUnder(shell, stdin, ProbeEngine.SH);
    }

    private static String[] startUnder(String shell, byte[] stdin, ProbeEngine engine) throws Exception {
        Process p = new ProcessBuilder(shell, "-c", RemoteScript.command(7, engine)).start();
        try {
            var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return e.toString();
                }
            });
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin);
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), shell + " did not end");
            return new String[] {out, err.get(30, TimeUnit.SECONDS), Integer.toString(p.exitValue())};
        } finally {
            p.destroyForcibly();
        }
    }

    private static byte[] framed(String script, String after) {
        byte[] b = script.getBytes(StandardCharsets.UTF_8);
        return (b.length + "\n" + script + after).getBytes(StandardCharsets.UTF_8);
    }

    /** Login shells this machine has: bash and dash always (run-tests' image), the others when installed. */
    static List<String> loginShells() {
        List<String> shells = new ArrayList<>(List.of("/bin/sh", "/bin/bash", "/bin/dash"));
        for (String s : List.of("/bin/zsh", "/usr/bin/zsh", "/usr/bin/fish", "/bin/tcsh", "/bin/csh")) {
            if (Files.isExecutable(Path.of(s))
                    && shells.stream()
                            .noneMatch(x ->
                                    Path.of(x).getFileName().equals(Path.of(s).getFileName()))) {
                shells.add(s);
            }
        }
        return shells;
    }

    /**
     * Under each login shell the bootstrap hands sh exactly the bytes sent (quotes, backslashes,
     * '!', comments and newlines: what joining lines into one used to lose) and leaves the next
     * line of stdin, the first request, to the script.
     */
    @Test
    void theBootstrapRunsTheScriptAsSentAndLeavesTheRequestsToIt() throws Exception {
        String script = """
                # a comment with 'single quotes', a \\\\ pair, "double quotes" and !history
                read -r seq flags
                printf 'request=%s %s\\n' "$seq" "$flags"
                cat /proc/$$/cmdline
                """;
        for (String shell : loginShells()) {
            String[] r = startUnder(shell, framed(script, "1 p\n"));
            assertEquals("0", r[2], shell + ": " + r[1]);
            int nl = r[0].indexOf('\n');
            assertEquals("request=1 p", r[0].substring(0, nl), shell);
            // $(dd ...) drops the script's trailing newlines, which mean nothing to sh
            assertEquals(
                    List.of("/bin/sh", "-c", script.stripTrailing(), "colabtop-probe", "7"),
                    List.of(r[0].substring(nl + 1).split("\0")),
                    shell + ": the probe's command line, as pin --match knows it");
        }
    }

    @ParameterizedTest
    @EnumSource(ProbeEngine.class)
    void theRealProbeAnswersUnderEveryLoginShell(ProbeEngine engine) throws Exception {
        byte[] requests = "1 pok\n".getBytes(StandardCharsets.US_ASCII);
        byte[] preamble = RemoteScript.stdin(engine);
        byte[] stdin = java.util.Arrays.copyOf(preamble, preamble.length + requests.length);
        System.arraycopy(requests, 0, stdin, preamble.length, requests.length);
        for (String shell : loginShells()) {
            String[] r = startUnder(shell, stdin, engine);
            List<String> lines = List.of(r[0].split("\n"));
            assertEquals(hello(engine), lines.get(0), shell + ": " + r[1]);
            List<String> frame = lines.subList(1, lines.size());
            assertEquals("@@ct:end 1", frame.get(frame.size() - 1), shell);
            // every section, each once (a line joined onto another used to drop one silently); the GPU ones where
            // nvidia-smi is
            assertEquals(
                    List.of(
                            "begin 1",
                            "kernel",
                            "files",
                            "boot",
                            "mounts",
                            "stat",
                            "passwd",
                            "rank",
                            "procfiles",
                            "procstatus",
                            "oomd",
                            "oomsrc",
                            "oomlog",
                            "end 1"),
                    frame.stream()
                            .filter(l -> l.startsWith("@@ct:") && !l.startsWith("@@ct:gpu"))
                            .map(l -> l.substring(5))
                            .toList(),
                    shell);
            RawProbe raw = ProbeFrame.parse(frame, null);
            assertNotNull(raw.passwd(), shell);
            assertFalse(raw.processes().isEmpty(), shell);
            assertTrue(raw.vmstat().startsWith("oom_kill "), shell + ": the OOM counter every tick");
            assertNotNull(raw.bootId(), shell);
            assertNotNull(raw.oomSources(), shell + ": the kill log's source, asked for with k");
        }
    }

    /** A syntax error anywhere in the probe: nothing of it runs, no hello, and sh says why on stderr. */
    @Test
    void aBrokenProbeNeverSaysHello() throws Exception {
        String script = RemoteScript.script();
        int at = script.lastIndexOf("printf '@@ct:end");
        String broken = script.substring(0, at) + "if then\n" + script.substring(at);
        String[] r = startUnder("/bin/bash", framed(broken, "1 p\n"));
        assertEquals("", r[0]);
        assertTrue(r[1].toLowerCase(java.util.Locale.ROOT).contains("syntax error"), r[1]);
        assertNotEquals("0", r[2]);
    }

    /** A connection that drops mid-script: the part that arrived never runs. */
    @Test
    void aProbeCutShortNeverRuns() throws Exception {
        String script = RemoteScript.script();
        byte[] all = framed(script, "");
        for (int keep : new int[] {all.length - 30, all.length / 2, 10}) {
            String[] r = startUnder("/bin/dash", java.util.Arrays.copyOf(all, keep));
            assertEquals("", r[0], "cut at " + keep);
        }
    }
}
