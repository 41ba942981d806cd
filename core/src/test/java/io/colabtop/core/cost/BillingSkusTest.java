package io.colabtop.core.cost;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SKU descriptions as the Cloud Billing Catalog writes them (Compute Engine, service
 * 6F81-5844-456A), to a catalog: what each one prices, what is skipped and what is not understood.
 */
class BillingSkusTest {
    static BillingSkus.Sku sku(
            String description,
            String family,
            String group,
            String usage,
            String unit,
            double price,
            String... regions) {
        return new BillingSkus.Sku(
                "ID-" + description.hashCode(),
                description,
                family,
                group,
                usage,
                List.of(regions),
                unit,
                List.of(new BillingSkus.Tier(0, price)));
    }

    @Test
    void descriptionsToFamiliesGpusDisksAndIps() {
        List<BillingSkus.Sku> skus = List.of(
                sku(
                        "N1 Predefined Instance Core running in Americas",
                        "Compute",
                        "CPU",
                        "OnDemand",
                        "h",
                        0.031611,
                        "us-central1",
                        "us-west1"),
                sku(
                        "N1 Predefined Instance Ram running in Americas",
                        "Compute",
                        "RAM",
                        "OnDemand",
                        "GiBy.h",
                        0.004237,
                        "us-central1",
                        "us-west1"),
                sku(
                        "Spot Preemptible N1 Predefined Instance Core running in Americas",
                        "Compute",
                        "CPU",
                        "Preemptible",
                        "h",
                        0.01115,
                        "us-central1"),
                sku(
                        "Custom Instance Core running in Americas",
                        "Compute",
                        "CPU",
                        "OnDemand",
                        "h",
                        0.033174,
                        "us-central1"),
                sku(
                        "Custom Extended Instance Ram running in Americas",
                        "Compute",
                        "RAM",
                        "OnDemand",
                        "GiBy.h",
                        0.00955,
                        "us-central1"),
                sku(
                        "N2D AMD Custom Instance Ram running in Americas",
                        "Compute",
                        "RAM",
                        "OnDemand",
                        "GiBy.h",
                        0.00387,
                        "us-central1"),
                sku(
                        "Compute optimized Core running in Americas",
                        "Compute",
                        "CPU",
                        "OnDemand",
                        "h",
                        0.03398,
                        "us-central1"),
                sku(
                        "C4A Arm Instance Core running in Americas",
                        "Compute",
                        "CPU",
                        "OnDemand",
                        "h",
                        0.03086,
                        "us-central1"),
                sku(
                        "M2 Memory-optimized Instance Ram running in Americas",
                        "Compute",
                        "RAM",
                        "OnDemand",
                        "GiBy.h",
                        0.0057,
                        "us-central1"),
                sku("Nvidia Tesla T4 GPU running in Americas", "Compute", "GPU", "OnDemand", "h", 0.35, "us-central1"),
                sku(
                        "Nvidia Tesla T4 GPU attached to Spot Preemptible VMs running in Americas",
                        "Compute",
                        "GPU",
                        "Preemptible",
                        "h",
                        0.1654,
                        "us-central1"),
                sku(
                        "Nvidia Tesla A100 80GB GPU running in Americas",
                        "Compute",
                        "GPU",
                        "OnDemand",
                        "h",
                        3.92828,
                        "us-central1"),
                sku("Balanced PD Capacity in Iowa", "Storage", "SSD", "OnDemand", "GiBy.mo", 0.1, "us-central1"),
                sku(
                        "Regional Balanced PD Capacity in Iowa",
                        "Storage",
                        "SSD",
                        "OnDemand",
                        "GiBy.mo",
                        0.2,
                        "us-central1"),
                sku(
                        "SSD backed Local Storage attached to Spot Preemptible VMs in Iowa",
                        "Storage",
                        "LocalSSD",
                        "Preemptible",
                        "GiBy.mo",
                        0.0428,
                        "us-central1"),
                sku("External IP Charge on a Standard VM", "Network", "IpAddress", "OnDemand", "h", 0.005, "global"),
                sku("Static Ip Charge", "Network", "IpAddress", "OnDemand", "h", 0.01, "global"),
                sku(
                        "Micro Instance with burstable CPU running in Americas",
                        "Compute",
                        "F1Micro",
                        "OnDemand",
                        "h",
                        0.0076,
                        "us-central1"),
                // not list prices: skipped
                sku(
                        "Commitment v1: N1 Cpu in Americas for 1 Year",
                        "Compute",
                        "CPU",
                        "Commit1Yr",
                        "h",
                        0.02,
                        "us-central1"),
                sku(
                        "Sole Tenancy Premium for N1 Instance Core running in Americas",
                        "Compute",
                        "CPU",
                        "OnDemand",
                        "h",
                        0.003,
                        "us-central1"),
                // not understood: said, never guessed
                sku("Zorg Instance Core running in Americas", "Compute", "CPU", "OnDemand", "h", 9.99, "us-central1"),
                sku(
                        "N1 Predefined Instance Core running in Americas",
                        "Compute",
                        "CPU",
                        "OnDemand",
                        "GiBy.mo",
                        1,
                        "us-east1"));
        BillingSkus.Result r = BillingSkus.toCatalog(skus, Map.of(), "2026-11-23", "test");
        assertEquals(22, r.read());
        assertEquals(2, r.skipped());
        assertEquals(18, r.used());
        assertEquals(2, r.notUnderstood().size(), r.notUnderstood().toString());
        assertTrue(
                r.notUnderstood().get(1).startsWith("Zorg Instance Core running in Americas"),
                r.notUnderstood().toString());
        assertTrue(
                r.notUnderstood().get(0).contains("unit GiBy.mo, expected h"),
                r.notUnderstood().toString());
        PriceCatalog c = r.catalog().validate();
        assertEquals("Billing Catalog fetched 2026-11-23", c.info().label());
        PriceCatalog.Region us = c.region("us-central1");
        assertEquals(
                new PriceCatalog.Rates(0.031611, 0.004237, 0.01115, null),
                us.machines().get("n1"));
        assertEquals(
                new PriceCatalog.Rates(0.033174, null, null, null),
                us.machines().get("n1-custom"));
        assertEquals(
                new PriceCatalog.Rates(null, 0.00955, null, null), us.machines().get("n1-ext"));
        assertEquals(0.00387, us.machines().get("n2d-custom").mem());
        assertEquals(0.03398, us.machines().get("c2").vcpu());
        assertEquals(0.03086, us.machines().get("c4a").vcpu());
        assertEquals(0.0057, us.machines().get("m2").mem());
        assertFalse(us.machines().containsKey("zorg"));
        assertEquals(new PriceCatalog.Price(0.35, 0.1654), us.gpus().get("nvidia-tesla-t4"));
        assertEquals(3.92828, us.gpus().get("nvidia-a100-80gb").onDemand());
        assertEquals(new PriceCatalog.Price(0.1, null), us.disks().get("pd-balanced"));
        assertEquals(new PriceCatalog.Price(0.2, null), us.disks().get("regional-pd-balanced"));
        assertEquals(new PriceCatalog.Price(null, 0.0428), us.disks().get("local-ssd"));
        assertEquals(new PriceCatalog.Ipv4(0.005, null, 0.01), us.ipv4(), "a global SKU reaches every region");
        assertEquals(0.0076, us.types().get("f1-micro").onDemand());
        // a SKU in several regions prices each of them
        assertEquals(0.031611, c.region("us-west1").machines().get("n1").vcpu());
        assertFalse(c.regions().containsKey("us-east1"), "a SKU with the wrong unit prices nothing");
    }

    @Test
    void tiersAndMoney() {
        // a free allowance first, then the price: the price
        assertEquals(0.04, BillingSkus.price(List.of(new BillingSkus.Tier(30, 0.04), new BillingSkus.Tier(0, 0))));
        // volume tiers: the first, the dearest
        assertEquals(0.12, BillingSkus.price(List.of(new BillingSkus.Tier(0, 0.12), new BillingSkus.Tier(1024, 0.08))));
        assertEquals(0.0, BillingSkus.price(List.of(new BillingSkus.Tier(0, 0))), "free is a price");
        assertNull(BillingSkus.price(List.of()));
        assertNull(BillingSkus.price(List.of(new BillingSkus.Tier(0, Double.NaN))));
        assertNull(BillingSkus.price(List.of(new BillingSkus.Tier(0, -1))));
        // units + nanos: a nanos-only price is a fraction of a dollar
        assertEquals(0.031611, BillingSkus.money("0", 31_611_000), 1e-15);
        assertEquals(0.031611, BillingSkus.money(null, 31_611_000), 1e-15);
        assertEquals(2.48, BillingSkus.money("2", 480_000_000), 1e-15);
    }

    @Test
    void familyNames() {
        assertEquals("n1", BillingSkus.machineKey("N1 Predefined Instance"));
        assertEquals("n2d-custom", BillingSkus.machineKey("N2D AMD Custom Instance"));
        assertEquals("n2-ext", BillingSkus.machineKey("N2 Custom Extended Instance"));
        assertEquals("n1-custom", BillingSkus.machineKey("Custom Instance"));
        assertEquals("n1-ext", BillingSkus.machineKey("Custom Extended Instance"));
        assertEquals("m1", BillingSkus.machineKey("Memory-optimized Instance"));
        assertEquals("a3plus", BillingSkus.machineKey("A3Plus Instance"));
        assertNull(BillingSkus.machineKey("Zorg Instance"));
        assertNull(BillingSkus.machineKey("N1 Something Else Instance"));
    }
}
