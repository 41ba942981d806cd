package io.colabtop.app.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The HTTP side of {@code colabtop serve}, on the Prometheus client library's HTTP server:
 * {@code /metrics} (the library's handler: the text format, OpenMetrics when the Accept header asks,
 * gzip, {@code name[]} filters), {@code /probe?target=HOST}, {@code /-/healthy} (the poller is
 * alive), {@code /-/ready} (every host polled once) and a page at {@code /} that lists them.
 * Optional basic auth (bcrypt htpasswd) covers every path; optional TLS. Read-only: nothing here
 * acts on a host, and anything but GET or HEAD on the paths colabtop serves is refused.
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("colabtop.serve");

    static {
        // The JDK's server leaves Nagle's algorithm on: the last small write of a chunked (gzip)
        // response then waits for the client's delayed ACK, ~40 ms per scrape (measured: a 200-host
        // scrape took 68 ms with it, 31 ms without). Read once, when the first server is made.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /**
     * @param basicAuth an htpasswd file of bcrypt entries, or null for no authentication
     * @param tlsCert   PEM certificate chain, or null for plain HTTP (with {@code tlsKey})
     */
    public record Settings(InetSocketAddress listen, Path basicAuth, Path tlsCert, Path tlsKey) {
        public boolean tls() {
            return tlsCert != null;
        }
    }

    /** What the server asks about the fleet. */
    public interface Fleet {
        FleetCollector collector();

        ProbeTargets probes();

        ServeState.Health liveness();

        ServeState.Health readiness();
    }

    private final HTTPServer server;
    private final Settings settings;

    private MetricsServer(HTTPServer server, Settings settings) {
        this.server = server;
        this.settings = settings;
    }

    /**
     * @throws IllegalArgumentException when the auth or TLS files cannot be used (says which and why)
     * @throws IOException when the address cannot be bound (in use, not this machine's)
     */
    public static MetricsServer start(Settings s, Fleet fleet) throws IOException {
        // the library's own settings come from here, not from system properties or the environment,
        // which could otherwise move the port (io.prometheus.exporter.httpServer.port)
        PrometheusProperties props = PrometheusProperties.builder().build();
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(fleet.collector());
        HTTPServer.Builder b = HTTPServer.builder(props)
                .inetAddress(s.listen().getAddress())
                .port(s.listen().getPort())
                .registry(registry)
                .metricsHandlerPath("/metrics")
                .registerHealthHandler(false) // ours says whether the poller is alive
                .defaultHandler(new Pages(fleet, ExpositionFormats.init(props)));
        if (s.basicAuth() != null) {
            b.authenticator(BasicAuthUsers.load(s.basicAuth()).authenticator());
        }
        if (s.tlsCert() != null || s.tlsKey() != null) {
            if (s.tlsCert() == null || s.tlsKey() == null) {
                throw new IllegalArgumentException("TLS needs both --tls-cert and --tls-key");
            }
            b.httpsConfigurator(TlsFiles.configurator(s.tlsCert(), s.tlsKey()));
        }
        return new MetricsServer(b.buildAndStart(), s);
    }

    public int port() {
        return server.getPort();
    }

    /** The base URL, e.g. {@code http://127.0.0.1:9473}. */
    public String url() {
        return (settings.tls() ? "https://" : "http://")
                + ListenAddress.authority(
                        new InetSocketAddress(settings.listen().getAddress(), port()));
    }

    @Override
    public void close() {
        server.close();
    }

    /** Everything but /metrics: the landing page, health, readiness and /probe; 404 for the rest. */
    private static final class Pages implements HttpHandler {
        private final Fleet fleet;
        private final ExpositionFormats formats;

        Pages(Fleet fleet, ExpositionFormats formats) {
            this.fleet = fleet;
            this.formats = formats;
        }

        @Override
        public void handle(HttpExchange ex) throws IOException {
            try (ex) {
                drain(ex.getRequestBody());
                String path = ex.getRequestURI().getRawPath();
                String method = ex.getRequestMethod();
                if (!method.equals("GET") && !method.equals("HEAD")) {
                    ex.getResponseHeaders().set("Allow", "GET, HEAD");
                    send(ex, 405, "text/plain; charset=utf-8", "colabtop serve is read-only: GET or HEAD\n");
                    return;
                }
                switch (path) {
                    case "/" -> send(ex, 200, "text/html; charset=utf-8", LANDING);
                    case "/-/healthy" -> health(ex, fleet.liveness());
                    case "/-/ready" -> health(ex, fleet.readiness());
                    case "/probe" -> probe(ex);
                    default -> send(ex, 404, "text/plain; charset=utf-8", "not found; see /\n");
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "serve: " + ex.getRequestURI().getRawPath() + " failed", e);
                throw e;
            }
        }

        private void probe(HttpExchange ex) throws IOException {
            List<String> targets = query(ex.getRequestURI().getRawQuery(), "target");
            if (targets.size() > 1) {
                send(ex, 400, "text/plain; charset=utf-8", "one target at a time\n");
                return;
            }
            HostReading r;
            try {
                r = fleet.probes().probe(targets.isEmpty() ? null : targets.get(0));
            } catch (ProbeTargets.Refused refused) {
                send(ex, refused.status(), "text/plain; charset=utf-8", refused.getMessage() + "\n");
                return;
            }
            MetricSnapshots snapshots = fleet.collector().snapshots(new FleetReading(r.at(), List.of(r), null), false);
            String accept = ex.getRequestHeaders().getFirst("Accept");
            ExpositionFormatWriter writer = formats.findWriter(accept);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            writer.write(body, snapshots, EscapingScheme.fromAcceptHeader(accept));
            send(ex, 200, writer.getContentType(), body.toByteArray());
        }

        private static void health(HttpExchange ex, ServeState.Health h) throws IOException {
            send(ex, h.ok() ? 200 : 503, "text/plain; charset=utf-8", h.text() + "\n");
        }

        private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
            send(ex, status, type, body.getBytes(StandardCharsets.UTF_8));
        }

        private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
            ex.getResponseHeaders().set("Content-Type", type);
            ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            boolean head = ex.getRequestMethod().equals("HEAD");
            ex.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
            if (!head && body.length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        }

        private static void drain(InputStream in) throws IOException {
            // bounded: a request body is never needed here, and a large one is not read into memory
            byte[] buf = new byte[4096];
            long total = 0;
            int n;
            while (total < (1 << 20) && (n = in.read(buf)) > 0) {
                total += n;
            }
        }

        /** The values of one query parameter, decoded ({@code target=user%40host} is user@host). */
        static List<String> query(String rawQuery, String name) {
            if (rawQuery == null) {
                return List.of();
            }
            java.util.ArrayList<String> values = new java.util.ArrayList<>();
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String k = eq < 0 ? pair : pair.substring(0, eq);
                if (URLDecoder.decode(k, StandardCharsets.UTF_8).equals(name)) {
                    values.add(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            return values;
        }
    }

    private static final String LANDING = String.join(
            "\n",
            "<!DOCTYPE html>",
            "<html><head><meta charset=\"utf-8\"><title>colabtop serve</title></head><body>",
            "<h1>colabtop serve</h1>",
            "<p>The fleet colabtop watches, for Prometheus. Read-only.</p>",
            "<ul>",
            "<li><a href=\"metrics\">/metrics</a>: every host (the Prometheus text format; OpenMetrics when the"
                    + " Accept header asks)</li>",
            "<li>/probe?target=HOST: one host, for a scrape job that owns discovery (blackbox style)</li>",
            "<li><a href=\"-/healthy\">/-/healthy</a>: 200 while the poller delivers</li>",
            "<li><a href=\"-/ready\">/-/ready</a>: 200 once every host was polled</li>",
            "</ul>",
            "</body></html>",
            "");
}
