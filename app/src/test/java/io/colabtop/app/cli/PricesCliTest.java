package io.colabtop.app.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.colabtop.app.config.PriceCatalogFile;
import io.colabtop.app.gce.FakeBillingServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** colabtop prices update against the local Billing Catalog server, and the cost views that then use it. */
class PricesCliTest {
    @TempDir
    Path cache;

    FakeBillingServer server;

    @BeforeEach
    void start() throws Exception {
        server = new FakeBillingServer();
        System.setProperty("colabtop.billing.endpoint", server.endpoint());
        System.setProperty(PriceCatalogFile.CACHE_PROPERTY, cache.toString());
    }

    @AfterEach
    void stop() {
        System.clearProperty("colabtop.billing.endpoint");
        System.clearProperty(PriceCatalogFile.CACHE_PROPERTY);
        server.close();
    }

    @Test
    void updateWritesADatedCatalogThatEveryCostViewThenNames() throws Exception {
        assertTrue(CliTest.run("prices", "show").out().contains("prices: shipped snapshot of 2026-07-30 (built in)"));
        CliTest.Run u = CliTest.run("prices", "update");
        assertEquals(0, u.code(), u.err());
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        Path written = cache.resolve("prices-" + today + ".json");
        assertTrue(Files.isRegularFile(written), u.out());
        assertTrue(u.out().contains("Billing Catalog of " + today + ": " + server.skuCount() + " SKUs read"), u.out());
        assertTrue(u.out().contains("2 skipped (commitments, reservations, premiums)"), u.out());
        assertTrue(u.out().contains("not understood (left out): Evil\\x1b[2J"), u.out());
        assertTrue(u.err().contains("Billing Catalog page 8: 3 SKUs"), "every page: " + u.err());
        assertTrue(server.queries.stream().allMatch(q -> q.contains("currencyCode=USD")));

        CliTest.Run cost = CliTest.run("cost", "--machine-type", "n1-highmem-2", "--gpu", "t4", "--zone", "us-west1-b");
        assertEquals(0, cost.code(), cost.err());
        assertTrue(cost.out().contains("prices: Billing Catalog fetched " + today + " (" + written + ")"), cost.out());
        assertTrue(cost.out().contains("$0.4683/h at list price"), cost.out());
        // the live catalog has what the snapshot lacks: extended memory
        assertEquals(
                0,
                CliTest.run("cost", "--machine-type", "custom-4-30720-ext", "--zone", "us-west1-b")
                        .code());
        // and lacks what Google did not send: said, naming the catalog
        CliTest.Run tokyo = CliTest.run("cost", "--machine-type", "n1-standard-4", "--zone", "asia-northeast1-a");
        assertEquals(2, tokyo.code());
        assertTrue(
                tokyo.err().contains("no prices for region asia-northeast1 in the Billing Catalog fetched " + today),
                tokyo.err());
        assertTrue(CliTest.run("prices", "show").out().contains("prices: Billing Catalog fetched " + today));
    }

    @Test
    void aFailedUpdateLeavesTheCacheAsItWas() throws Exception {
        server.mode = FakeBillingServer.Mode.FORBIDDEN;
        CliTest.Run u = CliTest.run("prices", "update");
        assertEquals(1, u.code());
        assertTrue(u.err().contains("Billing Catalog: 403"), u.err());
        try (Stream<Path> s = Files.list(cache)) {
            assertEquals(0, s.count(), "nothing written");
        }
        // a damaged cached catalog never stops a run: the shipped snapshot prices it
        Files.writeString(cache.resolve("prices-2099-01-01.json"), "{\"format\": 2, \"date\": ");
        CliTest.Run cost = CliTest.run("cost", "--machine-type", "n1-standard-4", "--zone", "us-west1-b");
        assertEquals(0, cost.code(), cost.err());
        assertTrue(cost.out().contains("prices: shipped snapshot of 2026-07-30"), cost.out());
    }
}
