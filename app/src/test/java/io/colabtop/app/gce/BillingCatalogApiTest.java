package io.colabtop.app.gce;

import static org.junit.jupiter.api.Assertions.*;

import io.colabtop.app.config.PriceCatalogFile;
import io.colabtop.core.HostException;
import io.colabtop.core.SafeText;
import io.colabtop.core.cost.BillingSkus;
import io.colabtop.core.cost.CostModel;
import io.colabtop.core.cost.PriceCatalog;
import io.colabtop.core.cost.VmShape;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Billing Catalog client against the local server that speaks its REST shapes, paging included. */
class BillingCatalogApiTest {
    FakeBillingServer server;

    @BeforeEach
    void start() throws Exception {
        server = new FakeBillingServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    BillingCatalogApi api() throws HostException {
        return BillingCatalogApi.create(server.endpoint(), Duration.ofSeconds(2));
    }

    @Test
    void everyPageInUsdAndACatalogFromIt() throws Exception {
        List<String> progress = new ArrayList<>();
        List<BillingSkus.Sku> skus = api().computeSkus(progress::add);
        assertEquals(server.skuCount(), skus.size(), "every page was read");
        int pages = (server.skuCount() + FakeBillingServer.PAGE - 1) / FakeBillingServer.PAGE;
        assertEquals(pages, server.queries.size());
        assertEquals(pages, progress.size());
        for (String q : server.queries) {
            assertTrue(q.contains("currencyCode=USD") && q.contains("pageSize=5000"), q);
        }
        assertTrue(server.queries.get(1).contains("pageToken=p1"), server.queries.toString());

        BillingSkus.Result r =
                BillingSkus.toCatalog(skus, PriceCatalogFile.shipped().shapes(), "2026-11-23", "test");
        assertEquals(2, r.skipped(), "a commitment and a sole-tenancy premium are not list prices");
        assertEquals(2, r.notUnderstood().size(), r.notUnderstood().toString());
        assertTrue(r.notUnderstood().stream().anyMatch(d -> d.startsWith("Zorg Instance Core")));
        // a description that would repaint a terminal is shown escaped
        assertTrue(
                r.notUnderstood().stream().anyMatch(d -> d.startsWith("Evil\\x1b[2J")),
                r.notUnderstood().toString());
        r.notUnderstood().forEach(d -> assertTrue(SafeText.isSafe(d), d));
        PriceCatalog c = r.catalog().validate();
        PriceCatalog.Region west = c.region("us-west1");
        // nanos-only prices, one SKU priced in three regions
        assertEquals(
                new PriceCatalog.Rates(0.031611, 0.004237, 0.01115, 0.001494),
                west.machines().get("n1"));
        assertEquals(west.machines().get("n1"), c.region("us-east1").machines().get("n1"));
        assertEquals(new PriceCatalog.Price(0.35, 0.1654), west.gpus().get("nvidia-tesla-t4"));
        assertNull(c.region("us-east1").gpus().get("nvidia-tesla-t4"), "T4's SKU does not list us-east1");
        assertEquals(
                2.48, c.region("us-central1").gpus().get("nvidia-tesla-v100").onDemand(), 1e-12, "units + nanos");
        assertEquals(0.04, west.disks().get("pd-standard").onDemand(), 1e-12, "past the free first tier");
        assertEquals(0.17, west.disks().get("pd-ssd").onDemand(), 1e-12, "the first volume tier");
        assertEquals(new PriceCatalog.Ipv4(0.005, 0.0025, 0.01), west.ipv4(), "global SKUs reach every region");

        // priced from it: the typical Colab custom VM in the zone such guides use
        CostModel model = new CostModel(c);
        CostModel.Cost t4 = model.hourly(new VmShape(
                "n1-highmem-2", List.of(new VmShape.GpuCount("nvidia-tesla-t4", 1)), List.of(), "us-west1-b", false));
        assertTrue(t4.complete(), t4.missing().toString());
        assertEquals(2 * 0.031611 + 13 * 0.004237 + 0.35, t4.total().usd(), 1e-12);
        // what only the live catalog has: extended memory, and a G2 from its rates and the L4's price
        CostModel.Cost ext = model.hourly(new VmShape("custom-4-30720-ext", List.of(), List.of(), "us-west1-b", false));
        assertTrue(ext.complete(), ext.missing().toString());
        assertEquals(4 * 0.033174 + 26 * 0.004446 + 4 * 0.00955, ext.total().usd(), 1e-12);
        CostModel.Cost g2 = model.hourly(new VmShape("g2-standard-4", List.of(), List.of(), "us-east1-b", false));
        assertEquals(4 * 0.024988 + 16 * 0.002927 + 0.5599, g2.total().usd(), 1e-12);
        CostModel.Cost v100West = model.hourly(new VmShape(
                "n1-standard-4",
                List.of(new VmShape.GpuCount("nvidia-tesla-v100", 1)),
                List.of(),
                "us-west1-b",
                false));
        assertEquals(
                List.of("1x GPU nvidia-tesla-v100: not offered in us-west1 (priced in us-central1)"),
                v100West.missing());
    }

    @Test
    void errorsAreClearAndListingsBounded() throws Exception {
        server.mode = FakeBillingServer.Mode.FORBIDDEN;
        HostException forbidden = assertThrows(HostException.class, () -> api().computeSkus(p -> {}));
        assertTrue(
                forbidden.getMessage().contains("403")
                        && forbidden.getMessage().contains("has not been used in project"),
                forbidden.getMessage());
        assertTrue(forbidden.getMessage().contains("enable the Cloud Billing API"), forbidden.getMessage());

        server.mode = FakeBillingServer.Mode.LOOP;
        HostException loop = assertThrows(HostException.class, () -> api().computeSkus(p -> {}));
        assertTrue(loop.getMessage().contains("same page token came twice"), loop.getMessage());

        server.mode = FakeBillingServer.Mode.YEN;
        HostException yen = assertThrows(HostException.class, () -> api().computeSkus(p -> {}));
        assertTrue(yen.getMessage().contains("a price in JPY though USD was asked for"), yen.getMessage());

        server.mode = FakeBillingServer.Mode.OK;
        HostException pages =
                assertThrows(HostException.class, () -> api().maxPages(3).computeSkus(p -> {}));
        assertTrue(pages.getMessage().contains("did not end after 3 pages"), pages.getMessage());

        server.mode = FakeBillingServer.Mode.HANG;
        long t0 = System.nanoTime();
        HostException hung = assertThrows(
                HostException.class,
                () -> BillingCatalogApi.create(server.endpoint(), Duration.ofMillis(500))
                        .computeSkus(p -> {}));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        // one retry of a 500 ms read: bounded well within five times that
        assertTrue(ms < 5 * 2 * 500, "took " + ms + " ms");
        assertTrue(hung.getMessage().startsWith("Billing Catalog: "), hung.getMessage());

        HostException plain = assertThrows(
                HostException.class,
                () -> BillingCatalogApi.create("http://billing.example.com", Duration.ofSeconds(1)));
        assertTrue(plain.getMessage().contains("must be https://"), plain.getMessage());
    }
}
