package io.colabtop.app.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.colabtop.app.config.AppPaths;
import io.colabtop.app.config.PriceCatalogFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code colabtop cost} with the shipped snapshot (its rates are checked against the sources by
 * PriceSnapshotTest). us-west1 list prices: N1 vCPU 0.031611/h, GB 0.004237/h; T4 0.35/h;
 * pd-balanced 0.10 per GB-month; us-central1's V100 2.48/h.
 */
class CostTest {
    @TempDir
    Path tmp;

    @Test
    void theTypicalColabCustomVmInAZoneTheOldCatalogLacked() throws Exception {
        // issue 11: "no prices for region us-west1 (catalog has [us-central1, europe-west4, asia-northeast1])"
        CliTest.Run r = CliTest.run(
                "cost",
                "--machine-type",
                "n1-highmem-2",
                "--gpu",
                "nvidia-tesla-t4",
                "--zone",
                "us-west1-b",
                "--vs-colab");
        assertEquals(0, r.code(), r.err());
        double hour = 2 * 0.031611 + 13 * 0.004237 + 0.35;
        assertTrue(r.out().contains("machine n1-highmem-2 (2 vCPUs, 13 GB)  $0.1183/h"), r.out());
        assertTrue(r.out().contains("1x GPU nvidia-tesla-t4                 $0.3500/h"), r.out());
        assertTrue(r.out().contains("total                                  $0.4683/h at list price"), r.out());
        // a month: N1 and its GPU at 70 % of list, as Google discounts a VM running the whole month
        assertTrue(
                r.out()
                        .contains(String.format(
                                "per month (730 h): $%.2f, includes Google's automatic sustained-use",
                                hour * 730 * 0.7)),
                r.out());
        assertTrue(r.out().contains("prices: shipped snapshot of 2026-07-30"), r.out());
        assertTrue(
                r.out()
                        .contains(
                                "n1-highmem-2 + T4: $0.4683/h on GCE; Colab T4 runtime: 1.19 CU/h ~ $0.1189/h (units of 2026-03, $9.99 per 100 units)"),
                r.out());
        assertTrue(r.out().contains("  - A Colab GPU is not guaranteed"), r.out());
        assertTrue(r.out().contains("stopped: nothing (no disks given)"), r.out());
    }

    @Test
    void jsonInYenWithEveryItemAndTheCatalog() throws Exception {
        CliTest.Run r = CliTest.run(
                "cost",
                "--machine-type",
                "n1-standard-8",
                "--gpu",
                "v100",
                "--disk",
                "pd-balanced:200",
                "--zone",
                "us-central1-a",
                "--external-ip",
                "--currency",
                "jpy",
                "--fx",
                "150",
                "--json",
                "--vs-colab");
        assertEquals(0, r.code(), r.err());
        JsonNode n = new ObjectMapper().readTree(r.out());
        double hour = 8 * 0.031611 + 30 * 0.004237 + 2.48 + 200 * 0.10 / 730 + 0.005;
        assertEquals("JPY", n.get("currency").asText());
        assertEquals(hour * 150, n.get("totalPerHour").asDouble(), 1e-6);
        assertEquals(4, n.get("items").size());
        assertEquals("ip", n.get("items").get(3).get("kind").asText());
        // the month: N1 and its V100 with the sustained-use discount (70 %), the disk and IP at list price
        double n1AndGpu = 8 * 0.031611 + 30 * 0.004237 + 2.48;
        assertEquals(
                (n1AndGpu * 0.7 + 200 * 0.10 / 730 + 0.005) * 730 * 150,
                n.get("perMonth").asDouble(),
                1e-3);
        assertEquals(hour * 730 * 150, n.get("perMonthAtListPrice").asDouble(), 1e-3);
        assertTrue(n.get("sustainedUseDiscount").asBoolean());
        assertEquals(200 * 0.10 / 730 * 150, n.get("stoppedPerHour").asDouble(), 1e-6);
        assertEquals("snapshot", n.get("prices").get("kind").asText());
        assertEquals("2026-07-30", n.get("prices").get("date").asText());
        assertTrue(n.get("colab").get("runtime").isNull(), "Colab has no V100 runtime in the units file");
        assertTrue(n.get("colab").get("caveats").size() >= 3);
        CliTest.Run text = CliTest.run(
                "cost",
                "--machine-type",
                "n1-highmem-2",
                "--gpu",
                "t4",
                "--zone",
                "us-west1-b",
                "--currency",
                "JPY",
                "--fx",
                "150");
        // an hourly rate in yen keeps its cents
        assertTrue(text.out().contains("¥70.25/h at list price"), text.out());
    }

    @Test
    void everyRegionFamilyAndDiskKindOfTheSnapshot() {
        CliTest.Run a2 = CliTest.run("cost", "--machine-type", "a2-highgpu-1g", "--zone", "asia-northeast1-a");
        // the A100 in asia-northeast1 (13 % high before): the Billing Catalog's 4.049590926
        assertTrue(a2.out().contains("$4.05/h at list price"), a2.out());
        assertTrue(a2.out().contains("with 1x nvidia-tesla-a100"), a2.out());
        CliTest.Run c3 = CliTest.run(
                "cost",
                "--machine-type",
                "c3-standard-8-lssd",
                "--disk",
                "regional-pd-ssd:100",
                "--zone",
                "me-central2-a");
        assertEquals(0, c3.code(), c3.err());
        assertTrue(
                c3.out().contains("local SSD 750 GB local-ssd") && c3.out().contains("disk 100 GB regional-pd-ssd"),
                c3.out());
        CliTest.Run spot = CliTest.run("cost", "--machine-type", "g2-standard-8", "--zone", "europe-west4-b", "--spot");
        assertEquals(0, spot.code(), spot.err());
        assertTrue(spot.out().contains("g2-standard-8 in europe-west4, spot"), spot.out());
        assertTrue(spot.out().contains("(no sustained-use discount for this shape)"), spot.out());
    }

    @Test
    void whatCannotBePricedIsAClearUsageError() {
        CliTest.Run v100 =
                CliTest.run("cost", "--machine-type", "n1-standard-4", "--gpu", "v100", "--zone", "us-west2-a");
        assertEquals(2, v100.code());
        assertTrue(v100.err().contains("1x GPU nvidia-tesla-v100: not offered in us-west2 (priced in"), v100.err());
        assertTrue(v100.err().contains("us-central1"), v100.err());
        CliTest.Run ext = CliTest.run("cost", "--machine-type", "n2-custom-2-20480-ext");
        assertEquals(2, ext.code());
        assertTrue(ext.err().contains("extended memory 4.00 GB: no N2 extended-memory rate"), ext.err());
        assertTrue(ext.err().contains("colabtop prices update fetches it"), ext.err());
        assertEquals(
                2,
                CliTest.run("cost", "--machine-type", "n1-standard-8", "--currency", "JPY")
                        .code(),
                "needs --fx");
        CliTest.Run iso = CliTest.run("cost", "--machine-type", "n1-standard-8", "--currency", "XYZ", "--fx", "2");
        assertEquals(2, iso.code());
        assertTrue(iso.err().contains("not an ISO 4217 currency code"), iso.err());
        assertEquals(2, CliTest.run("cost", "--machine-type", "mystery-9").code());
        assertEquals(
                2,
                CliTest.run("cost", "--machine-type", "n1-standard-8", "--disk", "pd-ssd")
                        .code());
        assertEquals(
                2,
                CliTest.run("cost", "--machine-type", "n1-standard-8", "--gpu", "v100:99")
                        .code());
        CliTest.Run mars = CliTest.run("cost", "--machine-type", "n1-standard-8", "--zone", "mars-north9-z");
        assertEquals(2, mars.code());
        assertTrue(
                mars.err()
                        .contains("no prices for region mars-north9 in the shipped snapshot of 2026-07-30 (43 regions"),
                mars.err());
    }

    @Test
    void theZoneComesFromGcloudWhenNotGiven() throws Exception {
        Path gcloud = AppPaths.fromEnvironment().home().resolve(".config/gcloud");
        try {
            Files.createDirectories(gcloud.resolve("configurations"));
            Files.writeString(gcloud.resolve("configurations/config_default"), "[compute]\nzone = us-west1-b\n");
            CliTest.Run r = CliTest.run("cost", "--machine-type", "n1-highmem-2");
            assertEquals(0, r.code(), r.err());
            assertTrue(
                    r.out()
                            .startsWith("n1-highmem-2 in us-west1, USD (zone us-west1-b from gcloud configuration "
                                    + "'default', " + gcloud.resolve("configurations/config_default") + "):"),
                    r.out());
        } finally {
            try (Stream<Path> s = Files.walk(gcloud)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        assertTrue(CliTest.run("cost", "--machine-type", "n1-highmem-2")
                .out()
                .contains("(zone us-central1-a from default)"));
    }

    /** The shipped catalog as a tree, to change one value and write it as the user's file. */
    ObjectNode shipped() throws Exception {
        try (var in = PriceCatalogFile.class.getResourceAsStream("/io/colabtop/app/prices.json")) {
            return (ObjectNode) new ObjectMapper().readTree(in);
        }
    }

    CliTest.Run withPrices(ObjectNode catalog) throws Exception {
        Path f = tmp.resolve("p.json");
        Files.writeString(f, new ObjectMapper().writeValueAsString(catalog));
        return CliTest.run("cost", "--machine-type", "n1-standard-4", "--prices", f.toString());
    }

    @Test
    void aPriceFileWithAnUnbelievableRateIsRefusedNamingTheKey() throws Exception {
        ObjectNode t4 = shipped();
        ((ArrayNode) t4.get("regions").get("us-west1").get("gpus").get("nvidia-tesla-t4")).set(0, -0.35);
        assertRefused(t4, "regions.us-west1.gpus.nvidia-tesla-t4.onDemand = -0.35");
        ObjectNode vcpu = shipped();
        ((ArrayNode) vcpu.get("regions").get("us-central1").get("machines").get("n1")).set(0, 3161.1);
        assertRefused(vcpu, "regions.us-central1.machines.n1.vcpu = 3161.1");
        ObjectNode disk = shipped();
        ((ArrayNode) disk.get("regions").get("europe-west4").get("disks").get("pd-ssd")).set(0, 1e9);
        assertRefused(disk, "regions.europe-west4.disks.pd-ssd.onDemand = 1.0E9");
        ObjectNode cur = shipped();
        cur.put("currency", "usd\u001b");
        assertRefused(cur, "currency = usd\\x1b");
        ObjectNode key = shipped();
        ((ObjectNode) key.get("regions").get("us-west1")).putObject("gpuz");
        assertRefused(key, "regions.us-west1.gpuz is not a known key");
        ObjectNode region = shipped();
        ((ObjectNode) region.get("regions")).putObject("us-west1\u001b[2J");
        assertRefused(region, "regions: 'us-west1\\x1b[2J' is not a valid name here");
        ObjectNode shape = shipped();
        ((ObjectNode) shape.get("regions").get("us-west1").get("gpus"))
                .putArray("nvidia-tesla-t4")
                .add("cheap");
        assertRefused(shape, "regions.us-west1.gpus.nvidia-tesla-t4: expected [on-demand, spot]");
    }

    void assertRefused(ObjectNode catalog, String why) throws Exception {
        CliTest.Run r = withPrices(catalog);
        assertEquals(2, r.code(), r.out());
        assertTrue(
                r.err().contains(why) && r.err().contains(tmp.resolve("p.json").toString()), r.err());
    }

    @Test
    void colabtopsEarlierHandWrittenPriceFilesStillWork() throws Exception {
        Path f = tmp.resolve("old.json");
        Files.writeString(f, """
                {"source": "my own", "date": "2026-01-02", "currency": "USD", "regions": {"us-central1": {
                  "families": {"n1": {"onDemand": {"vcpuHour": 0.03, "memGbHour": 0.004},
                                      "custom": {"vcpuHour": 0.032, "memGbHour": 0.0042}, "extendedMemGbHour": 0.009}},
                  "gpus": {"nvidia-tesla-t4": {"hour": 0.3}}, "diskGbMonth": {"pd-balanced": 0.1}}}}
                """);
        CliTest.Run r = CliTest.run(
                "cost",
                "--machine-type",
                "n1-standard-4",
                "--gpu",
                "t4",
                "--disk",
                "pd-balanced:73",
                "--prices",
                f.toString(),
                "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode n = new ObjectMapper().readTree(r.out());
        assertEquals(
                4 * 0.03 + 15 * 0.004 + 0.3 + 73 * 0.1 / 730,
                n.get("totalPerHour").asDouble(),
                1e-12);
        assertEquals("prices file of 2026-01-02", n.get("prices").get("label").asText());
        CliTest.Run custom = CliTest.run("cost", "--machine-type", "custom-2-16384-ext", "--prices", f.toString());
        assertTrue(custom.out().contains("extended memory 3.00 GB"), custom.out());
        CliTest.Run spot = CliTest.run("cost", "--machine-type", "n1-standard-4", "--spot", "--prices", f.toString());
        assertEquals(2, spot.code());
        assertTrue(spot.err().contains("no spot N1 rates in us-central1 in the prices file of 2026-01-02"), spot.err());
    }

    @Test
    void csvIsOneRowPerItemThenTheTotalAndQuietDropsTheNotes() throws Exception {
        CliTest.Run csv = CliTest.run(
                "cost",
                "--machine-type",
                "n1-highmem-2",
                "--gpu",
                "t4",
                "--disk",
                "pd-balanced:100",
                "--zone",
                "us-west1-b",
                "--format",
                "csv");
        assertEquals(0, csv.code(), csv.err());
        com.fasterxml.jackson.databind.MappingIterator<java.util.Map<String, String>> it =
                new com.fasterxml.jackson.dataformat.csv.CsvMapper()
                        .readerFor(java.util.Map.class)
                        .with(com.fasterxml.jackson.dataformat.csv.CsvSchema.emptySchema()
                                .withHeader())
                        .readValues(csv.out());
        java.util.List<java.util.Map<String, String>> rows = it.readAll();
        java.util.Map<String, String> total = rows.get(rows.size() - 1);
        assertEquals("total", total.get("kind"));
        double sum = rows.subList(0, rows.size() - 1).stream()
                .mapToDouble(r -> Double.parseDouble(r.get("perHour")))
                .sum();
        assertEquals(Double.parseDouble(total.get("perHour")), sum, 1e-9, "the items add up to the total");
        assertTrue(rows.stream().anyMatch(r -> r.get("what").contains("tesla-t4")), rows.toString());
        CliTest.Run json =
                CliTest.run("cost", "--machine-type", "n1-highmem-2", "--gpu", "t4", "--zone", "us-west1-b", "--json");
        CliTest.Run fmt = CliTest.run(
                "cost", "--machine-type", "n1-highmem-2", "--gpu", "t4", "--zone", "us-west1-b", "--format", "json");
        assertEquals(json.out(), fmt.out(), "--json is --format json");
        CliTest.Run quiet = CliTest.run("cost", "--machine-type", "n1-highmem-2", "--zone", "us-west1-b", "-q");
        assertTrue(quiet.out().contains("at list price"), quiet.out());
        assertFalse(quiet.out().contains("per month") || quiet.out().contains("prices:"), quiet.out());
    }
}
