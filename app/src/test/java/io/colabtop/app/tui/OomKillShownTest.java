package io.colabtop.app.tui;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.colabtop.app.output.SnapshotJson;
import io.colabtop.app.tui.render.FleetRenderer;
import io.colabtop.app.tui.render.HostDetailRenderer;
import io.colabtop.app.tui.render.Line;
import io.colabtop.app.tui.state.FleetView;
import io.colabtop.core.HostState;
import io.colabtop.core.HostUpdate;
import io.colabtop.core.Thresholds;
import io.colabtop.ssh.KnownHostsVerifier;
import io.colabtop.ssh.OomCgroup;
import io.colabtop.ssh.RemoteSource;
import io.colabtop.ssh.TestSshd;
import io.colabtop.testing.HostTest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "done when": a real kernel OOM kill on a host watched over real sshd shows in the
 * table (the OOM column's badge), the host view (the OOM history, with killer, victim and RSS) and
 * the JSON within two ticks of the kill.
 */
@HostTest
class OomKillShownTest {
    @TempDir
    Path tmp;

    static String text(List<Line> lines) {
        StringBuilder sb = new StringBuilder();
        lines.forEach(l -> sb.append(l.text()).append('\n'));
        return sb.toString();
    }

    @Test
    void aRealKillShowsInTheTableTheHostViewAndTheJsonWithinTwoTicks() throws Exception {
        assumeTrue(TestSshd.available(), "needs OpenSSH server (run-tests installs it)");
        try (TestSshd sshd = TestSshd.start();
                RemoteSource src = new RemoteSource(
                        sshd.target(
                                "trainer",
                                TestSshd.knownHosts(tmp.resolve("kh"), sshd),
                                KnownHostsVerifier.Policy.STRICT),
                        20,
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(1),
                        InstantSource.system());
                OomCgroup cg = OomCgroup.create(32L << 20)) {
            FleetView view = new FleetView(List.of("trainer"), Duration.ofSeconds(2));
            FleetRenderer table = new FleetRenderer(Thresholds.DEFAULT);
            HostDetailRenderer detail = new HostDetailRenderer(Thresholds.DEFAULT);
            view.apply(HostUpdate.ok(src.poll()));
            long pid = cg.runHogUntilKilled(256L << 20, Duration.ofSeconds(60));
            String victim = "pid " + pid + " dd RSS ";
            for (int tick = 1; tick <= 2; tick++) {
                view.apply(HostUpdate.ok(src.poll()));
            }
            Instant now = Instant.now();
            String row = text(table.render(view, List.of(), 200, 10, now))
                    .lines()
                    .filter(l -> l.startsWith("trainer"))
                    .findFirst()
                    .orElseThrow();
            assertTrue(row.matches(".*✗[1-9].*"), "the table's OOM badge: " + row);
            view.openDetail();
            String host = text(detail.render(view, List.of(), 250, 40, now));
            String line = host.lines()
                    .filter(l -> l.contains(victim))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no " + victim + " in the host view:\n" + host));
            assertTrue(line.contains(" kernel ✗ "), line);
            assertTrue(line.contains("memory limit of cgroup " + cg.path() + " hit (not a host OOM)"), line);
            HostState s = view.hosts().get("trainer");
            JsonNode events =
                    new ObjectMapper().readTree(SnapshotJson.write(List.of(s))).at("/hosts/0/oom/events");
            JsonNode e = null;
            for (JsonNode x : events) {
                if (x.get("pid").asLong() == pid) {
                    e = x;
                }
            }
            assertNotNull(e, "the kill in the JSON: " + events);
            assertEquals("kernel", e.get("killer").asText());
            assertEquals("dd", e.get("command").asText());
            assertTrue(e.get("rssBytes").asLong() > (16L << 20), e.toString());
            assertEquals(cg.path(), e.get("limitCgroup").asText());
        }
    }
}
