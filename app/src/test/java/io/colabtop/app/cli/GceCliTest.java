package io.colabtop.app.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.colabtop.app.config.AppPaths;
import io.colabtop.app.gce.FakeComputeServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * colabtop vms / stop / start end to end: the CLI, the real client, the local Compute server.
 * Prices are the shipped snapshot's us-central1 list prices: N1 vCPU 0.031611/h and GB 0.004237/h
 * (spot 0.01115 and 0.001494), V100 2.48/h, T4 spot 0.1654/h, pd-balanced 0.10, pd-ssd 0.17,
 * pd-standard 0.04, local SSD 0.08 (spot 0.0428) per GB-month, IPv4 in use 0.005/h;
 * europe-west4's pd-ssd 0.187.
 */
class GceCliTest {
    FakeComputeServer server;
    Path gcloud;

    @BeforeEach
    void start() throws Exception {
        server = new FakeComputeServer();
        System.setProperty("colabtop.compute.endpoint", server.endpoint());
        // the local server's operations are done after three polls: no need to wait 2 s each
        System.setProperty("colabtop.compute.pollEvery", "PT0.05S");
        gcloud = AppPaths.fromEnvironment().home().resolve(".config/gcloud");
    }

    @AfterEach
    void stop() throws Exception {
        System.clearProperty("colabtop.compute.endpoint");
        System.clearProperty("colabtop.compute.pollEvery");
        server.close();
        if (Files.exists(gcloud)) {
            try (Stream<Path> s = Files.walk(gcloud)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    static JsonNode vm(JsonNode root, String name) {
        for (JsonNode v : root.get("vms")) {
            if (v.get("name").asText().equals(name)) {
                return v;
            }
        }
        throw new AssertionError(name + " not in " + root);
    }

    @Test
    void vmsListsCostsAndTheFleetTotal() throws Exception {
        CliTest.Run r = CliTest.run("vms", "--project", "ml-project", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertEquals(4, root.get("vms").size());
        assertEquals("europe-west9-a", root.get("unreachableZones").get(0).asText(), "a zone the API could not reach");
        // n1-standard-8 + V100 + 200 GB pd-balanced + 100 GB pd-ssd + its 375 GB local SSD + its external IP
        double trainerHour = 8 * 0.031611 + 30 * 0.004237 + 2.48 + (200 * 0.10 + 100 * 0.17 + 375 * 0.08) / 730 + 0.005;
        JsonNode trainer = vm(root, "trainer-v100");
        assertEquals(trainerHour, trainer.get("costPerHour").asDouble(), 1e-9);
        assertTrue(trainer.get("costComplete").asBoolean());
        // stopped: only its 500 GB pd-ssd in europe-west4 (0.187/GB-month); its local SSD went with the stop
        assertEquals(500 * 0.187 / 730, vm(root, "a100-box").get("costPerHour").asDouble(), 1e-9);
        assertTrue(trainer.get("costSinceStart").asDouble() > 0);
        double sum = 0;
        for (JsonNode v : root.get("vms")) {
            sum += v.get("costPerHour").asDouble();
        }
        assertEquals(sum, root.get("totalPerHour").asDouble(), 1e-9);
        assertTrue(root.get("totalComplete").asBoolean());
        assertEquals(
                "shipped snapshot of 2026-07-30",
                root.get("prices").get("label").asText());
        CliTest.Run table = CliTest.run("vms", "--project", "ml-project", "--currency", "JPY", "--fx", "150");
        assertTrue(table.out().contains("trainer-v100") && table.out().contains("¥"), table.out());
        assertTrue(table.out().contains("4 VMs, 3 running"), table.out());
        assertTrue(
                table.out().contains("zones unreachable (their VMs are not listed, nor counted): europe-west9-a"),
                table.out());
        assertTrue(table.out().contains("prices: shipped snapshot of 2026-07-30"), table.out());
    }

    @Test
    void aTotalNeverHidesAVmItCannotPrice() throws Exception {
        CliTest.Run r = CliTest.run("vms", "--project", "odd-project", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertEquals(5, root.get("vms").size(), "every VM is listed, priced or not");
        assertFalse(root.get("totalComplete").asBoolean());
        // mystery: an unknown family whose only disk has vanished: nothing of it can be priced; vanished:
        // stopped, it bills its disk only, and that disk is gone from the list
        assertEquals(2, root.get("unpricedVms").asInt());
        JsonNode mystery = vm(root, "mystery");
        assertEquals(0, mystery.get("costPerHour").asDouble());
        assertFalse(mystery.get("costComplete").asBoolean());
        assertTrue(mystery.get("costMissing").toString().contains("zz9-standard-4"), mystery.toString());
        assertTrue(
                mystery.get("costMissing").toString().contains("type unknown (not in the project's disk list"),
                mystery.toString());
        // k80-box: its machine, disk and IP are priced, its K80 is not; win: its licence is not
        assertEquals(2, root.get("partlyPricedVms").asInt());
        JsonNode k80 = vm(root, "k80-box");
        assertEquals(
                4 * 0.031611 + 15 * 0.004237 + (50 * 0.10 + 375 * 0.08) / 730 + 0.005,
                k80.get("costPerHour").asDouble(),
                1e-9);
        assertTrue(
                root.get("notPriced").toString().contains("k80-box: 1x GPU nvidia-tesla-k80: not a GPU type"),
                root.get("notPriced").toString());
        assertTrue(
                root.get("notPriced").toString().contains("win: licence windows-server-2022-dc"),
                root.get("notPriced").toString());
        // a regional disk, read where it lives, at the regional rate (us-central1 0.20/GB-month)
        JsonNode regional = vm(root, "regional");
        assertTrue(regional.get("costComplete").asBoolean(), regional.toString());
        assertEquals(
                "regional-pd-balanced", regional.get("disks").get(1).get("type").asText());
        assertEquals(
                4 * 0.031611 + 16 * 0.004237 + (10 * 0.10 + 100 * 0.20) / 730,
                regional.get("costPerHour").asDouble(),
                1e-9);
        double sum = 0;
        for (JsonNode v : root.get("vms")) {
            sum += v.get("costPerHour").asDouble();
        }
        assertEquals(sum, root.get("totalPerHour").asDouble(), 1e-9, "the total is the priced part of every VM");

        CliTest.Run table = CliTest.run("vms", "--project", "odd-project");
        assertEquals(0, table.code(), table.err());
        assertTrue(table.out().contains(", 2 VMs unpriced, 2 VMs partly priced"), table.out());
        assertTrue(table.out().lines().anyMatch(l -> l.startsWith("5 VMs, 4 running: ≥ $")), table.out());
        assertTrue(table.out().lines().anyMatch(l -> l.startsWith("mystery ") && l.contains(" ? ")), table.out());
        assertTrue(table.out().contains("  not priced: k80-box: 1x GPU nvidia-tesla-k80"), table.out());
    }

    @Test
    void disksColabtopMayNotReadNeverFailAListOrAStop() throws Exception {
        // the credentials may list instances but not disks: listed, disks said unknown, no failure
        CliTest.Run r = CliTest.run("vms", "--project", "nodisks", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(
                r.err().contains("disk types unknown, disks not priced")
                        && r.err().contains("compute.disks.list"),
                r.err());
        JsonNode plain = vm(new ObjectMapper().readTree(r.out()), "plain");
        assertEquals("unknown", plain.get("disks").get(0).get("type").asText());
        assertFalse(plain.get("costComplete").asBoolean());
        assertEquals(
                4 * 0.031611 + 15 * 0.004237 + 0.005, plain.get("costPerHour").asDouble(), 1e-9);
        // a stop reads the disks one by one: 403 there too, and the stop goes on
        CliTest.Run stop = CliTest.run("stop", "plain", "--project", "nodisks", "--zone", "us-central1-a", "--yes");
        assertEquals(0, stop.code(), stop.out() + stop.err());
        assertTrue(stop.out().contains("not priced: disk 50 GB: disk plain: type unknown"), stop.out());
        assertTrue(stop.out().contains("TERMINATED"), stop.out());
        assertEquals(1, server.stopCalls.get());
    }

    @Test
    void stopAsksThenStopsAndIsAudited() throws Exception {
        CliTest.Run refused = CliTest.run("stop", "trainer-v100", "--project", "ml-project", "--zone", "us-central1-a");
        assertEquals(2, refused.code(), "no terminal, no --yes");
        assertTrue(refused.out().contains("DANGEROUS: vm-stop on trainer-v100"), refused.out());
        // all but its 300 GB of persistent disk (37 $/month at list price): 2.957 - 0.0507
        assertTrue(refused.out().contains("saves $2.91/h"), refused.out());
        assertTrue(refused.out().contains("its disks keep billing $0.0507/h"), refused.out());
        assertTrue(refused.out().contains("prices: shipped snapshot of 2026-07-30"), refused.out());
        assertEquals(0, server.stopCalls.get(), "nothing was sent");
        // one currency everywhere, plans too
        CliTest.Run yen = CliTest.run(
                "stop",
                "trainer-v100",
                "--project",
                "ml-project",
                "--zone",
                "us-central1-a",
                "--currency",
                "JPY",
                "--fx",
                "150");
        assertTrue(yen.out().contains("saves ¥436/h") && yen.out().contains("disks keep billing ¥7.60/h"), yen.out());
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
    void aStoppedVmIsNotStoppedAgainNorARunningOneStarted() {
        long audited = CliTest.run("audit", "-n", "100000").out().lines().count();
        CliTest.Run again =
                CliTest.run("stop", "a100-box", "--project", "ml-project", "--zone", "europe-west4-a", "--yes");
        assertEquals(0, again.code(), "already where the user wants it");
        assertTrue(
                again.out().contains("a100-box is already stopped (TERMINATED): stopping it again saves nothing"),
                again.out());
        assertTrue(again.out().contains("its disks keep billing $0.1281/h"), again.out());
        assertFalse(again.out().contains("saves $"), again.out());
        CliTest.Run vanished =
                CliTest.run("stop", "vanished", "--project", "odd-project", "--zone", "us-central1-a", "--yes");
        assertEquals(0, vanished.code(), vanished.err());
        assertTrue(vanished.out().contains("its disks keep billing ≥ $0.00/h"), vanished.out());
        CliTest.Run running =
                CliTest.run("start", "trainer-v100", "--project", "ml-project", "--zone", "us-central1-a", "--yes");
        assertEquals(0, running.code());
        assertTrue(
                running.out().contains("start refused: trainer-v100 is already RUNNING, billing $2.96/h"),
                running.out());
        assertEquals(0, server.stopCalls.get() + server.startCalls.get(), "nothing was sent");
        assertEquals(
                audited,
                CliTest.run("audit", "-n", "100000").out().lines().count(),
                "nothing was planned, so nothing audited");
    }

    @Test
    void projectAndZoneComeFromGcloudsActiveConfigurationAndSaySo() throws Exception {
        CliTest.Run none = CliTest.run("vms");
        assertEquals(2, none.code());
        assertTrue(
                none.err().contains("no project: give --project, or set one with gcloud config set project"),
                none.err());
        CliTest.Run bare = CliTest.run("status", "--project");
        assertEquals(2, bare.code());
        assertTrue(
                bare.err().contains("--project without a value takes gcloud's project, and gcloud has none"),
                bare.err());
        Files.createDirectories(gcloud.resolve("configurations"));
        Files.writeString(gcloud.resolve("active_config"), "work\n");
        Path config = gcloud.resolve("configurations/config_work");
        Files.writeString(
                config,
                "[core]\naccount = sarah@example.com\nproject = ml-project\n\n[compute]\nzone = us-central1-a\n");
        Files.writeString(gcloud.resolve("configurations/config_default"), "[core]\nproject = forbidden\n");
        CliTest.Run vms = CliTest.run("vms", "--json");
        assertEquals(0, vms.code(), vms.err());
        assertTrue(
                vms.err().contains("project ml-project (from gcloud configuration 'work', " + config + ")"), vms.err());
        assertEquals(
                "ml-project",
                new ObjectMapper().readTree(vms.out()).get("project").asText());
        CliTest.Run stop = CliTest.run("stop", "trainer-v100");
        assertTrue(stop.err().contains("zone us-central1-a (from gcloud configuration 'work'"), stop.err());
        assertTrue(stop.out().contains("DANGEROUS: vm-stop on trainer-v100.us-central1-a.ml-project"), stop.out());
        assertEquals(0, CliTest.run("status", "--project").code(), "--project alone: gcloud's project");
        // the command line wins
        assertEquals(1, CliTest.run("vms", "--project", "forbidden").code());
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
        CliTest.Run currency = CliTest.run("vms", "--project", "ml-project", "--currency", "ABC", "--fx", "2");
        assertEquals(2, currency.code());
        assertTrue(currency.err().contains("not an ISO 4217 currency code"), currency.err());
    }

    @Test
    void vmsAsCsvMatchTheJsonAndQuietLeavesOnlyTheRows() throws Exception {
        CliTest.Run csv = CliTest.run("vms", "--project", "ml-project", "--format", "csv");
        assertEquals(0, csv.code(), csv.err());
        java.util.List<java.util.Map<String, String>> rows = new com.fasterxml.jackson.dataformat.csv.CsvMapper()
                .readerFor(java.util.Map.class)
                .with(com.fasterxml.jackson.dataformat.csv.CsvSchema.emptySchema()
                        .withHeader())
                .<java.util.Map<String, String>>readValues(csv.out())
                .readAll();
        JsonNode json = new ObjectMapper()
                .readTree(CliTest.run("vms", "--project", "ml-project", "--format", "json")
                        .out());
        assertEquals(json.get("vms").size(), rows.size());
        for (JsonNode v : json.get("vms")) {
            java.util.Map<String, String> row = rows.stream()
                    .filter(r -> r.get("name").equals(v.get("name").asText())
                            && r.get("zone").equals(v.get("zone").asText()))
                    .findFirst()
                    .orElseThrow();
            assertEquals(v.get("costPerHour").asDouble(), Double.parseDouble(row.get("costPerHour")), 1e-12);
            assertEquals(v.get("status").asText(), row.get("status"));
        }
        CliTest.Run quiet = CliTest.run("vms", "--project", "ml-project", "-q");
        assertEquals(0, quiet.code());
        assertTrue(quiet.out().contains("trainer-v100"), quiet.out());
        assertFalse(quiet.out().contains("VMs,") || quiet.out().contains("prices:"), "no totals: " + quiet.out());
        assertFalse(quiet.err().contains("warning"), "no warnings: " + quiet.err());
    }
}
