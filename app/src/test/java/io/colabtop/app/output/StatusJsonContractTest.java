package io.colabtop.app.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.colabtop.app.cli.CliTest;
import io.colabtop.core.Gpu;
import io.colabtop.core.GpuProcess;
import io.colabtop.core.HostSnapshot;
import io.colabtop.core.HostState;
import io.colabtop.core.HostText;
import io.colabtop.core.MemInfo;
import io.colabtop.core.MountEntry;
import io.colabtop.core.Pressure;
import io.colabtop.core.ProcessInfo;
import io.colabtop.core.SwapArea;
import io.colabtop.core.oom.OomEvent;
import io.colabtop.core.oom.OomReport;
import io.colabtop.core.oom.OomdState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code colabtop status --json} is a contract with scripts. A fixed fleet rendered by
 * {@link SnapshotJson} must equal {@code contracts/status.json} byte for byte: renaming, dropping,
 * reordering or retyping a field fails here. Adding a field is allowed, deliberately: rerun with
 * {@code -Dcolabtop.golden.update=true} (it rewrites the file and still fails), review the diff,
 * commit it. The real output for this machine must carry every field of that file with its type.
 */
class StatusJsonContractTest {
    private static final String GOLDEN = "contracts/status.json";
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final long MIB = 1L << 20;

    /**
     * Fields that are null when the host has nothing to say (no PSI, nvidia-smi's [N/A], a host that
     * failed; a kernel without the oom_kill counter, a log that did not say, no systemd-oomd, too few
     * samples for a forecast).
     */
    private static final Set<String> NULLABLE = Set.of(
            "error",
            "pressure",
            "memoryUsedBytes",
            "memoryTotalBytes",
            "memoryFreeBytes",
            "utilizationPercent",
            "usedMemoryBytes",
            "oom",
            "killsSinceBoot",
            "bootId",
            "source",
            "sourceNote",
            "time",
            "pid",
            "rssBytes",
            "oomScoreAdj",
            "uid",
            "cgroup",
            "limitCgroup",
            "processesKilled",
            "oomd",
            "swapUsedLimitPercent",
            "defaultPressureLimitPercent",
            "defaultPressureDurationSeconds",
            "monitoredCgroup",
            "fullAvg10",
            "limitPercent",
            "secondsToOom",
            "headroomBytes");
    /** Fields written only when they apply. */
    private static final Set<String> OPTIONAL = Set.of("kernel", "gpuError", "commandCut");

    /** A GPU trainer with everything, a CPU box without PSI whose nvidia-smi failed, a host gone down, one never reached. */
    static List<HostState> fleet() {
        HostSnapshot trainer = new HostSnapshot(
                "trainer",
                T0,
                new MemInfo(52L << 30, 1L << 30, 3L << 30, 200 * MIB, 2L << 30, 16L << 30, 4L << 30),
                new Pressure(63.17, 41.02, 12.90, 98765432L, 38.54, 22.10, 6.75, 45678901L),
                List.of(
                        new SwapArea("/swapfile", "file", 16L << 30, 12L << 30, -2),
                        new SwapArea("/mnt/disks/scratch/swap 2", "file", 1L << 30, 0, 5)),
                List.of(
                        new ProcessInfo(
                                4242,
                                4100,
                                HostText.of("sarah_example_com"),
                                HostText.of("python3"),
                                HostText.of("python3 train.py --data /content/gcs/imagenet --epochs 90", 32),
                                41L << 30,
                                1310,
                                300,
                                162961L,
                                'R'),
                        new ProcessInfo(
                                4301,
                                4242,
                                "sarah_example_com",
                                "pt_data_worker",
                                "python3 -c \"from multiprocessing"
                                        + " import ...\" \u001b]0;pwned\u0007 \u202eevil.sh",
                                2L << 30,
                                690,
                                0,
                                163002L,
                                'S'),
                        new ProcessInfo(2, 0, "root", "kthreadd", "", 0, 0, 0, 5L, 'S')),
                List.of(
                        new Gpu(
                                0,
                                "GPU-0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
                                "NVIDIA A100-SXM4-40GB",
                                40960 * MIB,
                                38900 * MIB,
                                2060 * MIB,
                                97),
                        new Gpu(
                                1,
                                "GPU-1c2d3e4f-5061-7283-94a5-b6c7d8e9f0a1",
                                "NVIDIA A100-SXM4-40GB",
                                40960 * MIB,
                                null,
                                null,
                                null)),
                List.of(
                        new GpuProcess(
                                "GPU-0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0", 4242, "/usr/bin/python3", 38900 * MIB),
                        new GpuProcess("GPU-1c2d3e4f-5061-7283-94a5-b6c7d8e9f0a1", 4301, "python3", null)),
                "NVIDIA-SMI: GPU 1 is lost",
                null,
                12,
                "Debian GNU/Linux 12 (bookworm) 6.1.0-27-cloud-amd64",
                List.of(new MountEntry("training-data", "/content/gcs", "fuse.gcsfuse")),
                trainerOom());
        HostSnapshot cpuBox = new HostSnapshot(
                "cpu-box",
                T0.plusSeconds(1),
                new MemInfo(8L << 30, 6L << 30, 7L << 30, 0, 0, 0, 0),
                null,
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.",
                null,
                2,
                null,
                List.of());
        // the trainer's memory and swap shrank by 200 MiB every 20 s for two minutes: a forecast
        HostState trainerState = HostState.pending("trainer");
        for (int i = 6; i >= 1; i--) {
            MemInfo m = trainer.memory();
            trainerState = trainerState.withSnapshot(at(
                    trainer,
                    T0.minusSeconds(20L * i),
                    new MemInfo(
                            m.totalBytes(),
                            m.freeBytes(),
                            m.availableBytes() + i * 200 * MIB,
                            m.buffersBytes(),
                            m.cachedBytes(),
                            m.swapTotalBytes(),
                            m.swapFreeBytes())));
        }
        return List.of(
                trainerState.withSnapshot(trainer),
                HostState.pending("cpu-box").withSnapshot(cpuBox),
                HostState.pending("down-vm")
                        .withSnapshot(cpuBox)
                        .withFailure("connect timed out after 5s", T0.plusSeconds(9)),
                HostState.pending("never-reached"));
    }

    /** Two kills (a container's limit, with a hostile comm; oomd on pressure), oomd watching, cgroups of two processes. */
    static OomReport trainerOom() {
        String user = "/user.slice/user-1000.slice/user@1000.service";
        OomdState oomd = OomdState.parse(String.join(
                "\n",
                "active",
                "Dry Run: no",
                "Swap Used Limit: 90.00%",
                "Default Memory Pressure Limit: 60.00%",
                "Default Memory Pressure Duration: 20s",
                "System Context:",
                "\tMemory: Used: 49.0G Total: 52.0G",
                "\tSwap: Used: 12.0G Total: 16.0G",
                "Swap Monitored CGroups:",
                "\tPath: /",
                "\t\tSwap Usage: (see System Context)",
                "Memory Pressure Monitored CGroups:",
                "\tPath: " + user,
                "\t\tMemory Pressure Limit: 50.00%",
                "\t\tPressure: Avg10: 12.31 Avg60: 4.02 Avg300: 0.95 Total: 1min 24s",
                "\t\tCurrent Memory Usage: 44.1G",
                ""));
        List<OomEvent> events = List.of(
                new OomEvent(
                        T0.minusSeconds(3600),
                        OomEvent.Killer.KERNEL,
                        OomEvent.Constraint.CGROUP_LIMIT,
                        "memory limit of cgroup /docker/ab12 hit (not a host OOM)",
                        4100,
                        HostText.of("python3\u001b[2J", 64),
                        12L << 30,
                        0,
                        1000,
                        HostText.of("/docker/ab12"),
                        HostText.of("/docker/ab12"),
                        List.of(HostText.of("docker-ab12.scope")),
                        List.of(HostText.of("docker-ab12.scope")),
                        null),
                new OomEvent(
                        T0.minusSeconds(600),
                        OomEvent.Killer.SYSTEMD_OOMD,
                        OomEvent.Constraint.PRESSURE,
                        "memory pressure (full avg10) of " + user + " 57.97% > 50.00% for > 20s",
                        null,
                        HostText.of("vte-spawn-1f.scope"),
                        null,
                        null,
                        null,
                        HostText.of(user + "/app.slice/vte-spawn-1f.scope"),
                        HostText.of(user),
                        List.of(HostText.of("vte-spawn-1f.scope")),
                        List.of(),
                        3));
        return new OomReport(
                2L,
                "e6dd75da-7ad9-455b-94ae-5bea1e9f7ef4",
                "dmesg",
                "journal: no kernel messages readable (no persistent journal, or this user is not in the "
                        + "systemd-journal or adm group); kern.log: /var/log/kern.log does not exist",
                events,
                oomd,
                Map.of(
                        4242, HostText.of(user + "/app.slice/run-r1.scope"),
                        4301, HostText.of("/user.slice/user-1000.slice/session-3.scope")));
    }

    /** {@code s} read at {@code t} with memory {@code m}. */
    static HostSnapshot at(HostSnapshot s, Instant t, MemInfo m) {
        return new HostSnapshot(
                s.host(),
                t,
                m,
                s.pressure(),
                s.swaps(),
                s.processes(),
                s.gpus(),
                s.gpuProcesses(),
                s.gpuError(),
                s.cpu(),
                s.cpuCount(),
                s.kernel(),
                s.mounts(),
                s.oom());
    }

    static String golden() throws IOException {
        try (InputStream in = StatusJsonContractTest.class.getResourceAsStream("/" + GOLDEN)) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aFixedFleetRendersExactlyAsTheGoldenFile() throws IOException {
        String actual = SnapshotJson.write(fleet()) + "\n";
        if (Boolean.getBoolean("colabtop.golden.update")) {
            Files.writeString(Path.of("src/test/resources", GOLDEN), actual, StandardCharsets.UTF_8);
            fail("rewrote src/test/resources/" + GOLDEN + ": review the diff (fields may be added, never renamed or "
                    + "dropped) and commit it");
        }
        assertEquals(golden(), actual, "status --json changed; a script reading it breaks (see this class's comment)");
    }

    @Test
    void theGoldenFileIsTheFullShapeOfAHost() throws IOException {
        JsonNode trainer = new ObjectMapper().readTree(golden()).get("hosts").get(0);
        for (String f : OPTIONAL) {
            assertTrue(
                    trainer.has(f) || trainer.at("/processes/0").has(f), "the golden host shows optional field " + f);
        }
        assertTrue(trainer.at("/processes/0/commandCut").asBoolean(), "a cut command line says so");
        assertEquals("kernel", trainer.at("/oom/events/0/killer").asText());
        assertEquals("python3\u001b[2J", trainer.at("/oom/events/0/command").asText(), "host text is exact in JSON");
        assertEquals("/docker/ab12", trainer.at("/oom/events/0/limitCgroup").asText());
        assertEquals("systemd-oomd", trainer.at("/oom/events/1/killer").asText());
        assertEquals("declining", trainer.at("/oom/forecast/state").asText());
        assertEquals("pressure", trainer.at("/processes/0/oomd/rule").asText(), "a job under user@1000.service");
        assertEquals("swap", trainer.at("/processes/1/oomd/rule").asText(), "an SSH session's job: the swap rule");
        assertTrue(
                trainer.at("/processes/1/command").asText().endsWith("\u001b]0;pwned\u0007 \u202eevil.sh"),
                "host text is exact in JSON");
    }

    @Test
    void theRealStatusOfThisMachineHasEveryGoldenFieldWithItsType() throws IOException {
        CliTest.Run r = CliTest.run("status", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode local = new ObjectMapper().readTree(r.out()).get("hosts").get(0);
        assertTrue(local.get("processes").size() > 0, "the local machine lists processes, so their fields are checked");
        JsonNode golden = new ObjectMapper().readTree(golden()).get("hosts").get(0);
        matches(golden, local, "hosts[0]");
    }

    /** Every field of {@code golden} is in {@code actual} with the same JSON type (null where that is allowed). */
    static void matches(JsonNode golden, JsonNode actual, String path) {
        for (Iterator<Map.Entry<String, JsonNode>> it = golden.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String field = e.getKey();
            String where = path + "." + field;
            JsonNode a = actual.get(field);
            if (a == null) {
                assertTrue(OPTIONAL.contains(field), "missing " + where);
                continue;
            }
            JsonNode g = e.getValue();
            if (a.isNull() && NULLABLE.contains(field)) {
                continue;
            }
            // JSON's own types: a long and a double are both NUMBER
            assertEquals(g.getNodeType(), a.getNodeType(), where + " is " + a);
            if (g.isObject()) {
                matches(g, a, where);
            } else if (g.isArray() && g.size() > 0) {
                for (int i = 0; i < a.size(); i++) {
                    matches(g.get(0), a.get(i), where + "[" + i + "]");
                }
            }
        }
    }

    @Test
    void theMatcherCatchesARenamedOrRetypedField() throws IOException {
        JsonNode golden = new ObjectMapper().readTree(golden()).get("hosts").get(0);
        String renamed = golden.toString().replace("\"oomScoreAdj\"", "\"oom_score_adj\"");
        String retyped = golden.toString().replace("\"cpuCount\":12", "\"cpuCount\":\"12\"");
        for (String broken : List.of(renamed, retyped)) {
            assertFalse(broken.equals(golden.toString()), "the edit applied");
            JsonNode b = new ObjectMapper().readTree(broken);
            try {
                matches(golden, b, "hosts[0]");
            } catch (AssertionError expected) {
                continue;
            }
            fail("not caught: " + broken);
        }
    }
}
