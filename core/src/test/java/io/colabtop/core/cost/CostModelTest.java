package io.colabtop.core.cost;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The cost model item by item, on a small catalog written here (us-central1 list prices of the
 * Billing Catalog: N1 vCPU 0.031611 and GB 0.004237, spot 0.01115 and 0.001494; V100 2.48; T4
 * 0.35, spot 0.1654; pd-balanced 0.10 per GB-month): what is priced, what is not and why, what a
 * stopped VM bills, and the monthly figure with sustained-use discounts.
 */
class CostModelTest {
    static final PriceCatalog.Info INFO =
            new PriceCatalog.Info(PriceCatalog.SNAPSHOT, "2026-07-30", "USD", "written by CostModelTest", "built in");

    static PriceCatalog catalog() {
        Map<String, PriceCatalog.Shape> shapes = Map.of(
                "n1-standard-8", new PriceCatalog.Shape(8, 30, null, 0, 0),
                "a2-highgpu-1g", new PriceCatalog.Shape(12, 85, "nvidia-tesla-a100", 1, 0),
                "c3-standard-8-lssd", new PriceCatalog.Shape(8, 32, null, 0, 750),
                "g2-standard-4", new PriceCatalog.Shape(4, 16, "nvidia-l4", 1, 0),
                "e2-micro", new PriceCatalog.Shape(0.25, 1, null, 0, 0));
        PriceCatalog.Region us = new PriceCatalog.Region(
                Map.of(
                        "n1", new PriceCatalog.Rates(0.031611, 0.004237, 0.01115, 0.001494),
                        "n1-custom", new PriceCatalog.Rates(0.033174, 0.004446, null, null),
                        "n1-ext", new PriceCatalog.Rates(null, 0.00955, null, null),
                        "n2", new PriceCatalog.Rates(0.031611, 0.004237, null, null),
                        "e2", new PriceCatalog.Rates(0.021811, 0.002923, null, null),
                        "c3", new PriceCatalog.Rates(0.03465, 0.003938, 0.00849, 0.000965),
                        "g2", new PriceCatalog.Rates(0.024988, 0.002927, null, null)),
                Map.of("a2-highgpu-1g", new PriceCatalog.Price(3.673385, 1.92802)),
                Map.of(
                        "nvidia-tesla-t4", new PriceCatalog.Price(0.35, 0.1654),
                        "nvidia-tesla-v100", new PriceCatalog.Price(2.48, null),
                        "nvidia-l4", new PriceCatalog.Price(0.5599, 0.224)),
                Map.of(
                        "pd-balanced", new PriceCatalog.Price(0.10, null),
                        "pd-extreme", new PriceCatalog.Price(0.125, null),
                        "regional-pd-balanced", new PriceCatalog.Price(0.20, null),
                        "local-ssd", new PriceCatalog.Price(0.08, 0.0428)),
                new PriceCatalog.Ipv4(0.005, 0.0025, 0.01));
        PriceCatalog.Region eu = new PriceCatalog.Region(
                Map.of(
                        "n1", new PriceCatalog.Rates(0.034802, 0.004664, null, null),
                        "n1-custom", new PriceCatalog.Rates(0.0365421, 0.0048972, null, null)),
                Map.of(),
                Map.of("nvidia-tesla-v100", new PriceCatalog.Price(2.604, 0.7656)),
                Map.of("pd-balanced", new PriceCatalog.Price(0.11, null)),
                null);
        return new PriceCatalog(INFO, shapes, Map.of("us-central1", us, "europe-west4", eu)).validate();
    }

    final CostModel model = new CostModel(catalog());

    CostModel.Cost cost(String type, List<VmShape.GpuCount> gpus, List<VmShape.Disk> disks, String zone, boolean spot) {
        return model.hourly(new VmShape(type, gpus, disks, zone, spot));
    }

    static VmInfo vm(String status, String type, VmShape shape, String ip, List<String> licences) {
        return new VmInfo(
                "p",
                "vm",
                1,
                shape.zone(),
                status,
                type,
                shape.gpus(),
                shape.disks(),
                shape.spot(),
                Map.of(),
                "10.0.0.2",
                ip,
                Instant.parse("2026-11-23T10:00:00Z"),
                licences);
    }

    @Test
    void aPredefinedTypeWithAGpuAndADiskIsPricedItemByItem() {
        CostModel.Cost c = cost(
                "n1-standard-8",
                List.of(new VmShape.GpuCount("nvidia-tesla-v100", 1)),
                List.of(new VmShape.Disk("pd-balanced", 200)),
                "us-central1-b",
                false);
        assertTrue(c.complete(), c.missing().toString());
        assertEquals(8 * 0.031611 + 30 * 0.004237, c.machine().usd(), 1e-12);
        assertEquals(2.48, c.gpus().usd(), 1e-12);
        assertEquals(200 * 0.10 / 730, c.disks().usd(), 1e-12);
        assertEquals(
                8 * 0.031611 + 30 * 0.004237 + 2.48 + 200 * 0.10 / 730,
                c.total().usd(),
                1e-12);
        // a month: N1 and the GPU attached to it at 70 % of list (sustained use), the disk at list
        assertEquals(
                (8 * 0.031611 + 30 * 0.004237 + 2.48) * 730 * 0.7 + 200 * 0.10,
                c.perMonth().usd(),
                1e-9);
        assertTrue(c.sustainedUseNote().contains("sustained-use"), c.sustainedUseNote());
        assertEquals(200 * 0.10 / 730, c.stopped().total().usd(), 1e-12, "a stopped VM bills its disks");
        assertEquals(
                c.total().minus(c.stopped().total()).usd(), c.savedByStopping().usd(), 1e-12);
    }

    @Test
    void sustainedUseFollowsGooglesTiersPerFamily() {
        assertEquals(0.7, CostModel.sustainedUse("n1", false), 1e-12);
        assertEquals((1 + 0.8678 + 0.733 + 0.6) / 4, CostModel.sustainedUse("n2", false), 1e-12);
        assertEquals(1, CostModel.sustainedUse("e2", false));
        assertEquals(1, CostModel.sustainedUse("n1", true), "spot VMs get no sustained-use discount");
        CostModel.Cost n2 = cost("n2-standard-4", List.of(), List.of(), "us-central1-a", false);
        assertEquals(n2.total().usd() * 730 * 0.80020, n2.perMonth().usd(), 1e-6);
        CostModel.Cost e2 = cost("e2-micro", List.of(), List.of(), "us-central1-a", false);
        assertEquals(0.25 * 0.021811 + 0.002923, e2.total().usd(), 1e-12, "shared-core e2: a quarter vCPU");
        assertEquals(e2.total().times(730).usd(), e2.perMonth().usd(), 1e-12);
        assertNull(e2.sustainedUseNote());
    }

    @Test
    void customShapesAndExtendedMemory() {
        // 4 vCPUs with 30 GB: 26 GB (6.5 per vCPU) at the custom rate, 4 GB extended
        CostModel.Cost us = cost("custom-4-30720-ext", List.of(), List.of(), "us-central1-a", false);
        assertTrue(us.complete(), us.missing().toString());
        assertEquals(4 * 0.033174 + 26 * 0.004446 + 4 * 0.00955, us.total().usd(), 1e-12);
        // no extended rate in europe-west4: the extended part is said, the rest priced
        CostModel.Cost eu = cost("n1-custom-4-30720-ext", List.of(), List.of(), "europe-west4-a", false);
        assertFalse(eu.complete());
        assertEquals(4 * 0.0365421 + 26 * 0.0048972, eu.total().usd(), 1e-12);
        assertEquals(1, eu.missing().size(), eu.missing().toString());
        assertTrue(
                eu.missing().get(0).startsWith("extended memory 4.00 GB: no N1 extended-memory rate"),
                eu.missing().get(0));
        assertTrue(eu.missing().get(0).contains("prices update"), eu.missing().get(0));
    }

    @Test
    void spotIsPricedAsSpot() {
        CostModel.Cost c = cost(
                "n1-standard-8",
                List.of(new VmShape.GpuCount("nvidia-tesla-t4", 2)),
                List.of(new VmShape.Disk("local-ssd", 375)),
                "us-central1-a",
                true);
        assertTrue(c.complete(), c.missing().toString());
        assertEquals(
                8 * 0.01115 + 30 * 0.001494 + 2 * 0.1654 + 375 * 0.0428 / 730,
                c.total().usd(),
                1e-12);
        assertEquals(c.total().times(730).usd(), c.perMonth().usd(), 1e-9);
        // local SSD goes with a stopped VM: nothing bills
        assertTrue(c.stopped().total().isZero());
        CostModel.Cost v100 = cost(
                "n1-standard-8",
                List.of(new VmShape.GpuCount("nvidia-tesla-v100", 1)),
                List.of(),
                "us-central1-a",
                true);
        assertEquals(
                List.of("1x GPU nvidia-tesla-v100: no spot price in us-central1 in the shipped snapshot of 2026-07-30"),
                v100.missing());
        assertEquals(8 * 0.01115 + 30 * 0.001494, v100.total().usd(), 1e-12, "the rest is still priced");
    }

    @Test
    void aTypeWithItsOwnPriceOrWithRatesAndBundledParts() {
        // the API lists an A2's bundled A100 as an accelerator too: counted once, in the type's price
        CostModel.Cost a2 = cost(
                "a2-highgpu-1g",
                List.of(new VmShape.GpuCount("nvidia-tesla-a100", 1)),
                List.of(),
                "us-central1-c",
                false);
        assertEquals(3.673385, a2.total().usd(), 1e-12);
        assertEquals(1, a2.items().size());
        assertTrue(
                a2.items().get(0).what().contains("with 1x nvidia-tesla-a100"),
                a2.items().get(0).what());
        assertEquals(
                1.92802,
                cost("a2-highgpu-1g", List.of(), List.of(), "us-central1-c", true)
                        .total()
                        .usd(),
                1e-12);
        // a catalog from the Billing Catalog has G2 rates and the L4's price: machine + bundled GPU
        CostModel.Cost g2 =
                cost("g2-standard-4", List.of(new VmShape.GpuCount("nvidia-l4", 1)), List.of(), "us-central1-a", false);
        assertEquals(4 * 0.024988 + 16 * 0.002927 + 0.5599, g2.total().usd(), 1e-12);
        assertEquals(0.5599, g2.gpus().usd(), 1e-12);
        assertEquals(g2.total().times(730).usd(), g2.perMonth().usd(), 1e-9, "no discount for G2 or its GPU");
        // a -lssd type: the machine at C3 rates, its 750 GB local SSD at the local SSD rate
        CostModel.Cost c3 = cost("c3-standard-8-lssd", List.of(), List.of(), "us-central1-a", false);
        assertEquals(8 * 0.03465 + 32 * 0.003938 + 750 * 0.08 / 730, c3.total().usd(), 1e-12);
        assertEquals(750 * 0.08 / 730, c3.disks().usd(), 1e-12);
    }

    @Test
    void whatCannotBePricedIsSaidNeverDropped() {
        CostModel.Cost mars = cost("n1-standard-8", List.of(), List.of(), "mars-north9-z", false);
        assertFalse(mars.complete());
        assertTrue(
                mars.missing().get(0).contains("no prices for region mars-north9 in the shipped snapshot"),
                mars.missing().toString());
        assertTrue(
                mars.missing().get(0).contains("europe-west4, us-central1"),
                mars.missing().toString());

        CostModel.Cost odd = cost(
                "zz9-standard-4",
                List.of(new VmShape.GpuCount("nvidia-tesla-k80", 1), new VmShape.GpuCount("nvidia-tesla-v100", 1)),
                List.of(
                        new VmShape.Disk("pd-balanced", 100),
                        new VmShape.Disk("hyperdisk-ml", 50),
                        new VmShape.Disk(VmShape.Disk.UNKNOWN, 30, "disk d2: type unknown (403)")),
                "us-central1-a",
                false);
        List<String> m = odd.missing();
        assertEquals(4, m.size(), m.toString());
        assertTrue(
                m.get(0)
                        .startsWith(
                                "machine zz9-standard-4: machine type 'zz9-standard-4' is not in the price catalog"),
                m.get(0));
        assertEquals("1x GPU nvidia-tesla-k80: not a GPU type in the shipped snapshot of 2026-07-30", m.get(1));
        assertEquals(
                "disk 50 GB hyperdisk-ml: no price for this disk type in us-central1 in the shipped snapshot of 2026-07-30",
                m.get(2));
        assertEquals("disk 30 GB: disk d2: type unknown (403)", m.get(3));
        assertEquals(2.48 + 100 * 0.10 / 730, odd.total().usd(), 1e-12, "what has a price is still counted");

        CostModel.Cost t4InEurope = cost(
                "n1-standard-8",
                List.of(new VmShape.GpuCount("nvidia-tesla-t4", 1)),
                List.of(),
                "europe-west4-a",
                false);
        assertEquals(
                List.of("1x GPU nvidia-tesla-t4: not offered in europe-west4 (priced in us-central1)"),
                t4InEurope.missing());
        CostModel.Cost extreme =
                cost("n1-standard-8", List.of(), List.of(new VmShape.Disk("pd-extreme", 100)), "us-central1-a", false);
        assertEquals(100 * 0.125 / 730, extreme.disks().usd(), 1e-12);
        assertTrue(
                extreme.missing().get(0).startsWith("provisioned IOPS/throughput of disk 100 GB pd-extreme"),
                extreme.missing().toString());
    }

    @Test
    void whatAVmBillsNowDependsOnItsState() {
        VmShape shape = new VmShape(
                "zz9-standard-4",
                List.of(),
                List.of(new VmShape.Disk("regional-pd-balanced", 100)),
                "us-central1-a",
                false,
                VmShape.ExternalIp.NONE,
                List.of());
        // stopped, with an IP still attached (so a reserved one): its disk at the regional rate and the IP unused
        VmInfo stopped = vm("TERMINATED", "zz9-standard-4", shape, "34.1.2.3", List.of());
        CostModel.Cost c = model.hourly(stopped.shape());
        assertFalse(c.complete(), "running, its machine would have no price");
        VmCost now = VmCost.of(c, stopped, null);
        assertTrue(now.complete(), "stopped, nothing without a price bills: " + now.missing());
        assertEquals(100 * 0.20 / 730 + 0.01, now.now().usd(), 1e-12);
        // running, a debian image is free and a Windows one carries a surcharge colabtop cannot price
        VmInfo running = vm(
                "RUNNING",
                "n1-standard-8",
                new VmShape("n1-standard-8", List.of(), List.of(), "us-central1-a", false),
                "34.1.2.3",
                List.of(
                        "https://www.googleapis.com/compute/v1/projects/debian-cloud/global/licenses/debian-12-bookworm",
                        "https://www.googleapis.com/compute/v1/projects/windows-cloud/global/licenses/windows-server-2022-dc"));
        VmCost r = VmCost.of(model.hourly(running.shape()), running, null);
        assertEquals(8 * 0.031611 + 30 * 0.004237 + 0.005, r.now().usd(), 1e-12, "with its IP in use");
        assertEquals(
                List.of(
                        "licence windows-server-2022-dc: a premium image's surcharge (windows-cloud) is not in colabtop's catalog"),
                r.missing());
        assertFalse(r.unpriced());
        assertEquals("n1-standard-8", r.label());
    }

    @Test
    void aFleetTotalNeverHidesAVm() {
        Map<String, VmCost> costs = Map.of(
                "trainer", VmCost.of(Money.usd(2.5)),
                "k80-box",
                        new VmCost(
                                Money.ZERO,
                                List.of("1x GPU nvidia-tesla-k80: not a GPU type"),
                                Money.ZERO,
                                "",
                                null,
                                Money.ZERO),
                "odd",
                        new VmCost(
                                Money.usd(0.05),
                                List.of("machine zz9: unknown"),
                                Money.usd(0.05),
                                "",
                                null,
                                Money.usd(36.5)));
        FleetTotal t = FleetTotal.of(costs);
        assertFalse(t.complete());
        assertEquals(2.55, t.perHour().usd(), 1e-12);
        assertEquals(2.5 * 730 + 36.5, t.perMonth().usd(), 1e-9);
        assertEquals("≥ $2.55/h, 1 VM unpriced, 1 VM partly priced", t.perHour(Fx.USD));
        assertEquals(List.of("k80-box: 1x GPU nvidia-tesla-k80: not a GPU type", "odd: machine zz9: unknown"), t.why());
        FleetTotal whole = FleetTotal.of(Map.of("a", VmCost.of(Money.usd(1)), "b", VmCost.of(Money.usd(2))));
        assertTrue(whole.complete());
        assertEquals("¥450/h", whole.perHour(new Fx("JPY", 150)));
    }

    @Test
    void aCatalogWithAnUnbelievableRateOrAnotherCurrencyIsRefused() {
        PriceCatalog good = catalog();
        PriceCatalog.Region us = good.region("us-central1");
        PriceCatalog bad = new PriceCatalog(
                INFO,
                good.shapes(),
                Map.of(
                        "us-central1",
                        new PriceCatalog.Region(
                                us.machines(),
                                us.types(),
                                Map.of("nvidia-tesla-t4", new PriceCatalog.Price(-0.35, 0.1)),
                                us.disks(),
                                us.ipv4())));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad::validate);
        assertEquals(
                "regions.us-central1.gpus.nvidia-tesla-t4.onDemand = -0.35 is not a believable price (a finite number "
                        + "from 0 to 100.0 USD)",
                e.getMessage());
        PriceCatalog yen = new PriceCatalog(
                new PriceCatalog.Info(PriceCatalog.FILE, "2026-01-01", "JPY", "", "x"), good.shapes(), good.regions());
        assertTrue(assertThrows(IllegalArgumentException.class, yen::validate)
                .getMessage()
                .contains("USD"));
    }
}
