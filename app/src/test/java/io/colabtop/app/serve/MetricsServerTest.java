package io.colabtop.app.serve;

import static org.junit.jupiter.api.Assertions.*;

import io.colabtop.app.fleet.ManualScheduler;
import io.colabtop.core.HostUpdate;
import io.colabtop.core.cost.Fx;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP side over real sockets: formats, paths, read-only, health, basic auth, TLS, loopback. */
class MetricsServerTest {
    static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    @TempDir
    Path tmp;

    final AtomicReference<Instant> now = new AtomicReference<>(FleetCollectorTest.T);
    final ServeState state = new ServeState(List.of("a", "b"), now::get, Fx.USD, FleetCollectorTest.TOP5);
    final ManualScheduler watchdog = new ManualScheduler(FleetCollectorTest.T);
    final HttpClient http = HttpClient.newHttpClient();
    final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        Collections.reverse(closing);
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    MetricsServer start(MetricsServer.Settings s, ProbeTargets probes) throws IOException {
        FleetCollector collector = new FleetCollector(state::reading);
        MetricsServer server = MetricsServer.start(s, new MetricsServer.Fleet() {
            public FleetCollector collector() {
                return collector;
            }

            public ProbeTargets probes() {
                return probes;
            }

            public ServeState.Health liveness() {
                return state.liveness(Duration.ofSeconds(2), Duration.ofSeconds(5));
            }

            public ServeState.Health readiness() {
                return state.readiness();
            }
        });
        closing.add(server);
        return server;
    }

    MetricsServer start() throws IOException {
        return start(plain(), fleetOnly());
    }

    static MetricsServer.Settings plain() {
        return new MetricsServer.Settings(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null, null, null);
    }

    ProbeTargets fleetOnly() {
        return new ProbeTargets(state, null, Duration.ofSeconds(2), 2, 4, now::get, watchdog);
    }

    @BeforeEach
    void pollA() {
        state.offer(HostUpdate.ok(
                FleetCollectorTest.snapshot("a", now.get(), FleetCollectorTest.mem(3), null, List.of(), List.of())));
    }

    HttpResponse<String> get(MetricsServer s, String path, String... headers) throws Exception {
        return send(s, "GET", path, headers);
    }

    HttpResponse<String> send(MetricsServer s, String method, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.url() + path))
                .method(method, HttpRequest.BodyPublishers.ofString("x"));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsInTheTextFormatAndOpenMetricsWhenTheAcceptHeaderAsks() throws Exception {
        MetricsServer s = start();
        HttpResponse<String> text = get(s, "/metrics");
        assertEquals(200, text.statusCode());
        assertTrue(text.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain; version=0.0.4"));
        Exposition e = new Exposition(text.body());
        assertEquals(1.0, e.value("colabtop_up", "host", "a"));
        assertFalse(text.body().contains("# EOF"));

        HttpResponse<String> om = get(s, "/metrics", "Accept", OPENMETRICS);
        assertEquals(200, om.statusCode());
        assertTrue(
                om.headers().firstValue("Content-Type").orElseThrow().startsWith("application/openmetrics-text"),
                om.headers().toString());
        assertTrue(om.body().endsWith("# EOF\n"), "OpenMetrics ends with # EOF");
        assertTrue(om.body().contains("# UNIT colabtop_memory_MemTotal_bytes bytes"), om.body());
        assertTrue(om.body().contains("# TYPE colabtop_build info"), "an info metric is typed info in OpenMetrics");

        // Prometheus' name[] filter, through the library's handler
        HttpResponse<String> only = get(s, "/metrics?name[]=colabtop_up");
        assertEquals(
                List.of(Exposition.key("colabtop_up", "host", "a")), new Exposition(only.body()).series("colabtop_up"));
        assertFalse(only.body().contains("colabtop_memory"), only.body());
    }

    @Test
    void readOnlyAndNothingBeyondItsPaths() throws Exception {
        MetricsServer s = start();
        for (String path : List.of("/", "/probe?target=a", "/-/healthy")) {
            for (String method : List.of("POST", "PUT", "DELETE")) {
                HttpResponse<String> r = send(s, method, path);
                assertEquals(405, r.statusCode(), method + " " + path);
                assertEquals("GET, HEAD", r.headers().firstValue("Allow").orElseThrow());
            }
        }
        assertEquals(404, get(s, "/admin").statusCode());
        assertEquals(404, get(s, "/../etc/passwd").statusCode());
        HttpResponse<String> landing = get(s, "/");
        assertEquals(200, landing.statusCode());
        assertTrue(landing.body().contains("href=\"metrics\""), landing.body());
    }

    @Test
    void healthSaysWhetherThePollerDeliversReadinessWhetherEveryHostWasPolled() throws Exception {
        MetricsServer s = start();
        HttpResponse<String> notReady = get(s, "/-/ready");
        assertEquals(503, notReady.statusCode());
        assertEquals("1 of 2 hosts polled, 1 up\n", notReady.body());
        state.offer(HostUpdate.failed("b", "Connection refused", null, now.get()));
        assertEquals(200, get(s, "/-/ready").statusCode());

        assertEquals(200, get(s, "/-/healthy").statusCode());
        now.set(now.get().plusSeconds(60)); // no outcome for a minute at a 2 s interval
        HttpResponse<String> stalled = get(s, "/-/healthy");
        assertEquals(503, stalled.statusCode());
        assertTrue(stalled.body().startsWith("no poll outcome for 60 s"), stalled.body());
    }

    @Test
    void probeAnswersForTheFleetsHostsAndRefusesOthersUnlessAllowed() throws Exception {
        MetricsServer s = start();
        HttpResponse<String> a = get(s, "/probe?target=a");
        assertEquals(200, a.statusCode());
        Exposition e = new Exposition(a.body());
        assertEquals(1.0, e.value("colabtop_up", "host", "a"));
        assertTrue(e.seriesWith("host", "b").isEmpty(), "one host per probe");
        assertTrue(e.series("colabtop_build_info").isEmpty(), "colabtop's own series are on /metrics only");
        assertTrue(get(s, "/probe?target=a", "Accept", OPENMETRICS).body().endsWith("# EOF\n"));

        assertEquals(400, get(s, "/probe").statusCode());
        assertEquals(400, get(s, "/probe?target=a&target=b").statusCode());
        HttpResponse<String> stranger = get(s, "/probe?target=sarah%4010.0.0.9");
        assertEquals(404, stranger.statusCode());
        assertTrue(stranger.body().contains("--probe-any"), stranger.body());

        // --probe-any: still only what the command line would take; nothing is opened for the rest
        List<String> opened = new ArrayList<>();
        ProbeTargets any = new ProbeTargets(
                state,
                spec -> {
                    opened.add(spec);
                    throw new IllegalArgumentException("not in this test");
                },
                Duration.ofSeconds(2),
                2,
                4,
                now::get,
                watchdog);
        MetricsServer open = start(plain(), any);
        for (String hostile : List.of("; rm -rf /", "$(id)", "-oProxyCommand=id", "a b", "x'y", "http://evil/")) {
            HttpResponse<String> r =
                    get(open, "/probe?target=" + java.net.URLEncoder.encode(hostile, StandardCharsets.UTF_8));
            assertEquals(400, r.statusCode(), hostile);
            assertTrue(r.body().contains("is not a host") || r.body().contains("cannot start with"), r.body());
        }
        assertEquals(List.of(), opened);
        assertEquals(400, get(open, "/probe?target=sarah%4010.0.0.9").statusCode(), "the factory's refusal");
        assertEquals(List.of("sarah@10.0.0.9"), opened);
    }

    @Test
    void basicAuthAsksEveryPathForAUserOfTheBcryptFile() throws Exception {
        Path users = tmp.resolve("users");
        Files.writeString(
                users, "# colabtop serve\nprometheus:" + bcrypt("s3cret") + "\ngrafana:" + bcrypt("other") + "\n");
        MetricsServer s = start(
                new MetricsServer.Settings(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), users, null, null),
                fleetOnly());
        for (String path : List.of("/metrics", "/-/healthy", "/probe?target=a", "/")) {
            HttpResponse<String> none = get(s, path);
            assertEquals(401, none.statusCode(), path);
            assertTrue(
                    none.headers().firstValue("WWW-Authenticate").orElseThrow().contains("realm=\"colabtop\""));
            assertEquals(
                    401,
                    get(s, path, "Authorization", basic("prometheus", "wrong")).statusCode(),
                    path);
            assertEquals(
                    401,
                    get(s, path, "Authorization", basic("nobody", "s3cret")).statusCode(),
                    path);
            assertEquals(
                    200,
                    get(s, path, "Authorization", basic("prometheus", "s3cret")).statusCode(),
                    path);
        }
        assertEquals(
                200,
                get(s, "/metrics", "Authorization", basic("grafana", "other")).statusCode());
    }

    @Test
    void aBasicAuthFileThatCannotBeUsedIsRefusedNamingTheLine() throws Exception {
        Path f = tmp.resolve("users");
        for (String[] bad : new String[][] {
            {"prometheus:plaintext\n", "line 1: the hash of prometheus is not bcrypt"},
            {"# only a comment\n", "no user in it"},
            {"ok:" + bcrypt("x") + "\nbroken line\n", "line 2: expected user:bcrypt-hash"},
            {"a:" + bcrypt("x") + "\na:" + bcrypt("y") + "\n", "line 2: a second line for user a"},
        }) {
            Files.writeString(f, bad[0]);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BasicAuthUsers.load(f));
            assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
        }
        IllegalArgumentException missing =
                assertThrows(IllegalArgumentException.class, () -> BasicAuthUsers.load(tmp.resolve("none")));
        assertTrue(missing.getMessage().contains("cannot read it"), missing.getMessage());
    }

    @Test
    void tlsWithThePemFilesOfACertificateAndItsKey() throws Exception {
        for (boolean pkcs8 : new boolean[] {false, true}) {
            // what openssl genrsa and certbot give (BEGIN RSA PRIVATE KEY), and PKCS#8 (BEGIN PRIVATE KEY)
            KeyPair pair = keyPair(pkcs8 ? "EC" : "RSA");
            X509Certificate cert = selfSigned(pair);
            Path certFile = pem(tmp.resolve("cert" + pkcs8 + ".pem"), cert);
            Path keyFile = pkcs8
                    ? pem(tmp.resolve("key8.pem"), new JcaPKCS8Generator(pair.getPrivate(), null).generate())
                    : pem(tmp.resolve("key.pem"), pair);
            MetricsServer s = start(
                    new MetricsServer.Settings(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null, certFile, keyFile),
                    fleetOnly());
            assertTrue(s.url().startsWith("https://127.0.0.1:"), s.url());
            HttpClient trusting =
                    HttpClient.newBuilder().sslContext(trust(cert)).build();
            HttpResponse<String> r = trusting.send(
                    HttpRequest.newBuilder(URI.create(s.url() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals(1.0, new Exposition(r.body()).value("colabtop_up", "host", "a"));
            assertThrows(
                    IOException.class,
                    () -> http.send(
                            HttpRequest.newBuilder(URI.create(s.url().replace("https", "http") + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString()),
                    "no plain HTTP on a TLS port");
        }
    }

    @Test
    void tlsFilesThatCannotBeUsedFailAtStartSayingWhy() throws Exception {
        KeyPair pair = keyPair();
        Path cert = pem(tmp.resolve("cert.pem"), selfSigned(pair));
        Path otherKey =
                pem(tmp.resolve("other.pem"), new JcaPKCS8Generator(keyPair().getPrivate(), null).generate());
        IllegalArgumentException mismatch =
                assertThrows(IllegalArgumentException.class, () -> TlsFiles.configurator(cert, otherKey));
        assertTrue(mismatch.getMessage().contains("is not the key of the certificate"), mismatch.getMessage());
        IllegalArgumentException notPem =
                assertThrows(IllegalArgumentException.class, () -> TlsFiles.configurator(otherKey, otherKey));
        assertTrue(notPem.getMessage().contains("--tls-cert"), notPem.getMessage());
        IllegalArgumentException half = assertThrows(
                IllegalArgumentException.class,
                () -> start(
                        new MetricsServer.Settings(
                                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null, cert, null),
                        fleetOnly()));
        assertEquals("TLS needs both --tls-cert and --tls-key", half.getMessage());
    }

    @Test
    void theDefaultAddressIsLoopbackAndOtherMachinesCannotConnect() throws Exception {
        InetSocketAddress def = ListenAddress.parse(ListenAddress.DEFAULT);
        assertTrue(def.getAddress().isLoopbackAddress());
        assertFalse(ListenAddress.exposed(def));
        MetricsServer s = start(
                new MetricsServer.Settings(new InetSocketAddress(def.getAddress(), 0), null, null, null), fleetOnly());
        assertEquals(200, get(s, "/-/healthy").statusCode());
        // at every address of this machine that others could reach, nothing listens on that port
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress ip : Collections.list(nif.getInetAddresses())) {
                if (ip instanceof Inet4Address && !ip.isLoopbackAddress()) {
                    try (Socket sock = new Socket()) {
                        assertThrows(
                                IOException.class,
                                () -> sock.connect(new InetSocketAddress(ip, s.port()), 2000),
                                "reachable at " + ip);
                    }
                }
            }
        }
    }

    @Test
    void listenAddresses() {
        assertTrue(ListenAddress.exposed(ListenAddress.parse(":9473")));
        assertTrue(ListenAddress.parse(":9473").getAddress().isAnyLocalAddress());
        assertTrue(ListenAddress.exposed(ListenAddress.parse("0.0.0.0:9473")));
        assertTrue(ListenAddress.parse("[::1]:0").getAddress().isLoopbackAddress());
        assertTrue(ListenAddress.parse("localhost:9473").getAddress().isLoopbackAddress());
        String v6 = ListenAddress.authority(ListenAddress.parse("[::1]:9473"));
        assertTrue(v6.startsWith("[") && v6.endsWith("]:9473"), v6);
        for (String bad :
                List.of("9473", "127.0.0.1", "127.0.0.1:99999", "example.com:80", "127.0.0.1:-1", "[zz]:1", "")) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("--listen "), e.getMessage());
        }
    }

    static String bcrypt(String password) {
        byte[] salt = new byte[16];
        new java.security.SecureRandom().nextBytes(salt);
        return OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, 5);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static KeyPair keyPair() throws Exception {
        return keyPair("EC");
    }

    static KeyPair keyPair(String alg) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
        g.initialize(alg.equals("EC") ? 256 : 2048);
        return g.generateKeyPair();
    }

    static X509Certificate selfSigned(KeyPair pair) throws Exception {
        X500Name name = new X500Name("CN=colabtop-test");
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                name,
                BigInteger.valueOf(System.nanoTime()),
                Date.from(Instant.now().minusSeconds(60)),
                Date.from(Instant.now().plus(Duration.ofDays(1))),
                name,
                pair.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")
        }));
        return new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder(
                                pair.getPrivate().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA")
                        .build(pair.getPrivate())));
    }

    static Path pem(Path file, Object o) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(o);
        }
        return Files.writeString(file, w.toString());
    }

    static SSLContext trust(X509Certificate cert) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("colabtop", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, tmf.getTrustManagers(), null);
        return c;
    }
}
