package io.colabtop.app.serve;

import static org.junit.jupiter.api.Assertions.*;

import io.colabtop.app.config.AppPaths;
import io.colabtop.app.config.PriceCatalogFile;
import io.colabtop.app.fleet.Fleet;
import io.colabtop.app.fleet.FleetPoller;
import io.colabtop.app.gce.ComputeApi;
import io.colabtop.app.gce.FakeComputeServer;
import io.colabtop.app.gce.GceDiscovery;
import io.colabtop.core.cost.CostModel;
import io.colabtop.core.cost.Fx;
import io.colabtop.core.cost.VmInfo;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * serve --project: discovery through the real Compute client against a local server speaking the
 * API's shapes, wired as the command wires it; what a scrape says of each VM, hostile fields too.
 */
class ServeDiscoveryTest {
    static final Fx YEN = new Fx("JPY", 150);

    @TempDir
    Path tmp;

    FakeComputeServer compute;
    ServeSession session;

    @AfterEach
    void stop() {
        if (session != null) {
            session.close();
        }
        if (compute != null) {
            compute.close();
        }
    }

    @Test
    void everyVmShowsWhereItIsWhatItCostsAndOnlyRunningOnesArePolled() throws Exception {
        compute = new FakeComputeServer();
        InstantSource clock = InstantSource.system();
        Fleet fleet = Fleet.open(
                new Fleet.Settings(
                        List.of(),
                        tmp.resolve("no-ssh-config"),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(2),
                        5,
                        false,
                        true),
                AppPaths.fromEnvironment(),
                clock);
        FleetPoller poller = fleet.poller();
        CostModel model = new CostModel(PriceCatalogFile.load(null));
        GceDiscovery discovery = new GceDiscovery(
                new GceDiscovery.Settings(
                        List.of("ml-project", "evil-project"), compute.endpoint(), false, Duration.ofMinutes(10)),
                model,
                YEN,
                fleet.hosts(),
                poller,
                clock);
        ServeState state = new ServeState(List.of(), clock, YEN, new HostReading.Exposure(5, true));
        session = ServeSession.start(
                new ServeSession.Settings(
                        new MetricsServer.Settings(
                                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null, null, null),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(2),
                        false,
                        2,
                        4),
                state,
                fleet,
                poller,
                discovery,
                clock);

        List<VmInfo> ml;
        try (ComputeApi api = ComputeApi.create(compute.endpoint(), Duration.ofSeconds(20))) {
            ml = api.list("ml-project").vms();
        }
        VmInfo trainer = ml.stream()
                .filter(v -> v.name().equals("trainer-v100"))
                .findFirst()
                .orElseThrow();
        VmInfo stopped = ml.stream()
                .filter(v -> v.status().equals("TERMINATED"))
                .findFirst()
                .orElseThrow();

        // discovery's first round comes at once; the running VMs' first polls (no sshd at their IP) follow
        Exposition e = null;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < until) {
            e = scrape();
            if (e.value("colabtop_up", "host", trainer.hostName()) != null) {
                break;
            }
            Thread.sleep(100);
        }
        assertNotNull(e.value("colabtop_up", "host", trainer.hostName()), e.text);
        assertEquals(0.0, e.value("colabtop_up", "host", trainer.hostName()), "nothing answers SSH at its IP");
        assertEquals(
                1.0,
                e.value(
                        "colabtop_vm_info",
                        "host",
                        trainer.hostName(),
                        "vm",
                        "trainer-v100",
                        "project",
                        "ml-project",
                        "zone",
                        trainer.zone(),
                        "machine_type",
                        "n1-standard-8",
                        "status",
                        "RUNNING",
                        "spot",
                        "false",
                        "accelerators",
                        "nvidia-tesla-v100:1"));
        assertEquals(
                YEN.amount(model.hourly(trainer.shape()).now(trainer).total()),
                e.value("colabtop_vm_hourly_cost", "host", trainer.hostName(), "currency", "JPY"),
                1e-9);
        // a stopped VM: what its disks cost, and no 'up' (it is not down, it is stopped)
        assertEquals(
                YEN.amount(model.hourly(stopped.shape()).now(stopped).total()),
                e.value("colabtop_vm_hourly_cost", "host", stopped.hostName(), "currency", "JPY"),
                1e-9);
        assertNull(e.value("colabtop_up", "host", stopped.hostName()));
        assertFalse(session.polled().contains(stopped.hostName()));
        // what a hostile endpoint says reaches a label escaped, never raw
        assertFalse(e.text.contains("\u001b"), "no raw escape in the scrape");
        List<String> evil = e.series("colabtop_vm_info").stream()
                .filter(s -> s.contains("vm=\"fine-name\""))
                .toList();
        assertEquals(1, evil.size(), e.series("colabtop_vm_info").toString());
        // ComputeApi already made the machine type safe (and kept it out of pricing); the label shows that form
        assertTrue(evil.get(0).contains("machine_type=\"invalid:n1-standard-4\\\\x1b]0;x\\\\x07\""), evil.get(0));
        assertTrue(evil.get(0).contains("status=\"UNKNOWN\""), evil.get(0));
    }

    Exposition scrape() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(session.url() + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return new Exposition(r.body());
    }
}
