package io.colabtop.app.tui;

import static org.junit.jupiter.api.Assertions.*;

import io.colabtop.app.tui.render.FleetRenderer;
import io.colabtop.app.tui.render.HostDetailRenderer;
import io.colabtop.app.tui.render.Line;
import io.colabtop.app.tui.render.Style;
import io.colabtop.app.tui.state.ActionLog;
import io.colabtop.app.tui.state.FleetView;
import io.colabtop.core.HostSnapshot;
import io.colabtop.core.HostText;
import io.colabtop.core.HostUpdate;
import io.colabtop.core.MemInfo;
import io.colabtop.core.ProcessInfo;
import io.colabtop.core.Thresholds;
import io.colabtop.core.oom.OomEvent;
import io.colabtop.core.oom.OomReport;
import io.colabtop.core.oom.OomdState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The OOM column, the guard's loud note and the host view's OOM panel, on synthetic readings. */
class OomRenderTest {
    static final long GIB = 1L << 30;
    static final long MIB = 1L << 20;
    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    static final String USER = "/user.slice/user-1000.slice/user@1000.service";

    final FleetRenderer table = new FleetRenderer(Thresholds.DEFAULT);
    final HostDetailRenderer detail = new HostDetailRenderer(Thresholds.DEFAULT);

    static OomReport report(String source, long counter, List<OomEvent> events) {
        OomdState oomd = OomdState.parse(String.join(
                "\n",
                "active",
                "Swap Used Limit: 90.00%",
                "Default Memory Pressure Duration: 20s",
                "Swap Monitored CGroups:",
                "Memory Pressure Monitored CGroups:",
                "\tPath: " + USER,
                "\t\tMemory Pressure Limit: 50.00%",
                "\t\tPressure: Avg10: 12.31 Avg60: 4.02 Avg300: 0.95 Total: 1min 24s",
                ""));
        return new OomReport(
                counter,
                null,
                source,
                source.equals("none")
                        ? "journal: no journalctl; dmesg: refused (kernel.dmesg_restrict=1), and sudo -n "
                                + "dmesg too (no passwordless sudo)"
                        : null,
                events,
                oomd,
                Map.of(4242, HostText.of("/user.slice/user-1000.slice/session-3.scope")));
    }

    static OomEvent kernelKill(Instant at, String comm) {
        return new OomEvent(
                at,
                OomEvent.Killer.KERNEL,
                OomEvent.Constraint.HOST,
                "host out of memory",
                4100,
                HostText.of(comm, 64),
                12 * GIB,
                0,
                1000,
                HostText.of("/user.slice/user-1000.slice/session-3.scope"),
                null,
                List.of(),
                List.of(HostText.of("session-3.scope")),
                null);
    }

    /** Readings of {@code host} every 10 s for two minutes, memory falling 100 MiB/s: ~{@code left} s to go at the end. */
    static FleetView declining(String host, long leftSeconds, OomReport oom) {
        FleetView v = new FleetView(List.of(host), Duration.ofSeconds(2));
        for (int t = 0; t <= 120; t += 10) {
            long avail = (leftSeconds + 120 - t) * 100 * MIB;
            MemInfo m = new MemInfo(32 * GIB, avail, avail, 0, 0, 0, 0);
            List<ProcessInfo> procs = List.of(
                    new ProcessInfo(4242, 1, "sarah", "python3", "python3 train.py", 20 * GIB, 900, 0, 1000, 'R'));
            v.apply(HostUpdate.ok(new HostSnapshot(
                    host,
                    T0.plusSeconds(t),
                    m,
                    null,
                    List.of(),
                    procs,
                    List.of(),
                    List.of(),
                    null,
                    null,
                    4,
                    null,
                    List.of(),
                    oom)));
        }
        return v;
    }

    static Line row(List<Line> lines, String host) {
        return lines.stream().filter(l -> l.text().startsWith(host)).findFirst().orElseThrow();
    }

    static Style styleOf(Line l, String text) {
        return l.spans().stream()
                .filter(s -> s.text().contains(text))
                .findFirst()
                .orElseThrow(() -> new AssertionError(text + " not in " + l.text()))
                .style();
    }

    @Test
    void theOomColumnHasTheKillsOfTheLastDayAndTheForecast() {
        FleetView v =
                declining("trainer", 180, report("journal", 2, List.of(kernelKill(T0.minusSeconds(3600), "python3"))));
        Line r = row(table.render(v, List.of(), 200, 10, T0.plusSeconds(120)), "trainer");
        assertTrue(r.text().contains("✗1 in ~3m"), r.text());
        assertEquals(Style.CRITICAL, styleOf(r, "✗1 in ~3m"), "under 5 minutes: red");
        FleetView later = declining(
                "trainer", 1200, report("journal", 2, List.of(kernelKill(T0.minus(Duration.ofDays(2)), "python3"))));
        Line r2 = row(table.render(later, List.of(), 200, 10, T0.plusSeconds(120)), "trainer");
        assertTrue(r2.text().contains("in ~20m"), r2.text());
        assertFalse(r2.text().contains("✗"), "a kill two days ago is not today's badge: " + r2.text());
        assertEquals(Style.WARNING, styleOf(r2, "in ~20m"));
    }

    @Test
    void withoutALogTheCounterSinceBootIsTheBadge() {
        FleetView v = declining("trainer", 5000, report("none", 3, List.of()));
        Line r = row(table.render(v, List.of(), 200, 10, T0.plusSeconds(120)), "trainer");
        assertTrue(r.text().contains("✗3b"), r.text());
    }

    @Test
    void theGuardIsLoudInTheTableARefusalStays() {
        FleetView v = declining("trainer", 180, report("journal", 0, List.of()));
        v.actions()
                .guarded("trainer", new ActionLog.GuardNote("made emergency swap: create a 48G swap file", false, T0));
        Line soon = row(table.render(v, List.of(), 200, 10, T0.plusSeconds(120)), "trainer");
        assertEquals(Style.WARNING, styleOf(soon, "GUARD: made emergency swap"));
        Line later = row(table.render(v, List.of(), 200, 10, T0.plus(Duration.ofMinutes(11))), "trainer");
        assertFalse(later.text().contains("GUARD"), "a swap made is shown for 10 minutes: " + later.text());
        v.actions()
                .guarded(
                        "trainer", new ActionLog.GuardNote("no swap made: the disk keeps under its reserve", true, T0));
        Line refused = row(table.render(v, List.of(), 200, 10, T0.plus(Duration.ofHours(3))), "trainer");
        assertEquals(Style.CRITICAL, styleOf(refused, "GUARD: no swap made"), "a refusal stays, in red");
    }

    @Test
    void theHostViewHasTheOomPanel() {
        FleetView v = declining(
                "trainer",
                180,
                report(
                        "dmesg",
                        2,
                        List.of(
                                kernelKill(T0.minusSeconds(7200), "older"),
                                kernelKill(T0.minusSeconds(3600), "py\u001b[2Jthon"))));
        v.openDetail();
        String text = String.join(
                "\n",
                detail.render(v, List.of(), 220, 40, T0.plusSeconds(120)).stream()
                        .map(Line::text)
                        .toList());
        assertTrue(
                text.contains(
                        " OOM  2 kills since boot (log: dmesg)  systemd-oomd active: user@1000.service full 12.3% of 50% for 20s"),
                text);
        assertTrue(
                text.contains(" forecast: OOM in ~3m (memory + swap shrinking by 5.9G/min over the last 120 s)"), text);
        int newest = text.indexOf(
                "pid 4100 py\\x1b[2Jthon RSS 12G adj 0 in /user.slice/user-1000.slice/session-3.scope: host out of memory; stopped whole: session-3.scope");
        int older = text.indexOf("pid 4100 older");
        assertTrue(newest > 0 && older > newest, "newest first, a hostile comm shown escaped:\n" + text);
        assertTrue(
                text.contains(
                        " pid 4242 in /user.slice/user-1000.slice/session-3.scope  oomd: not covered (a login's session scope, outside user@1000.service's pressure rule)"),
                text);
    }

    @Test
    void theHostViewSaysWhyNoLogWasRead() {
        FleetView v = declining("trainer", 5000, report("none", 3, List.of()));
        v.openDetail();
        String text = String.join(
                "\n",
                detail.render(v, List.of(), 220, 40, T0.plusSeconds(120)).stream()
                        .map(Line::text)
                        .toList());
        assertTrue(text.contains(" OOM history: no log readable: journal: no journalctl; dmesg: refused"), text);
    }
}
