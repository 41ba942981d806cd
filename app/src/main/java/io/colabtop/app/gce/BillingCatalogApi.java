package io.colabtop.app.gce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpRequest;
import com.google.api.client.http.HttpRequestFactory;
import com.google.api.client.http.HttpResponse;
import com.google.api.client.http.HttpResponseException;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.http.HttpCredentialsAdapter;
import com.google.auth.oauth2.GoogleCredentials;
import io.colabtop.core.HostException;
import io.colabtop.core.SafeText;
import io.colabtop.core.cost.BillingSkus;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Google's Cloud Billing Catalog API, read with the HTTP stack the Compute client uses
 * (google-http-client, Application Default Credentials): every SKU of Compute Engine, page by
 * page, in USD. {@code COLABTOP_BILLING_ENDPOINT} points it elsewhere; a loopback endpoint uses no
 * credentials (the tests' FakeBillingServer).
 *
 * <p>One page, as the API answers {@code GET /v1/services/6F81-5844-456A/skus?currencyCode=USD}:
 * <pre>
 *   {"skus": [{"skuId": "2E27-4F75-95CD", "description": "N1 Predefined Instance Core running in Americas",
 *     "category": {"resourceFamily": "Compute", "resourceGroup": "N1Standard", "usageType": "OnDemand"},
 *     "serviceRegions": ["us-central1", "us-east1"],
 *     "pricingInfo": [{"pricingExpression": {"usageUnit": "h", "tieredRates":
 *       [{"startUsageAmount": 0, "unitPrice": {"currencyCode": "USD", "units": "0", "nanos": 31611000}}]}}]}],
 *    "nextPageToken": "…"}
 * </pre>
 */
public final class BillingCatalogApi {
    public static final String ENDPOINT_ENV = "COLABTOP_BILLING_ENDPOINT";
    public static final String COMPUTE_SERVICE = "6F81-5844-456A";
    static final String GOOGLE = "https://cloudbilling.googleapis.com";
    /** Compute Engine has a few thousand SKUs: 5000 a page is what Google allows, 200 pages is far past them. */
    static final int PAGE_SIZE = 5000;

    static final int MAX_PAGES = 200;
    /** A page of 5000 SKUs is a few MiB; more than this is not a page of SKUs. */
    static final long MAX_PAGE_BYTES = 64L << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpRequestFactory requests;
    private final String endpoint;
    private final Duration callTimeout;
    private int maxPages = MAX_PAGES;

    private BillingCatalogApi(HttpRequestFactory requests, String endpoint, Duration callTimeout) {
        this.requests = requests;
        this.endpoint = endpoint;
        this.callTimeout = callTimeout;
    }

    /** @param endpoint null for Google's (or {@value #ENDPOINT_ENV} when set) */
    public static BillingCatalogApi create(String endpoint, Duration callTimeout) throws HostException {
        String ep = endpoint != null ? endpoint : System.getenv(ENDPOINT_ENV);
        if (ep == null) {
            ep = System.getProperty("colabtop.billing.endpoint"); // tests: a JVM cannot set its own environment
        }
        if (ep == null) {
            ep = GOOGLE;
        }
        if (!ep.startsWith("https://") && !ComputeApi.isLoopback(ep)) {
            throw new HostException("Billing Catalog endpoint '" + SafeText.clip(ep, 80)
                    + "' must be https:// (or http:// on loopback)");
        }
        NetHttpTransport transport = new NetHttpTransport();
        if (ComputeApi.isLoopback(ep)) {
            return new BillingCatalogApi(transport.createRequestFactory(), strip(ep), callTimeout);
        }
        try {
            GoogleCredentials c = GoogleCredentials.getApplicationDefault()
                    .createScoped(List.of("https://www.googleapis.com/auth/cloud-billing.readonly"));
            return new BillingCatalogApi(
                    transport.createRequestFactory(new HttpCredentialsAdapter(c)), strip(ep), callTimeout);
        } catch (IOException e) {
            throw new HostException(
                    "no Google credentials: run 'gcloud auth application-default login', or set "
                            + "GOOGLE_APPLICATION_CREDENTIALS to a service account key file ("
                            + SafeText.clip(e.getMessage(), 200) + ")",
                    e);
        }
    }

    private static String strip(String ep) {
        return ep.endsWith("/") ? ep.substring(0, ep.length() - 1) : ep;
    }

    /** A lower page bound (tests). */
    public BillingCatalogApi maxPages(int pages) {
        this.maxPages = pages;
        return this;
    }

    /**
     * Every Compute Engine SKU, in USD.
     *
     * @param progress hears "page N: M SKUs" as pages arrive
     */
    public List<BillingSkus.Sku> computeSkus(Consumer<String> progress) throws HostException {
        List<BillingSkus.Sku> out = new ArrayList<>();
        Set<String> tokens = new HashSet<>();
        String token = null;
        for (int page = 1; ; page++) {
            if (page > maxPages) {
                throw new HostException("Billing Catalog: the SKU listing did not end after " + maxPages
                        + " pages; stopped (the server keeps sending a next page)");
            }
            GenericUrl url = new GenericUrl(endpoint + "/v1/services/" + COMPUTE_SERVICE + "/skus");
            url.put("currencyCode", "USD");
            url.put("pageSize", PAGE_SIZE);
            if (token != null) {
                url.put("pageToken", token);
            }
            JsonNode root = fetch(url);
            JsonNode skus = root.path("skus");
            if (!skus.isMissingNode() && !skus.isArray()) {
                throw new HostException("Billing Catalog: 'skus' is not a list on page " + page);
            }
            for (JsonNode s : skus) {
                out.add(sku(s));
            }
            progress.accept("page " + page + ": " + skus.size() + " SKUs");
            String next = root.path("nextPageToken").asText("");
            if (next.isEmpty()) {
                return out;
            }
            if (!tokens.add(next)) {
                throw new HostException("Billing Catalog: the same page token came twice ('" + SafeText.clip(next, 40)
                        + "'); stopped instead of looping");
            }
            token = next;
        }
    }

    private JsonNode fetch(GenericUrl url) throws HostException {
        int ms = (int) Math.min(Integer.MAX_VALUE, callTimeout.toMillis());
        try {
            HttpRequest req = requests.buildGetRequest(url)
                    .setConnectTimeout(ms)
                    .setReadTimeout(ms)
                    .setNumberOfRetries(1);
            HttpResponse res = req.execute();
            try (InputStream in = res.getContent()) {
                byte[] body = in.readNBytes((int) MAX_PAGE_BYTES + 1);
                if (body.length > MAX_PAGE_BYTES) {
                    throw new HostException(
                            "Billing Catalog: a page of more than " + (MAX_PAGE_BYTES >> 20) + " MiB; stopped");
                }
                return JSON.readTree(body);
            } finally {
                res.disconnect();
            }
        } catch (HttpResponseException e) {
            String hint = switch (e.getStatusCode()) {
                case 401 -> " (401: credentials expired? gcloud auth application-default login)";
                case 403 -> " (403: enable the Cloud Billing API for your project, or check the credentials)";
                case 429 -> " (429: too many requests; try again in a minute)";
                default -> "";
            };
            String msg = ComputeApi.googleMessage(e);
            throw new HostException(
                    "Billing Catalog: " + e.getStatusCode() + " "
                            + SafeText.clip(msg != null ? msg : e.getStatusMessage(), 300) + hint,
                    e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new HostException(
                    "Billing Catalog: an answer that is not JSON (" + SafeText.clip(e.getOriginalMessage(), 120) + ")",
                    e);
        } catch (java.net.SocketTimeoutException e) {
            throw new HostException(
                    "Billing Catalog: no answer within "
                            + (callTimeout.toMillis() < 1000
                                    ? callTimeout.toMillis() + " ms"
                                    : callTimeout.toSeconds() + " s"),
                    e);
        } catch (IOException e) {
            throw new HostException("Billing Catalog: " + SafeText.clip(e.toString(), 300), e);
        }
    }

    /** One SKU, read defensively: a field that is missing or of the wrong kind makes an unusable SKU, not a crash. */
    static BillingSkus.Sku sku(JsonNode s) throws HostException {
        JsonNode cat = s.path("category");
        List<String> regions = new ArrayList<>();
        for (JsonNode r : s.path("serviceRegions")) {
            if (regions.size() < 200) {
                regions.add(r.asText());
            }
        }
        // pricingInfo holds the current price (the API returns one entry unless asked for history)
        JsonNode pricing = s.path("pricingInfo");
        JsonNode expr = pricing.isArray() && pricing.size() > 0
                ? pricing.get(pricing.size() - 1).path("pricingExpression")
                : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        List<BillingSkus.Tier> tiers = new ArrayList<>();
        for (JsonNode t : expr.path("tieredRates")) {
            JsonNode p = t.path("unitPrice");
            String currency = p.path("currencyCode").asText("USD");
            if (!currency.equals("USD")) {
                throw new HostException(
                        "Billing Catalog: a price in " + SafeText.clip(currency, 10) + " though USD was asked for (SKU "
                                + SafeText.clip(s.path("skuId").asText(), 20) + ")");
            }
            double price;
            try {
                price = BillingSkus.money(
                        p.path("units").asText("0"), p.path("nanos").asLong(0));
            } catch (NumberFormatException e) {
                price = Double.NaN; // BillingSkus refuses it, naming the SKU
            }
            tiers.add(new BillingSkus.Tier(t.path("startUsageAmount").asDouble(0), price));
        }
        return new BillingSkus.Sku(
                s.path("skuId").asText(""),
                s.path("description").asText(""),
                cat.path("resourceFamily").asText(""),
                cat.path("resourceGroup").asText(""),
                cat.path("usageType").asText(""),
                regions,
                expr.path("usageUnit").asText(""),
                tiers);
    }
}
