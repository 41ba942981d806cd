package io.colabtop.app.gce;

import static org.junit.jupiter.api.Assertions.*;

import com.google.cloud.compute.v1.Operation;
import io.colabtop.core.HostException;
import io.colabtop.core.cost.VmInfo;
import io.colabtop.core.cost.VmShape;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real google-cloud-compute client against the local server that speaks its REST shapes. */
class ComputeApiTest {
    FakeComputeServer server;
    ComputeApi api;

    @BeforeEach
    void start() throws Exception {
        server = new FakeComputeServer();
        api = ComputeApi.create(server.endpoint(), Duration.ofSeconds(3)).pollEvery(Duration.ofMillis(50));
    }

    @AfterEach
    void stop() {
        api.close();
        server.close();
    }

    @Test
    void aggregatedListAcrossZonesAndPagesWithWarnings() throws Exception {
        ComputeApi.Listing listing = api.list("ml-project");
        List<VmInfo> vms = listing.vms();
        assertEquals(4, vms.size(), vms.toString());
        assertTrue(vms.stream().anyMatch(v -> v.name().equals("tokyo-l4")), "the second page was read");
        assertEquals(
                List.of("europe-west9-a"), listing.unreachable(), "NO_RESULTS_ON_PAGE is not news; UNREACHABLE is");
        assertEquals(List.of(), listing.warnings());
        VmInfo t = vms.stream()
                .filter(v -> v.name().equals("trainer-v100"))
                .findFirst()
                .orElseThrow();
        assertEquals("us-central1-a", t.zone());
        assertEquals("RUNNING", t.status());
        assertEquals("n1-standard-8", t.machineType());
        assertEquals(List.of(new VmShape.GpuCount("nvidia-tesla-v100", 1)), t.gpus());
        assertEquals(
                List.of(
                        new VmShape.Disk("pd-balanced", 200),
                        new VmShape.Disk("pd-ssd", 100),
                        new VmShape.Disk("local-ssd", 375)),
                t.disks(),
                "disk types joined from the disks list; a scratch disk is local SSD");
        assertEquals("127.0.0.1", t.externalIp());
        assertEquals("10.128.0.1", t.internalIp());
        assertEquals(Instant.parse("2026-11-01T16:00:00Z"), t.lastStart());
        assertEquals("sarah", t.labels().get("owner"));
        assertEquals("compute.1001", t.hostKeyAlias());
        assertFalse(t.spot());
        assertTrue(vms.stream()
                .filter(v -> v.name().equals("spot-t4"))
                .findFirst()
                .orElseThrow()
                .spot());
        VmInfo stopped = vms.stream()
                .filter(v -> v.name().equals("a100-box"))
                .findFirst()
                .orElseThrow();
        assertFalse(stopped.billingCompute());
        assertNull(stopped.externalIp());
    }

    @Test
    void stopFollowsTheOperationToDoneOverSeveralPolls() throws Exception {
        Operation op = api.power("ml-project", "us-central1-a", "trainer-v100", true);
        assertEquals("RUNNING", op.getStatus().toString());
        VmInfo stopping = api.get("ml-project", "us-central1-a", "trainer-v100");
        assertEquals("STOPPING", stopping.status());
        assertEquals(
                List.of(
                        new VmShape.Disk("pd-balanced", 200),
                        new VmShape.Disk("pd-ssd", 100),
                        new VmShape.Disk("local-ssd", 375)),
                stopping.disks(),
                "get reads the disks' types too");
        List<String> seen = new ArrayList<>();
        Operation done = api.await("ml-project", "us-central1-a", op, Duration.ofSeconds(20), seen::add);
        assertEquals("DONE", done.getStatus().toString());
        assertEquals(List.of("RUNNING", "RUNNING", "DONE"), seen);
        assertEquals(
                "TERMINATED",
                api.get("ml-project", "us-central1-a", "trainer-v100").status());
        Operation started = api.power("ml-project", "us-central1-a", "trainer-v100", false);
        api.await("ml-project", "us-central1-a", started, Duration.ofSeconds(20), s -> {});
        assertEquals(
                "RUNNING",
                api.get("ml-project", "us-central1-a", "trainer-v100").status());
    }

    @Test
    void disksAreReadWhereTheyLiveAndFailSoft() throws Exception {
        // a regional disk, read through the regional API, typed as regional
        VmInfo regional = api.get("odd-project", "us-central1-a", "regional");
        assertEquals(
                new VmShape.Disk("regional-pd-balanced", 100), regional.disks().get(1));
        // a disk deleted meanwhile: the VM is still read, the disk's type unknown and why
        VmInfo mystery = api.get("odd-project", "us-central1-a", "mystery");
        VmShape.Disk gone = mystery.disks().get(0);
        assertEquals(VmShape.Disk.UNKNOWN, gone.type());
        assertEquals(20, gone.sizeGb(), "the size the instance gives");
        assertTrue(
                gone.note().contains("disk mystery: type unknown")
                        && gone.note().contains("404"),
                gone.note());
        // a licence on the boot disk is carried to the price
        assertEquals(
                List.of(
                        "https://www.googleapis.com/compute/v1/projects/windows-cloud/global/licenses/windows-server-2022-dc"),
                api.get("odd-project", "us-central1-a", "win").licences());
        // credentials that may not list disks: the instances are listed all the same
        ComputeApi.Listing l = api.list("nodisks");
        assertEquals(1, l.vms().size());
        assertEquals(VmShape.Disk.UNKNOWN, l.vms().get(0).disks().get(0).type());
        assertTrue(
                l.warnings().get(0).startsWith("disk types unknown, disks not priced"),
                l.warnings().toString());
        assertTrue(
                l.warnings().get(0).contains("compute.disks.list"), l.warnings().toString());
        assertEquals(
                VmShape.Disk.UNKNOWN,
                api.get("nodisks", "us-central1-a", "plain").disks().get(0).type());
    }

    @Test
    void pollingIsBounded() throws Exception {
        server.pollsUntilDone = 1_000_000;
        Operation op = api.power("ml-project", "us-central1-a", "spot-t4", true);
        HostException e = assertThrows(
                HostException.class,
                () -> api.await("ml-project", "us-central1-a", op, Duration.ofMillis(400), s -> {}));
        assertTrue(e.getMessage().contains("still RUNNING after"), e.getMessage());
    }

    @Test
    void forbiddenMissingAndHungProjectsAreClearAndBounded() {
        HostException forbidden = assertThrows(HostException.class, () -> api.list("forbidden"));
        assertTrue(forbidden.getMessage().contains("403"), forbidden.getMessage());
        assertTrue(forbidden.getMessage().contains("compute.instances.list"), forbidden.getMessage());
        HostException missing = assertThrows(HostException.class, () -> api.get("ml-project", "us-central1-a", "nope"));
        assertTrue(missing.getMessage().contains("404"), missing.getMessage());
        long t0 = System.nanoTime();
        HostException hung = assertThrows(HostException.class, () -> api.list("hang"));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 15_000, "bounded by the call timeout, took " + ms + " ms");
        assertTrue(hung.getMessage().startsWith("Compute API: cannot list instances of hang"), hung.getMessage());
    }

    @Test
    void loopbackEndpointsNeedNoCredentials() {
        assertTrue(ComputeApi.isLoopback("http://127.0.0.1:8080"));
        assertTrue(ComputeApi.isLoopback("http://localhost:1"));
        assertFalse(ComputeApi.isLoopback("https://compute.googleapis.com"));
        assertFalse(ComputeApi.isLoopback(null));
    }

    @Test
    void aLoopingOrEndlessPageTokenEndsTheListingWithAnError() {
        api.maxPages(10);
        // gax's iterateAll follows nextPageToken for ever
        HostException loop = assertThrows(HostException.class, () -> api.list("loop"));
        assertTrue(loop.getMessage().contains("same page token twice"), loop.getMessage());
        HostException endless = assertThrows(HostException.class, () -> api.list("endless"));
        assertTrue(endless.getMessage().contains("did not end after 10 pages"), endless.getMessage());
        assertTrue(server.endlessPages.get() <= 11, "stopped asking: " + server.endlessPages.get());
    }

    @Test
    void hostileFieldsAreCheckedWhereTheyEnter() throws Exception {
        ComputeApi.Listing listing = api.list("evil-project");
        List<VmInfo> vms = listing.vms();
        List<String> warnings = listing.warnings();
        assertEquals(List.of("fine-name"), vms.stream().map(VmInfo::name).toList(), "an invalid name is left out");
        VmInfo v = vms.get(0);
        assertEquals("UNKNOWN", v.status());
        assertEquals("invalid:n1-standard-4\\x1b]0;x\\x07", v.machineType());
        assertNull(v.externalIp(), "a host name is not an IP: colabtop would connect wherever the answer says");
        assertNull(v.lastStart());
        assertEquals("\\x1b[31mred", v.labels().get("owner\\u202e"));
        assertTrue(
                warnings.stream().anyMatch(w -> w.contains("Bad\\x1b[31mName") && w.contains("left out")),
                warnings.toString());
        assertTrue(
                warnings.stream().anyMatch(w -> w.contains("attacker.example.com") && w.contains("not an IP")),
                warnings.toString());
        warnings.forEach(w -> assertTrue(io.colabtop.core.SafeText.isSafe(w), w));
        HostException e = assertThrows(HostException.class, () -> api.list("evil-errors"));
        assertTrue(e.getMessage().contains("denied \\x1b]0;pwned\\x07"), e.getMessage());
        assertTrue(io.colabtop.core.SafeText.isSafe(e.getMessage()), e.getMessage());
    }
}
