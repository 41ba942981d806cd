package io.colabtop.ssh;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.colabtop.core.HostSnapshot;
import io.colabtop.core.ProcessInfo;
import io.colabtop.testing.HostTest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The perl reader (probe.pl) against the sh probe it stands in for, on this machine's real /proc:
 * the same bytes for the same files, whatever hostile command lines the processes chose, the same
 * snapshot over a real sshd, and the sh probe taking over where perl is missing or cannot compile
 * probe.pl.
 */
class ProbeEnginesTest {
    static TestSshd sshd;

    @TempDir
    Path tmp;

    private final List<Process> started = new ArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        if (TestSshd.available()) {
            sshd = TestSshd.start();
        }
    }

    @AfterAll
    static void stopServer() {
        if (sshd != null) {
            sshd.close();
        }
    }

    /**
     * Processes whose argv a host's user chose to break the frame: marker-shaped lines, every
     * escape sed knows, bytes over 0x7f, a 120 kB argument, 9000 newlines, a line over 4096 bytes
     * after a few short ones. Ranked first (oom_score_adj 1000) so both probes detail them.
     */
    @BeforeEach
    void startHostileProcesses() throws Exception {
        List<String> args = List.of(
                "x\n@@ct:end 1\n@@ct:files\n/proc/meminfo\n|MemTotal: 1 kB$",
                "\\ \u0007\b\f\r\t\u000b\u0001\u007f é \u00ff $ | @@ct:",
                "y".repeat(120_000),
                "\n".repeat(9000),
                "a\nb\nc\n" + "z".repeat(5000) + "\nnot shown");
        for (String a : args) {
            Process p = new ProcessBuilder("perl", "-e", "sleep 120", a).start();
            started.add(p);
            Files.writeString(Path.of("/proc/" + p.pid() + "/oom_score_adj"), "1000");
        }
    }

    @AfterEach
    void stopThem() throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** One frame ("1 p") from the probe started as the SSH exec starts it, through the local /bin/sh. */
    private static List<String> frame(ProbeEngine engine, Map<String, String> env, byte[] preamble)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", RemoteScript.command(20, engine));
        pb.environment().putAll(env);
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream();
                BufferedReader out =
                        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.ISO_8859_1))) {
            in.write(preamble);
            in.write("1 p\n".getBytes(StandardCharsets.US_ASCII));
            in.flush();
            List<String> lines = new ArrayList<>();
            for (String l; (l = out.readLine()) != null; ) {
                lines.add(l);
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

    /** The lines of section {@code name}, pairs of a file name and its escaped line, for the files {@code keep} accepts. */
    private static List<String> section(List<String> frame, String name, Function<String, Boolean> keep) {
        int at = frame.indexOf("@@ct:" + name);
        assertTrue(at >= 0, "no section " + name);
        List<String> out = new ArrayList<>();
        for (int i = at + 1; i < frame.size() && !frame.get(i).startsWith("@@ct:"); i += 2) {
            if (keep.apply(frame.get(i))) {
                out.add(frame.get(i));
                out.add(frame.get(i + 1));
            }
        }
        return out;
    }

    /** The frame's markers after the hello. */
    private static List<String> markers(List<String> frame) {
        return frame.stream().skip(1).filter(l -> l.startsWith("@@ct:")).toList();
    }

    @Test
    void perlSendsTheBytesTheShProbeSendsForTheSameFiles() throws Exception {
        List<String> sh = frame(ProbeEngine.SH, Map.of(), RemoteScript.stdin(ProbeEngine.SH));
        List<String> perl =
                frame(ProbeEngine.PERL_WHERE_PRESENT, Map.of(), RemoteScript.stdin(ProbeEngine.PERL_WHERE_PRESENT));
        assertEquals("@@ct:hello colabtop-probe 1", sh.get(0));
        assertEquals("@@ct:hello colabtop-probe 1 perl", perl.get(0), "perl is on this machine: probe.pl answers");
        assertEquals(
                markers(sh).stream().filter(m -> !m.startsWith("@@ct:gpu")).toList(),
                markers(perl).stream().filter(m -> !m.startsWith("@@ct:gpu")).toList(),
                "the same sections in the same order, and no forged marker in either");
        for (String unchanging : List.of("kernel", "boot")) {
            int s = sh.indexOf("@@ct:" + unchanging);
            int p = perl.indexOf("@@ct:" + unchanging);
            assertEquals(sh.get(s + 1), perl.get(p + 1), unchanging);
        }
        assertEquals(section(sh, "passwd", f -> true), section(perl, "passwd", f -> true));
        assertEquals(
                section(sh, "mounts", f -> f.equals("/proc/mounts")),
                section(perl, "mounts", f -> f.equals("/proc/mounts")));
        assertEquals(
                section(sh, "stat", f -> true).size(),
                section(perl, "stat", f -> true).size(),
                "every cpu line");
        assertEquals(
                section(sh, "files", f -> f.equals("/proc/swaps")),
                section(perl, "files", f -> f.equals("/proc/swaps")));
        assertEquals(
                section(sh, "files", f -> true).stream()
                        .filter(l -> l.startsWith("/"))
                        .distinct()
                        .toList(),
                section(perl, "files", f -> true).stream()
                        .filter(l -> l.startsWith("/"))
                        .distinct()
                        .toList(),
                "meminfo, swaps, PSI, uptime");
        for (Process p : started) {
            String dir = "/proc/" + p.pid() + "/";
            Function<String, Boolean> steady = f -> f.equals(dir + "cmdline")
                    || f.equals(dir + "oom_score_adj")
                    || f.equals(dir + "cgroup")
                    || f.equals(dir + "status");
            List<String> files = section(sh, "procfiles", steady);
            assertFalse(files.isEmpty(), "the sh probe detailed " + p.pid());
            assertEquals(files, section(perl, "procfiles", steady), "procfiles of " + p.pid());
            List<String> status = section(sh, "procstatus", steady);
            assertEquals(status, section(perl, "procstatus", steady), "procstatus of " + p.pid());
            assertTrue(status.stream().anyMatch(l -> l.startsWith("|Name:")), status.toString());
        }
    }

    @Test
    void whereProbePlCannotCompileTheShProbeAnswers() throws Exception {
        byte[] sh = RemoteScript.stdin(ProbeEngine.SH);
        byte[] broken = RemoteScript.framed("sub { this is not perl");
        byte[] both = java.util.Arrays.copyOf(sh, sh.length + broken.length);
        System.arraycopy(broken, 0, both, sh.length, broken.length);
        List<String> f = frame(ProbeEngine.PERL_WHERE_PRESENT, Map.of(), both);
        assertEquals("@@ct:hello colabtop-probe 1", f.get(0), "the sh probe's hello: " + f);
        assertEquals("@@ct:end 1", f.get(f.size() - 1), "and it answered the request perl left unread");
        assertTrue(f.contains("@@ct:procfiles"));
    }

    @Test
    void whereThereIsNoPerlTheShProbeSkipsItsBytesAndAnswers() throws Exception {
        // a PATH with what probe.sh runs, and no perl
        Path bin = Files.createDirectory(tmp.resolve("bin"));
        for (String tool : List.of("sed", "sort", "head", "dd", "cat", "grep", "tail", "date", "timeout")) {
            for (String dir : List.of("/usr/bin", "/bin")) {
                Path real = Path.of(dir, tool);
                if (Files.isExecutable(real) && !Files.exists(bin.resolve(tool))) {
                    Files.createSymbolicLink(bin.resolve(tool), real);
                }
            }
        }
        List<String> f = frame(
                ProbeEngine.PERL_WHERE_PRESENT,
                Map.of("PATH", bin.toString()),
                RemoteScript.stdin(ProbeEngine.PERL_WHERE_PRESENT));
        assertEquals("@@ct:hello colabtop-probe 1", f.get(0), "the sh probe's hello: " + f);
        assertEquals("@@ct:end 1", f.get(f.size() - 1), "probe.pl's bytes skipped, the request answered");
        assertFalse(section(f, "passwd", x -> true).isEmpty());
    }

    /** Over a real sshd, both engines make the same snapshot of what holds still. */
    @Test
    @HostTest
    void overSshBothEnginesSeeTheSameHost() throws Exception {
        assumeTrue(sshd != null, "needs OpenSSH server (run-tests installs it)");
        Map<ProbeEngine, HostSnapshot> seen = new LinkedHashMap<>();
        for (ProbeEngine engine : ProbeEngine.values()) {
            try (RemoteSource src = new RemoteSource(
                    sshd.target(
                            "vm1",
                            TestSshd.knownHosts(tmp.resolve("kh-" + engine), sshd),
                            KnownHostsVerifier.Policy.STRICT),
                    20,
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(1),
                    InstantSource.system(),
                    engine)) {
                seen.put(engine, src.poll());
                assertEquals(engine == ProbeEngine.SH ? "sh" : "perl", src.engineInUse());
            }
        }
        HostSnapshot sh = seen.get(ProbeEngine.SH);
        HostSnapshot perl = seen.get(ProbeEngine.PERL_WHERE_PRESENT);
        assertEquals(sh.kernel(), perl.kernel());
        assertEquals(sh.memory().totalBytes(), perl.memory().totalBytes());
        assertEquals(sh.swaps(), perl.swaps());
        assertEquals(sh.cpuCount(), perl.cpuCount());
        assertEquals(sh.mounts(), perl.mounts());
        assertEquals(sh.oom().bootId(), perl.oom().bootId());
        assertEquals(sh.oom().killsSinceBoot(), perl.oom().killsSinceBoot());
        for (Process p : started) {
            Map<String, String> both = new LinkedHashMap<>();
            for (var e : seen.entrySet()) {
                ProcessInfo info = e.getValue().processes().stream()
                        .filter(x -> x.pid() == p.pid())
                        .findFirst()
                        .orElseThrow(() -> new AssertionError(e.getKey() + " missed " + p.pid()));
                both.put(
                        e.getKey().name(),
                        info.command().exact() + "|" + info.user().exact() + "|" + info.oomScoreAdj() + "|"
                                + e.getValue()
                                        .oom()
                                        .cgroups()
                                        .get((int) p.pid())
                                        .exact());
            }
            assertEquals(1, both.values().stream().distinct().count(), both.toString());
        }
        assertEquals(
                sh.processes().stream().map(ProcessInfo::pid).limit(5).collect(Collectors.toSet()),
                perl.processes().stream().map(ProcessInfo::pid).limit(5).collect(Collectors.toSet()),
                "the same next victims (the five started here)");
    }
}
