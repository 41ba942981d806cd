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
import java.util.Map;
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
        assertEquals(6, raw.processes().size());
        assertNull(raw.gpuCsv());
        assertTrue(raw.kernel().startsWith("Debian GNU/Linux 12 (bookworm) "), raw.kernel());
        HostSnapshot s = SnapshotAssembler.assemble("vm", Instant.EPOCH, raw);
        assertEquals(24683656L * 1024, s.memory().totalBytes());
        assertEquals(6, s.processes().size());
        assertEquals(2, s.cpuCount());
        assertNotNull(s.cpu());
        assertNotNull(s.pressure());
        assertEquals(12737, s.processes().get(0).pid());
        assertEquals(
                "sshd: /usr/sbin/sshd -f /tmp/manual/c2302 [listener] 0 of 10-100 startups",
                s.processes().get(0).command().exact());
        assertEquals("root", s.processes().get(0).user().exact());
    }

    @Test
    void aProcessThatExitedBeforeItsFilesWereReadIsDropped() throws Exception {
        List<String> lines = new ArrayList<>(frame("debian12-no-gpu.txt"));
        // remove every listed file of pid 1093: ranked, then gone
        for (int i = 0; i < lines.size(); ) {
            if (lines.get(i).startsWith("/proc/1093/")) {
                lines.remove(i);
                lines.remove(i);
            } else {
                i++;
            }
        }
        RawProbe raw = ProbeFrame.parse(lines, null);
        assertEquals(6, raw.processes().size());
        HostSnapshot s = SnapshotAssembler.assemble("vm", Instant.EPOCH, raw);
        assertEquals(5, s.processes().size());
        assertTrue(s.processes().stream().noneMatch(p -> p.pid() == 1093));
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
    void sedListingGivesBackTheExactBytes() throws Exception {
        Map<String, byte[]> files = SedListing.parse(frame("sed-listing-weird.txt"));
        byte[] original;
        try (InputStream in = getClass().getResourceAsStream("/frames/pid-weird-cmdline.bin")) {
            original = in.readAllBytes();
        }
        byte[] cmdline = files.get("pid-weird-cmdline.bin");
        assertArrayEquals(original, cmdline, "NULs, spaces and the non-UTF-8 byte 0xe9 come back exactly");
        assertEquals((byte) 0xe9, cmdline[56]); // "caf" then 0xe9
        String status = new String(files.get("pid-weird-status.txt"), StandardCharsets.UTF_8);
        assertTrue(status.contains("Name:\tmy (weird) proc\n"), status);
        assertThrows(ParseException.class, () -> SedListing.parse(List.of("/f", "|no dollar")));
        assertThrows(ParseException.class, () -> SedListing.parse(List.of("/f", "no bar$")));
        assertThrows(ParseException.class, () -> SedListing.parse(List.of("/f")));
        assertThrows(ParseException.class, () -> SedListing.parse(List.of("/f", "|bad \\q escape$")));
    }

    @Test
    void aProcessNamedLikeAMarkerCannotEndTheFrame() throws Exception {
        List<String> lines = new ArrayList<>(frame("debian12-no-gpu.txt"));
        int i = lines.indexOf("/proc/12737/cmdline");
        lines.set(i + 1, "|@@ct:end 7\\000$"); // what sed prints for such a cmdline
        RawProbe raw = ProbeFrame.parse(lines, null);
        assertEquals(6, raw.processes().size());
        assertArrayEquals(
                "@@ct:end 7\0".getBytes(StandardCharsets.US_ASCII),
                raw.processes().get(0).cmdline());
    }

    @Test
    void gpuSectionsAndAFailingNvidiaSmi() {
        List<String> mem = List.of("@@ct:files", "/proc/meminfo", "|MemTotal: 100 kB$");
        List<String> ok = new ArrayList<>(List.of("@@ct:begin 3"));
        ok.addAll(mem);
        ok.addAll(List.of(
                "@@ct:gpu",
                "|0, GPU-abc, Tesla T4, 15360, 100, 15260, 3$",
                "@@ct:gpu-rc 0",
                "@@ct:gpuapps",
                "|GPU-abc, 42, python\303\251, 90$",
                "@@ct:end 3"));
        RawProbe good = ProbeFrame.parse(ok, null);
        assertTrue(good.gpuCsv().contains("Tesla T4"));
        assertTrue(good.gpuAppsCsv().contains("python\u00e9"), good.gpuAppsCsv());
        assertNull(good.gpuError());
        List<String> badFrame = new ArrayList<>(List.of("@@ct:begin 4"));
        badFrame.addAll(mem);
        badFrame.addAll(List.of(
                "@@ct:gpu",
                "|NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.$",
                "@@ct:gpu-rc 9",
                "@@ct:gpuapps",
                "@@ct:end 4"));
        RawProbe bad = ProbeFrame.parse(badFrame, null);
        assertNull(bad.gpuCsv());
        assertTrue(bad.gpuError().startsWith("NVIDIA-SMI has failed"));
    }

    /**
     * The command line every login shell parses is a constant that bash, zsh, fish, csh and tcsh
     * read alike: one single-quoted word with no quote, newline, backslash or '!' inside.
     */
    @Test
    void theStartCommandIsAConstantEveryLoginShellReadsAlike() {
        String cmd = RemoteScript.command(20);
        assertTrue(cmd.startsWith("exec /bin/sh -c '"));
        assertTrue(cmd.endsWith("' colabtop-probe 20"));
        String body = cmd.substring("exec /bin/sh -c '".length(), cmd.length() - "' colabtop-probe 20".length());
        assertEquals(RemoteScript.BOOTSTRAP, body);
        for (char c : new char[] {'\'', '\n', '\r', '\\', '!'}) {
            assertEquals(-1, body.indexOf(c), "no " + (int) c + " in " + body);
        }
        assertEquals(
                RemoteScript.command(7).replace("' colabtop-probe 7", "' colabtop-probe 20"), cmd, "only N changes");
        assertThrows(IllegalArgumentException.class, () -> RemoteScript.command(0));
        assertThrows(IllegalArgumentException.class, () -> RemoteScript.command(501));
    }

    /** What follows the command on stdin is probe.sh byte for byte, behind its length: nothing joined, nothing stripped. */
    @Test
    void theProbeIsSentAsWritten() throws Exception {
        byte[] file =
                java.nio.file.Files.readAllBytes(java.nio.file.Path.of("src/main/resources/io/colabtop/ssh/probe.sh"));
        byte[] head = (file.length + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] sent = RemoteScript.stdin();
        assertArrayEquals(head, java.util.Arrays.copyOf(sent, head.length));
        assertArrayEquals(file, java.util.Arrays.copyOfRange(sent, head.length, sent.length));
        assertEquals(new String(file, java.nio.charset.StandardCharsets.UTF_8), RemoteScript.script());
    }
}
