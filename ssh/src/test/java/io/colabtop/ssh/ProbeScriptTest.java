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

/**
 * The real probe script, run by this machine's /bin/sh (dash on Debian) exactly as the SSH exec
 * runs it, against hostile data: a driver whose output carries newlines and marker-shaped text,
 * and processes with huge or newline-filled command lines.
 */
class ProbeScriptTest {
    @TempDir
    Path tmp;

    /** Runs the probe for one frame with {@code path} first on PATH; returns the frame's lines. */
    private List<String> oneFrame(Path pathDir) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", RemoteScript.command(20));
        pb.environment().put("PATH", (pathDir == null ? "" : pathDir + ":") + System.getenv("PATH"));
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream();
             BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
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

    @Test
    void aDriverPrintingNewlinesAndMarkersCannotForgeSections() throws Exception {
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
        List<String> frame = oneFrame(bin);
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

    @Test
    void hugeCommandLinesAreCutOnTheHost() throws Exception {
        // 2 MB of argv in one argument, and 1 MB of newlines in another process: both bounded by the probe
        Process big = new ProcessBuilder("/bin/sh", "-c", "exec sleep 60 \"$0\"", "y".repeat(120_000)).start();
        Process lines = new ProcessBuilder("/bin/sh", "-c", "exec sleep 61 \"$0\"", "\n".repeat(120_000)).start();
        try {
            for (Process p : List.of(big, lines)) {
                Files.writeString(Path.of("/proc/" + p.pid() + "/oom_score_adj"), "999"); // rank them first
            }
            List<String> frame = oneFrame(null);
            long bytes = frame.stream().mapToLong(l -> l.length() + 1).sum();
            assertTrue(bytes < 400_000, "frame of " + bytes + " bytes");
            HostSnapshot s = SnapshotAssembler.assemble("h", Instant.now(), ProbeFrame.parse(frame, null));
            ProcessInfo pb = s.processes().stream().filter(p -> p.pid() == big.pid()).findFirst().orElseThrow();
            assertTrue(pb.command().exact().startsWith("sleep 60 yyyy"));
            assertTrue(pb.command().exact().length() <= 4096, "" + pb.command().exact().length());
            ProcessInfo pl = s.processes().stream().filter(p -> p.pid() == lines.pid()).findFirst().orElseThrow();
            assertTrue(pl.command().exact().startsWith("sleep 61 \n"));
            assertTrue(pl.command().exact().length() <= "sleep 61 ".length() + 4, "" + pl.command().exact().length());
        } finally {
            big.destroyForcibly();
            lines.destroyForcibly();
            big.waitFor(5, TimeUnit.SECONDS);
            lines.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
