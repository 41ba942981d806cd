package io.colabtop.app.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.colabtop.app.config.PriceCatalogFile;
import io.colabtop.core.cost.CostModel;
import io.colabtop.core.cost.MachineShape;
import io.colabtop.core.cost.VmShape;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Costs from the shipped catalog against sums done by hand from its rates (us-central1,
 * USD/h): N1 vCPU 0.031611, GB 0.004237; custom 0.033174 / 0.004446, extended GB 0.00955;
 * N2 custom 0.033191 / 0.004446; N1 spot 0.006655 / 0.000892; V100 2.48, T4 spot 0.14,
 * A100 2.933908; pd-balanced 0.10 and pd-ssd 0.17 per GB-month over 730 h.
 */
class CostTest {
    final CostModel model = new CostModel(PriceCatalogFile.load(null));

    double hourly(String type, List<VmShape.GpuCount> gpus, List<VmShape.Disk> disks, String zone, boolean spot) {
        return model.hourly(new VmShape(type, gpus, disks, zone, spot)).total().usd();
    }

    @Test
    void predefinedWithGpuAndDisk() {
        assertEquals(
                8 * 0.031611 + 30 * 0.004237,
                hourly("n1-standard-8", List.of(), List.of(), "us-central1-a", false),
                1e-9);
        double v100Box = 8 * 0.031611 + 30 * 0.004237 + 2.48 + 200 * 0.10 / 730;
        assertEquals(2.887395, v100Box, 1e-6); // by hand: 0.252888 + 0.12711 + 2.48 + 0.0273973
        assertEquals(
                v100Box,
                hourly(
                        "n1-standard-8",
                        List.of(new VmShape.GpuCount("nvidia-tesla-v100", 1)),
                        List.of(new VmShape.Disk("pd-balanced", 200)),
                        "us-central1-b",
                        false),
                1e-9);
    }

    @Test
    void customAndExtendedMemory() {
        assertEquals(0.4078, hourly("n2-custom-8-32768", List.of(), List.of(), "us-central1-a", false), 1e-9);
        // 4 vCPUs with 30 GB: 26 GB (6.5 per vCPU) at the custom rate, 4 GB extended
        MachineShape s = MachineShape.parse("n1-custom-4-30720-ext");
        assertEquals(26, s.memGb(), 1e-9);
        assertEquals(4, s.extendedMemGb(), 1e-9);
        assertEquals(
                4 * 0.033174 + 26 * 0.004446 + 4 * 0.00955,
                hourly("n1-custom-4-30720-ext", List.of(), List.of(), "us-central1-a", false),
                1e-9);
    }

    @Test
    void spotAndBundledGpus() {
        assertEquals(
                8 * 0.006655 + 30 * 0.000892 + 0.14,
                hourly(
                        "n1-standard-8",
                        List.of(new VmShape.GpuCount("nvidia-tesla-t4", 1)),
                        List.of(),
                        "us-central1-a",
                        true),
                1e-9);
        // a2-highgpu-1g: 12 vCPU + 85 GB + one A100 40GB = Google's published 3.673385
        assertEquals(3.673385, hourly("a2-highgpu-1g", List.of(), List.of(), "us-central1-c", false), 1e-6);
        // the API lists the bundled A100 as an accelerator too: not counted twice
        assertEquals(
                3.673385,
                hourly(
                        "a2-highgpu-1g",
                        List.of(new VmShape.GpuCount("nvidia-tesla-a100", 1)),
                        List.of(),
                        "us-central1-c",
                        false),
                1e-6);
    }

    @Test
    void stoppedVmsStillPayForDisks() {
        CostModel.Cost c = model.hourly(new VmShape(
                "n1-standard-4", List.of(), List.of(new VmShape.Disk("pd-ssd", 100)), "us-central1-a", false));
        assertEquals(100 * 0.17 / 730, c.stopped().total().usd(), 1e-12);
        assertEquals(c.total().usd() * 730, c.perMonth().usd(), 1e-9);
    }

    @Test
    void costCommandInYenAndJson() throws Exception {
        CliTest.Run r = CliTest.run(
                "cost",
                "--machine-type",
                "n1-standard-8",
                "--gpu",
                "v100",
                "--disk",
                "pd-balanced:200",
                "--currency",
                "jpy",
                "--fx",
                "150",
                "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode n = new ObjectMapper().readTree(r.out());
        assertEquals("JPY", n.get("currency").asText());
        assertEquals(2.887395 * 150, n.get("totalPerHour").asDouble(), 1e-3); // ¥433.11/h
        assertEquals(2.887395 * 150 * 730, n.get("perMonth").asDouble(), 0.5);
        CliTest.Run text = CliTest.run(
                "cost",
                "--machine-type",
                "n1-standard-8",
                "--gpu",
                "v100",
                "--disk",
                "pd-balanced:200",
                "--currency",
                "JPY",
                "--fx",
                "150");
        assertTrue(text.out().contains("¥433/h"), text.out());
        assertEquals(
                2,
                CliTest.run("cost", "--machine-type", "n1-standard-8", "--currency", "JPY")
                        .code(),
                "needs --fx");
        assertEquals(2, CliTest.run("cost", "--machine-type", "mystery-9").code());
        assertEquals(
                2,
                CliTest.run("cost", "--machine-type", "n1-standard-8", "--disk", "pd-ssd")
                        .code());
        assertEquals(
                2,
                CliTest.run("cost", "--machine-type", "n1-standard-8", "--gpu", "v100:99")
                        .code());
        assertEquals(
                2,
                CliTest.run("cost", "--machine-type", "n1-standard-8", "--zone", "mars-north9-z")
                        .code());
    }

    @Test
    void aPriceFileWithAnUnbelievableRateIsRefusedNamingTheKey(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        String shipped = new String(
                PriceCatalogFile.class
                        .getResourceAsStream("/io/colabtop/app/prices.json")
                        .readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        String[][] cases = {
            {
                "{\"hour\": 0.35, \"spotHour\": 0.14}",
                "{\"hour\": -0.35, \"spotHour\": 0.14}",
                "gpus.nvidia-tesla-t4.hour = -0.35"
            },
            {"\"vcpuHour\": 0.031611", "\"vcpuHour\": 3161.1", "families.n1.onDemand.vcpuHour = 3161.1"},
            {"\"pd-ssd\": 0.17", "\"pd-ssd\": 1e9", "diskGbMonth.pd-ssd = 1.0E9"},
            {"\"currency\": \"USD\"", "\"currency\": \"usd\\u001b\"", "currency = usd\\x1b"},
        };
        for (String[] c : cases) {
            assertTrue(shipped.contains(c[0]), c[0]);
            java.nio.file.Path f = java.nio.file.Files.writeString(
                    tmp.resolve("p.json"),
                    shipped.replaceFirst(
                            java.util.regex.Pattern.quote(c[0]), java.util.regex.Matcher.quoteReplacement(c[1])));
            CliTest.Run r = CliTest.run("cost", "--machine-type", "n1-standard-4", "--prices", f.toString());
            assertEquals(2, r.code(), r.out());
            assertTrue(r.err().contains(c[2]) && r.err().contains(f.toString()), r.err());
        }
    }
}
