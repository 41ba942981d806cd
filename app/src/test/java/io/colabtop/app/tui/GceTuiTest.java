package io.colabtop.app.tui;

import static org.junit.jupiter.api.Assertions.*;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import io.colabtop.app.action.ActionGate;
import io.colabtop.app.action.AuditLog;
import io.colabtop.app.config.PriceCatalogFile;
import io.colabtop.app.fleet.FleetPoller;
import io.colabtop.app.fleet.Hosts;
import io.colabtop.app.fleet.Timeouts;
import io.colabtop.app.gce.FakeComputeServer;
import io.colabtop.app.gce.GceDiscovery;
import io.colabtop.core.CpuTimes;
import io.colabtop.core.HostSnapshot;
import io.colabtop.core.HostUpdate;
import io.colabtop.core.MemInfo;
import io.colabtop.core.action.HostShell;
import io.colabtop.core.cost.CostModel;
import io.colabtop.core.cost.Fx;
import io.colabtop.core.cost.Money;
import io.colabtop.ssh.SshTargetResolver;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --project in the TUI: discovery through the real client, costs, the fleet total, S to stop, idle VMs. */
class GceTuiTest {
    static final String TRAINER = "trainer-v100.us-central1-a.ml-project";

    @TempDir
    Path tmp;

    FakeComputeServer server;
    FleetPoller poller;
    GceDiscovery discovery;
    DefaultVirtualTerminal vt;
    TuiSession session;
    ExecutorService background;
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-23T12:00:00Z"));

    @BeforeEach
    void start() throws Exception {
        System.setProperty("colabtop.compute.pollEvery", "PT0.05S");
        server = new FakeComputeServer();
        CostModel model = new CostModel(PriceCatalogFile.load(null));
        poller = new FleetPoller(List.of(), Duration.ofSeconds(2), 8, InstantSource.system());
        discovery = new GceDiscovery(
                new GceDiscovery.Settings(List.of("ml-project"), server.endpoint(), false, Duration.ofMinutes(10)),
                model,
                Fx.USD,
                hosts(),
                poller,
                InstantSource.system());
        startSession();
    }

    void discover(String... projects) {
        discovery.close();
        discovery = new GceDiscovery(
                new GceDiscovery.Settings(List.of(projects), server.endpoint(), false, Duration.ofMinutes(10)),
                new CostModel(PriceCatalogFile.load(null)),
                Fx.USD,
                hosts(),
                poller,
                InstantSource.system());
        discovery.start(session);
    }

    Hosts hosts() {
        return new Hosts(
                new SshTargetResolver(tmp.resolve("no-ssh-config"), tmp, "tester", Duration.ofSeconds(2)),
                Timeouts.withPoll(Duration.ofSeconds(2)),
                5,
                InstantSource.system(),
                tmp);
    }

    void startSession() throws Exception {
        vt = new DefaultVirtualTerminal(new TerminalSize(190, 24));
        TerminalScreen screen = new TerminalScreen(vt);
        screen.startScreen();
        session = new TuiSession(screen, List.of(), Duration.ofSeconds(2), () -> now.get(), () -> {});
        background = Executors.newSingleThreadExecutor();
        ActionGate gate = new ActionGate(new AuditLog(tmp.resolve("audit.log")), InstantSource.system(), host -> null);
        session.enableActions(
                new ActionDesk() {
                    public HostShell shellFor(String host) {
                        return null;
                    }

                    public ActionGate gate() {
                        return gate;
                    }

                    public io.colabtop.core.action.VmPower vmPower(String host, boolean stop, Consumer<String> progress)
                            throws Exception {
                        return discovery.vmPower(host, stop, progress);
                    }

                    public void rediscover() {
                        discovery.rediscover();
                    }
                },
                background);
        session.view().vms().setMoney(Fx.USD, Duration.ofMinutes(30));
        session.step();
        discovery.start(session);
    }

    @AfterEach
    void stop() throws Exception {
        background.shutdownNow();
        background.awaitTermination(5, TimeUnit.SECONDS);
        discovery.close();
        poller.close();
        server.close();
        System.clearProperty("colabtop.compute.pollEvery");
    }

    String screen() {
        List<String> rows = new ArrayList<>();
        for (int r = 0; r < vt.getTerminalSize().getRows(); r++) {
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < vt.getTerminalSize().getColumns(); c++) {
                sb.append(vt.getCharacter(c, r).getCharacterString());
            }
            rows.add(sb.toString().stripTrailing());
        }
        return String.join("\n", rows);
    }

    void waitFor(String what) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < until) {
            session.step();
            if (screen().contains(what)) {
                return;
            }
            Thread.sleep(20);
        }
        fail("never showed " + what + "\n" + screen());
    }

    /** Moves the selection to {@code host} with the keys a user would press. */
    void select(String host) throws Exception {
        vt.addInput(new KeyStroke(KeyType.Home));
        session.step();
        for (int i = 0; i < 50 && !host.equals(session.view().hosts().selected()); i++) {
            vt.addInput(new KeyStroke(KeyType.ArrowDown));
            session.step();
        }
        assertEquals(host, session.view().hosts().selected());
    }

    String row(String name) {
        return screen().lines()
                .filter(l -> l.startsWith(name + " "))
                .findFirst()
                .orElseThrow(() -> new AssertionError(name + "\n" + screen()));
    }

    @Test
    void vmsJoinTheTableWithTheirCostAndTheFleetTotal() throws Exception {
        waitFor("trainer-v100");
        waitFor("fleet $");
        // trainer: n1-standard-8 + V100 + 200 GB pd-balanced + 100 GB pd-ssd + 375 GB local SSD + its external IP
        // = $2.96/h (us-central1: vCPU 0.031611, GB 0.004237, V100 2.48, disks 0.10, 0.17 and 0.08 per GB-month,
        // IPv4 0.005/h); a100-box stopped: disks only
        assertTrue(row("trainer-v100").contains("$2.96"), row("trainer-v100"));
        assertTrue(
                row("a100-box").contains("off") && row("a100-box").contains("disks still bill $0.1281/h"),
                row("a100-box"));
        double trainerHour = 8 * 0.031611 + 30 * 0.004237 + 2.48 + (200 * 0.10 + 100 * 0.17 + 375 * 0.08) / 730 + 0.005;
        // spot-t4 at spot rates (vCPU 0.01115, GB 0.001494, T4 0.1654, local SSD 0.0428); tokyo-l4's g2-standard-4
        // has its own price in asia-northeast1 (0.907714004), its disks 0.13 and 0.104
        double total = trainerHour
                + 500 * 0.187 / 730
                + (4 * 0.01115 + 15 * 0.001494 + 0.1654 + (100 * 0.04 + 375 * 0.0428) / 730 + 0.005)
                + (0.907714004 + (100 * 0.13 + 375 * 0.104) / 730 + 0.005);
        assertTrue(
                screen().lines().findFirst().orElse("").contains(Fx.USD.format(Money.usd(total)) + "/h"),
                screen().lines().findFirst().orElse("") + " expected " + total);
        assertEquals(3, poller.sources().size(), "the three running VMs were added to the poller");
        // the host view says where the VM is, what it is and what it has cost since it started
        select(TRAINER);
        vt.addInput(new KeyStroke(KeyType.Enter));
        session.step();
        String gce = screen().lines()
                .filter(l -> l.startsWith(" GCE "))
                .findFirst()
                .orElseThrow(() -> new AssertionError(screen()));
        assertTrue(
                gce.contains("ml-project/us-central1-a  n1-standard-8 + 1x nvidia-tesla-v100  RUNNING  $2.96/h"), gce);
        // started 2026-11-01T16:00Z, 'now' is 2026-11-23T12:00Z: 524 h at the trainer's rate
        assertTrue(gce.contains(Fx.USD.format(Money.usd(trainerHour * 524)) + " since it started"), gce);
    }

    @Test
    void shiftSStopsAVmOnceItsNameIsTyped() throws Exception {
        waitFor("trainer-v100");
        select(TRAINER);
        vt.addInput(new KeyStroke('S', false, false));
        waitFor("DANGEROUS vm-stop on trainer-v100");
        // all but its 300 GB of persistent disk: 2.957 - 37/730
        assertTrue(screen().contains("saves $2.91/h"), screen());
        for (char c : "trainer-v1".toCharArray()) {
            vt.addInput(new KeyStroke(c, false, false));
        }
        vt.addInput(new KeyStroke(KeyType.Enter));
        waitFor("vm-stop failed");
        assertEquals(0, server.stopCalls.get(), "a wrong name stops nothing");
        vt.addInput(new KeyStroke('S', false, false));
        waitFor("DANGEROUS vm-stop on trainer-v100");
        for (char c : "trainer-v100".toCharArray()) {
            vt.addInput(new KeyStroke(c, false, false));
        }
        vt.addInput(new KeyStroke(KeyType.Enter));
        waitFor("vm-stop done");
        assertEquals(1, server.stopCalls.get());
        waitFor("TERMINATED in us-central1-a");
        assertTrue(row("trainer-v100").contains("off"), row("trainer-v100"));
        // S again on the stopped VM offers to start it: not dangerous, a plain y
        vt.addInput(new KeyStroke('S', false, false));
        waitFor("vm-start on " + TRAINER + ": this will run");
        assertTrue(screen().contains("it will bill $2.96/h while running"), screen());
        vt.addInput(new KeyStroke('y', false, false));
        waitFor("vm-start done");
        assertEquals("RUNNING", session.view().vms().vm(TRAINER).status());
    }

    @Test
    void aRunningVmDoingNothingForHalfAnHourIsFlagged() throws Exception {
        waitFor("spot-t4");
        Instant t0 = now.get();
        for (int i = 0; i <= 32; i++) {
            Instant at = t0.plusSeconds(60L * i);
            // CPU ticks advance but all of them idle: 0% busy, no GPU
            HostSnapshot s = new HostSnapshot(
                    "spot-t4.us-central1-a.ml-project",
                    at,
                    new MemInfo(100, 50, 50, 0, 0, 0, 0),
                    null,
                    List.of(),
                    List.of(),
                    List.of(),
                    List.of(),
                    null,
                    new CpuTimes(100, 0, 100, 1000 + i * 6000L, 0, 0, 0, 0),
                    4,
                    null);
            session.offer(HostUpdate.ok(s));
            now.set(at);
            session.step();
        }
        assertTrue(
                row("spot-t4").contains("IDLE 31m") && row("spot-t4").contains("still billing $0.2649/h"),
                row("spot-t4"));
    }

    @Test
    void sameNamedVmsInTwoZonesAreTwoRowsAndSStopsTheOneSelected() throws Exception {
        // today: one row showing one VM's metrics and the other's price, and S stopped the VM not watched
        discover("twins");
        waitFor("train-t4.europe-west4-a");
        waitFor("train-t4.us-central1-a");
        String us = "train-t4.us-central1-a.twins";
        String eu = "train-t4.europe-west4-a.twins";
        // each row has its own VM's price: n1-standard-4 + T4 against n1-standard-8 + V100
        double usCost = 4 * 0.031611 + 15 * 0.004237 + 0.35 + (100 * 0.10 + 375 * 0.08) / 730 + 0.005;
        double euCost = session.view().vms().costPerHour(eu).usd();
        assertEquals(usCost, session.view().vms().costPerHour(us).usd(), 1e-6);
        assertTrue(euCost > 2, "the V100 VM: " + euCost);
        assertTrue(
                row("train-t4.us-central1-a").contains(Fx.USD.format(Money.usd(usCost))),
                row("train-t4.us-central1-a"));
        // each is its own SSH host, checked under its own instance id
        List<io.colabtop.ssh.RemoteSource> sources = poller.sources().stream()
                .filter(io.colabtop.ssh.RemoteSource.class::isInstance)
                .map(io.colabtop.ssh.RemoteSource.class::cast)
                .filter(r -> r.name().startsWith("train-t4."))
                .toList();
        assertEquals(2, sources.size());
        assertEquals(
                java.util.Set.of("compute.3001", "compute.3002"),
                sources.stream().map(r -> r.target().hostKeyAlias()).collect(java.util.stream.Collectors.toSet()));
        assertEquals(
                java.util.Set.of("127.0.0.1", "127.0.0.2"),
                sources.stream().map(r -> r.target().host()).collect(java.util.stream.Collectors.toSet()));
        select(eu);
        vt.addInput(new KeyStroke('S', false, false));
        waitFor("DANGEROUS vm-stop on " + eu);
        assertTrue(screen().contains("europe-west4-a"), screen());
        for (char c : "train-t4".toCharArray()) {
            vt.addInput(new KeyStroke(c, false, false));
        }
        vt.addInput(new KeyStroke(KeyType.Enter));
        waitFor("vm-stop done");
        assertEquals(List.of("europe-west4-a/train-t4"), server.stopped, "the selected VM, not its namesake");
        assertEquals("RUNNING", session.view().vms().vm(us).status());
        assertEquals("TERMINATED", session.view().vms().vm(eu).status());
    }
}
