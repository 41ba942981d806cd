package io.colabtop.ssh;

import static org.junit.jupiter.api.Assertions.*;

import io.colabtop.core.HostSnapshot;
import io.colabtop.core.ParseException;
import io.colabtop.core.RawProbe;
import io.colabtop.core.SnapshotAssembler;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProbeFrameTest {
    static List<String> frame(String name) throws Exception {
        try (InputStream in = ProbeFrameTest.class.getResourceAsStream("/frames/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    @Test
    void recordedFrameParsesIntoASnapshot() throws Exception {
        RawProbe raw = ProbeFrame.parse(frame("debian12-no-gpu.txt"), null);
        assertTrue(raw.meminfo().startsWith("MemTotal:"));
        assertNotNull(raw.passwd());
        assertTrue(raw.passwd().startsWith("root:x:0:0:"));
        assertEquals(5, raw.processes().size());
        assertNull(raw.gpuCsv());
        assertTrue(raw.kernel().startsWith("Debian GNU/Linux 12 (bookworm) "), raw.kernel());
        HostSnapshot s = SnapshotAssembler.assemble("vm", Instant.EPOCH, raw);
        assertEquals(24683656L * 1024, s.memory().totalBytes());
        // the fifth process exited between the probe's ranking and its reads: its sections are
        // empty in the recording, and the snapshot drops it rather than failing
        assertTrue(raw.processes().get(4).stat().isEmpty());
        assertEquals(4, s.processes().size());
        assertEquals(2, s.cpuCount());
        assertNotNull(s.pressure());
        assertFalse(s.processes().get(0).command().isEmpty());
    }

    @Test
    void passwdFromAnEarlierFrameIsKept() throws Exception {
        List<String> lines = new ArrayList<>();
        boolean skip = false;
        for (String l : frame("debian12-no-gpu.txt")) {
            if (l.startsWith("@@ct:")) {
                skip = l.equals("@@ct:passwd");
            }
            if (!skip) {
                lines.add(l);
            }
        }
        RawProbe raw = ProbeFrame.parse(lines, "cached:x:0:0::/:/bin/sh\n");
        assertEquals("cached:x:0:0::/:/bin/sh\n", raw.passwd());
    }

    @Test
    void truncatedOrForeignFramesAreErrors() throws Exception {
        List<String> f = frame("debian12-no-gpu.txt");
        assertThrows(ParseException.class, () -> ProbeFrame.parse(f.subList(0, f.size() - 3), null));
        assertThrows(ParseException.class, () -> ProbeFrame.parse(f.subList(1, f.size()), null));
        assertThrows(ParseException.class, () -> ProbeFrame.parse(List.of("@@ct:begin 1", "@@ct:end 1"), null));
    }

    @Test
    void gpuSectionsAndAFailingNvidiaSmi() {
        List<String> base = List.of("@@ct:begin 3", "@@ct:meminfo", "MemTotal: 100 kB", "@@ct:gpu",
                "0, GPU-abc, Tesla T4, 15360, 100, 15260, 3", "@@ct:gpu-rc 0", "@@ct:gpuapps",
                "GPU-abc, 42, python, 90", "@@ct:end 3");
        RawProbe ok = ProbeFrame.parse(base, null);
        assertTrue(ok.gpuCsv().contains("Tesla T4"));
        assertTrue(ok.gpuAppsCsv().contains("python"));
        assertNull(ok.gpuError());
        RawProbe bad = ProbeFrame.parse(List.of("@@ct:begin 4", "@@ct:meminfo", "MemTotal: 100 kB", "@@ct:gpu",
                "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.", "@@ct:gpu-rc 9",
                "@@ct:gpuapps", "@@ct:end 4"), null);
        assertNull(bad.gpuCsv());
        assertTrue(bad.gpuError().startsWith("NVIDIA-SMI has failed"));
    }

    @Test
    void scriptIsSafeToSingleQuote() {
        String cmd = RemoteScript.command(20);
        assertTrue(cmd.startsWith("exec /bin/sh -c '"));
        assertTrue(cmd.endsWith("' colabtop-probe 20"));
        String body = cmd.substring("exec /bin/sh -c '".length(), cmd.length() - "' colabtop-probe 20".length());
        assertEquals(-1, body.indexOf('\''));
        assertEquals(-1, body.indexOf('\n'));
        assertThrows(IllegalArgumentException.class, () -> RemoteScript.command(0));
        assertThrows(IllegalArgumentException.class, () -> RemoteScript.command(501));
    }
}
