package io.colabtop.app.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.colabtop.app.gce.FakeComputeServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** colabtop vms / stop / start end to end: the CLI, the real client, the local Compute server. */
class GceCliTest {
    FakeComputeServer server;

    @BeforeEach
    void start() throws Exception {
        server = new FakeComputeServer();
        System.setProperty("colabtop.compute.endpoint", server.endpoint());
        // the local server's operations are done after three polls: no need to wait 2 s each
        System.setProperty("colabtop.compute.pollEvery", "PT0.05S");
    }

    @AfterEach
    void stop() {
        System.clearProperty("colabtop.compute.endpoint");
        System.clearProperty("colabtop.compute.pollEvery");
        server.close();
    }

    @Test
    void vmsListsCostsAndTheFleetTotal() throws Exception {
        CliTest.Run r = CliTest.run("vms", "--project", "ml-project", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("UNREACHABLE"), "zone warnings are shown: " + r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertEquals(4, root.get("vms").size());
        JsonNode trainer = null;
        JsonNode a100 = null;
        for (JsonNode v : root.get("vms")) {
            if (v.get("name").asText().equals("trainer-v100")) {
                trainer = v;
            }
            if (v.get("name").asText().equals("a100-box")) {
                a100 = v;
            }
        }
        // n1-standard-8 + V100 + 200 GB pd-balanced + 100 GB pd-ssd, us-central1 list prices
        double trainerHour = 8 * 0.031611 + 30 * 0.004237 + 2.48 + (200 * 0.10 + 100 * 0.17) / 730;
        assertEquals(trainerHour, trainer.get("costPerHour").asDouble(), 1e-9);
        // stopped: only its 500 GB pd-ssd in europe-west4 (0.187/GB-month)
        assertEquals(500 * 0.187 / 730, a100.get("costPerHour").asDouble(), 1e-9);
        assertTrue(trainer.get("costSinceStart").asDouble() > 0);
        double sum = 0;
        for (JsonNode v : root.get("vms")) {
            sum += v.get("costPerHour").asDouble();
        }
        assertEquals(sum, root.get("totalPerHour").asDouble(), 1e-9);
        CliTest.Run table = CliTest.run("vms", "--project", "ml-project", "--currency", "JPY", "--fx", "150");
        assertTrue(table.out().contains("trainer-v100") && table.out().contains("¥"), table.out());
        assertTrue(table.out().contains("4 VMs, 3 running"), table.out());
    }

    @Test
    void stopAsksThenStopsAndIsAudited() throws Exception {
        CliTest.Run refused = CliTest.run("stop", "trainer-v100", "--project", "ml-project", "--zone", "us-central1-a");
        assertEquals(2, refused.code(), "no terminal, no --yes");
        assertTrue(refused.out().contains("DANGEROUS: vm-stop on trainer-v100"), refused.out());
        assertTrue(refused.out().contains("saves $2.86/h"), refused.out());
        assertEquals(0, server.stopCalls.get(), "nothing was sent");
        CliTest.Run done =
                CliTest.run("stop", "trainer-v100", "--project", "ml-project", "--zone", "us-central1-a", "--yes");
        assertEquals(0, done.code(), done.out() + done.err());
        assertTrue(done.out().contains("TERMINATED"), done.out());
        assertEquals(1, server.stopCalls.get());
        CliTest.Run audit = CliTest.run("audit", "-n", "2");
        assertTrue(audit.out().lines().anyMatch(l -> l.contains("vm-stop") && l.contains(" ok ")), audit.out());
        CliTest.Run started =
                CliTest.run("start", "trainer-v100", "--project", "ml-project", "--zone", "us-central1-a", "--yes");
        assertEquals(0, started.code(), started.err());
        assertTrue(started.out().contains("RUNNING"), started.out());
    }

    @Test
    void apiErrorsAndBadNamesAreClear() {
        CliTest.Run forbidden = CliTest.run("vms", "--project", "forbidden");
        assertEquals(1, forbidden.code());
        assertTrue(
                forbidden.err().contains("403") && forbidden.err().contains("compute.instances.list"), forbidden.err());
        CliTest.Run missing =
                CliTest.run("stop", "nope", "--project", "ml-project", "--zone", "us-central1-a", "--yes");
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("404"), missing.err());
        assertEquals(
                2,
                CliTest.run("stop", "Bad;Name", "--project", "ml-project", "--zone", "us-central1-a")
                        .code());
        assertEquals(2, CliTest.run("vms", "--project", "$(id)").code());
        assertEquals(
                2,
                CliTest.run("stop", "vm", "--project", "ml-project", "--zone", "nowhere")
                        .code());
    }
}
