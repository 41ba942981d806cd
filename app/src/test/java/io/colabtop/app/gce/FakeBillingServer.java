package io.colabtop.app.gce;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A local HTTP server that speaks the Cloud Billing Catalog's REST shapes: {@code GET
 * /v1/services/6F81-5844-456A/skus?currencyCode=USD&pageSize=…&pageToken=…}, three SKUs a page
 * (whatever pageSize asks), with the awkward cases a real catalog has: a SKU in several regions,
 * a global one, tiered rates, a free first tier, nanos-only and units+nanos prices, commitments
 * to skip, a family nobody knows, a description with terminal escapes. {@link #mode} makes it
 * answer 403 with Google's error body, loop on a page token, never answer, or price in yen.
 * Loopback only. Run it (main) to try {@code colabtop prices update} by hand.
 */
public final class FakeBillingServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PATH = "/v1/services/6F81-5844-456A/skus";
    static final int PAGE = 3;

    public enum Mode {
        OK,
        FORBIDDEN,
        LOOP,
        HANG,
        YEN
    }

    public volatile Mode mode = Mode.OK;
    /** Every query string the server was sent, in order. */
    public final List<String> queries = new CopyOnWriteArrayList<>();

    private final HttpServer server;
    private final CountDownLatch closing = new CountDownLatch(1);
    final List<ObjectNode> skus = new ArrayList<>();

    public FakeBillingServer() throws IOException {
        server = LoopbackHttp.start("fake-billing", this::handle);
        seed();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Americas' N1, T4, V100, L4 and G2, Oregon's and Iowa's disks, global IPs, and the awkward ones. */
    private void seed() {
        String[] americas = {"us-central1", "us-west1", "us-east1"};
        sku(
                "N1 Predefined Instance Core running in Americas",
                "Compute",
                "N1Standard",
                "OnDemand",
                "h",
                americas,
                0,
                "0",
                31_611_000);
        sku(
                "N1 Predefined Instance Ram running in Americas",
                "Compute",
                "N1Standard",
                "OnDemand",
                "GiBy.h",
                americas,
                0,
                "0",
                4_237_000);
        sku(
                "Spot Preemptible N1 Predefined Instance Core running in Americas",
                "Compute",
                "N1Standard",
                "Preemptible",
                "h",
                americas,
                0,
                "0",
                11_150_000);
        sku(
                "Spot Preemptible N1 Predefined Instance Ram running in Americas",
                "Compute",
                "N1Standard",
                "Preemptible",
                "GiBy.h",
                americas,
                0,
                "0",
                1_494_000);
        sku(
                "Custom Instance Core running in Americas",
                "Compute",
                "N1Standard",
                "OnDemand",
                "h",
                americas,
                0,
                "0",
                33_174_000);
        sku(
                "Custom Instance Ram running in Americas",
                "Compute",
                "N1Standard",
                "OnDemand",
                "GiBy.h",
                americas,
                0,
                "0",
                4_446_000);
        sku(
                "Custom Extended Instance Ram running in Americas",
                "Compute",
                "N1Standard",
                "OnDemand",
                "GiBy.h",
                americas,
                0,
                "0",
                9_550_000);
        sku(
                "Nvidia Tesla T4 GPU running in Americas",
                "Compute",
                "GPU",
                "OnDemand",
                "h",
                new String[] {"us-central1", "us-west1"},
                0,
                "0",
                350_000_000);
        sku(
                "Nvidia Tesla T4 GPU attached to Spot Preemptible VMs running in Americas",
                "Compute",
                "GPU",
                "Preemptible",
                "h",
                new String[] {"us-central1", "us-west1"},
                0,
                "0",
                165_400_000);
        sku(
                "Nvidia Tesla V100 GPU running in Americas",
                "Compute",
                "GPU",
                "OnDemand",
                "h",
                new String[] {"us-central1"},
                0,
                "2",
                480_000_000);
        sku("G2 Instance Core running in Americas", "Compute", "CPU", "OnDemand", "h", americas, 0, "0", 24_988_000);
        sku("G2 Instance Ram running in Americas", "Compute", "RAM", "OnDemand", "GiBy.h", americas, 0, "0", 2_927_000);
        sku("Nvidia L4 GPU running in Americas", "Compute", "GPU", "OnDemand", "h", americas, 0, "0", 559_900_000);
        // a free first tier (an allowance), then the price
        ObjectNode pd = sku(
                "Storage PD Capacity in Oregon",
                "Storage",
                "PDStandard",
                "OnDemand",
                "GiBy.mo",
                new String[] {"us-west1"},
                0,
                "0",
                0);
        tier(pd, 30, "0", 40_000_000);
        sku(
                "Balanced PD Capacity in Oregon",
                "Storage",
                "SSD",
                "OnDemand",
                "GiBy.mo",
                new String[] {"us-west1"},
                0,
                "0",
                100_000_000);
        // volume tiers: the first rate is what a VM's disk pays
        ObjectNode ssd = sku(
                "SSD backed PD Capacity in Oregon",
                "Storage",
                "SSD",
                "OnDemand",
                "GiBy.mo",
                new String[] {"us-west1"},
                0,
                "0",
                170_000_000);
        tier(ssd, 1024, "0", 150_000_000);
        sku(
                "Regional Balanced PD Capacity in Oregon",
                "Storage",
                "SSD",
                "OnDemand",
                "GiBy.mo",
                new String[] {"us-west1"},
                0,
                "0",
                200_000_000);
        sku(
                "External IP Charge on a Standard VM",
                "Network",
                "IpAddress",
                "OnDemand",
                "h",
                new String[] {"global"},
                0,
                "0",
                5_000_000);
        sku(
                "External IP Charge on a Spot Preemptible VM",
                "Network",
                "IpAddress",
                "OnDemand",
                "h",
                new String[] {"global"},
                0,
                "0",
                2_500_000);
        sku("Static Ip Charge", "Network", "IpAddress", "OnDemand", "h", new String[] {"global"}, 0, "0", 10_000_000);
        // not list prices
        sku(
                "Commitment v1: N1 Cpu in Americas for 1 Year",
                "Compute",
                "CPU",
                "Commit1Yr",
                "h",
                americas,
                0,
                "0",
                19_915_000);
        sku(
                "Sole Tenancy Premium for N1 Instance Core running in Americas",
                "Compute",
                "CPU",
                "OnDemand",
                "h",
                americas,
                0,
                "0",
                3_161_000);
        // not understood: an unknown family, and one whose text would repaint a terminal
        sku("Zorg Instance Core running in Americas", "Compute", "CPU", "OnDemand", "h", americas, 0, "0", 99_000_000);
        sku(
                "Evil\u001b[2J Instance Core running in Americas\u202e",
                "Compute",
                "CPU",
                "OnDemand",
                "h",
                americas,
                0,
                "0",
                1_000_000);
    }

    private ObjectNode sku(
            String description,
            String family,
            String group,
            String usage,
            String unit,
            String[] regions,
            double start,
            String units,
            long nanos) {
        ObjectNode s = JSON.createObjectNode()
                .put("name", "services/6F81-5844-456A/skus/SKU-" + skus.size())
                .put("skuId", "SKU-" + skus.size())
                .put("description", description);
        s.putObject("category")
                .put("serviceDisplayName", "Compute Engine")
                .put("resourceFamily", family)
                .put("resourceGroup", group)
                .put("usageType", usage);
        ArrayNode r = s.putArray("serviceRegions");
        for (String x : regions) {
            r.add(x);
        }
        ObjectNode info = s.putArray("pricingInfo").addObject();
        info.put("effectiveTime", "2026-11-23T08:00:00Z");
        ObjectNode expr = info.putObject("pricingExpression")
                .put("usageUnit", unit)
                .put("displayQuantity", 1)
                .put("baseUnitConversionFactor", 1);
        expr.putArray("tieredRates");
        skus.add(s);
        tier(s, start, units, nanos);
        return s;
    }

    private static void tier(ObjectNode sku, double start, String units, long nanos) {
        ObjectNode rate = ((ArrayNode)
                        sku.get("pricingInfo").get(0).get("pricingExpression").get("tieredRates"))
                .addObject()
                .put("startUsageAmount", start);
        rate.putObject("unitPrice")
                .put("currencyCode", "USD")
                .put("units", units)
                .put("nanos", nanos);
    }

    private void handle(HttpExchange ex) throws IOException {
        String query = ex.getRequestURI().getRawQuery() == null
                ? ""
                : ex.getRequestURI().getRawQuery();
        queries.add(query);
        if (!ex.getRequestURI().getPath().equals(PATH)) {
            error(ex, 404, "Requested entity was not found.", "NOT_FOUND");
            return;
        }
        Map<String, String> q = new HashMap<>();
        for (String kv : query.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                q.put(kv.substring(0, eq), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        switch (mode) {
            case FORBIDDEN -> {
                error(
                        ex,
                        403,
                        "Cloud Billing API has not been used in project 4242 before or it is disabled.",
                        "PERMISSION_DENIED");
                return;
            }
            case HANG -> {
                try {
                    closing.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ex.close();
                return;
            }
            default -> {}
        }
        int page =
                q.containsKey("pageToken") ? Integer.parseInt(q.get("pageToken").replace("p", "")) : 0;
        ObjectNode body = JSON.createObjectNode();
        ArrayNode out = body.putArray("skus");
        for (int i = page * PAGE; i < Math.min(skus.size(), (page + 1) * PAGE); i++) {
            ObjectNode s = skus.get(i).deepCopy();
            if (mode == Mode.YEN) {
                s.get("pricingInfo")
                        .get(0)
                        .get("pricingExpression")
                        .get("tieredRates")
                        .forEach(t -> ((ObjectNode) t.get("unitPrice")).put("currencyCode", "JPY"));
            }
            out.add(s);
        }
        if (mode == Mode.LOOP) {
            body.put("nextPageToken", "p1");
        } else if ((page + 1) * PAGE < skus.size()) {
            body.put("nextPageToken", "p" + (page + 1));
        }
        reply(ex, 200, body);
    }

    private static void error(HttpExchange ex, int code, String message, String status) throws IOException {
        ObjectNode e = JSON.createObjectNode();
        e.putObject("error").put("code", code).put("message", message).put("status", status);
        reply(ex, code, e);
    }

    private static void reply(HttpExchange ex, int code, ObjectNode body) throws IOException {
        byte[] b = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        ex.sendResponseHeaders(code, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    public int skuCount() {
        return skus.size();
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
    }

    /** For trying {@code colabtop prices update} by hand. */
    public static void main(String[] args) throws Exception {
        FakeBillingServer s = new FakeBillingServer();
        System.out.println("COLABTOP_BILLING_ENDPOINT=" + s.endpoint());
        Thread.currentThread().join();
    }
}
