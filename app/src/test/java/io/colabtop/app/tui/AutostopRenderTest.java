package io.colabtop.app.tui;

import static org.junit.jupiter.api.Assertions.*;

import io.colabtop.app.tui.render.FleetRenderer;
import io.colabtop.app.tui.render.HostDetailRenderer;
import io.colabtop.app.tui.state.FleetView;
import io.colabtop.core.CpuTimes;
import io.colabtop.core.HostSnapshot;
import io.colabtop.core.HostUpdate;
import io.colabtop.core.MemInfo;
import io.colabtop.core.Thresholds;
import io.colabtop.core.action.AutostopState;
import io.colabtop.core.action.ShellResult;
import io.colabtop.core.cost.Money;
import io.colabtop.core.cost.VmInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the table and the host view say about autostop, and the IDLE warning that says whether it is armed. */
class AutostopRenderTest {
    static final String HOST = "spot-t4.us-central1-a.p";
    static final Instant T0 = Instant.parse("2026-07-30T23:00:00Z");

    /** A running VM whose CPU stayed idle for 32 minutes (0 % busy readings, no GPU). */
    FleetView idleVm() {
        FleetView v = new FleetView(List.of(HOST), Duration.ofSeconds(2));
        VmInfo vm = VmCostRenderTest.vm("spot-t4", "n1-standard-4", "nvidia-tesla-t4", "RUNNING");
        v.vms().setMoney(io.colabtop.core.cost.Fx.USD, Duration.ofMinutes(30));
        v.vms().apply(List.of(vm), Map.of(vm.hostName(), Money.usd(0.2649)), "GCE");
        for (int i = 0; i <= 32; i++) {
            v.apply(HostUpdate.ok(new HostSnapshot(
                    vm.hostName(),
                    T0.plusSeconds(60L * i),
                    new MemInfo(100, 50, 50, 0, 0, 0, 0),
                    null,
                    List.of(),
                    List.of(),
                    List.of(),
                    List.of(),
                    null,
                    new CpuTimes(100, 0, 100, 1000 + i * 6000L, 0, 0, 0, 0),
                    4,
                    null)));
        }
        return v;
    }

    static AutostopState armed(String... more) {
        StringBuilder out = new StringBuilder("colabtop-result: now=1000\ncolabtop-result: armed=1\n");
        for (String m : more) {
            out.append("colabtop-result: ").append(m).append('\n');
        }
        return AutostopState.parse(ShellResult.parse(0, out.toString(), ""), T0.plusSeconds(32 * 60));
    }

    String row(FleetView v, Instant now) {
        return new FleetRenderer(Thresholds.DEFAULT)
                .render(v, List.of(), 300, 10, now).stream()
                        .map(io.colabtop.app.tui.render.Line::text)
                        .filter(l -> l.startsWith("spot-t4"))
                        .findFirst()
                        .orElseThrow();
    }

    @Test
    void theIdleWarningSaysWhetherAutostopIsArmed() {
        Instant now = T0.plusSeconds(32 * 60);
        FleetView v = idleVm();
        assertTrue(
                row(v, now)
                        .contains("IDLE 31m: CPU and GPU near zero, still billing $0.2649/h (S stops it; a: autostop)"),
                row(v, now));
        v.autostops()
                .set(
                        HOST,
                        armed(
                                "what=idle 30m",
                                "watcher=5120",
                                "watchers=1",
                                "status_pending=1",
                                "status_fires=1720",
                                "status_note=idle: CPU 0%, GPU none, no SSH terminal"));
        assertTrue(
                row(v, now.plusSeconds(60))
                        .contains("still billing $0.2649/h (S stops it); autostop: idle 30m (11m left)"),
                row(v, now.plusSeconds(60)));
    }

    @Test
    void aRowAndItsHostViewSayWhatIsArmedAndABrokenOneIsAWarning() {
        FleetView v = new FleetView(List.of("trainer"), Duration.ofSeconds(2));
        v.apply(HostUpdate.ok(TestScreens.snapshot("trainer", T0, 0.5, 0, 0.1, 912, "python train.py", false)));
        v.autostops()
                .set(
                        "trainer",
                        armed(
                                "what=when PID 4242 exits",
                                "watcher=5120",
                                "watchers=1",
                                "status_note=PID 4242 (python) runs"));
        String r = new FleetRenderer(Thresholds.DEFAULT)
                .render(v, List.of(), 220, 10, T0).stream()
                        .map(io.colabtop.app.tui.render.Line::text)
                        .filter(l -> l.startsWith("trainer"))
                        .findFirst()
                        .orElseThrow();
        assertTrue(r.contains("autostop: when PID 4242 exits │ 4242 python train.py"), r);
        v.openDetail();
        String detail = String.join(
                "\n",
                new HostDetailRenderer(Thresholds.DEFAULT)
                        .render(v, List.of(), 200, 30, T0).stream()
                                .map(io.colabtop.app.tui.render.Line::text)
                                .toList());
        assertTrue(detail.contains(" autostop: when PID 4242 exits; last check: PID 4242 (python) runs"), detail);
        v.autostops().set("trainer", armed("what=when PID 4242 exits", "watcher=gone"));
        assertTrue(v.autostops().alarming("trainer"));
        assertFalse(v.autostops().armed("trainer"), "a watcher that is gone will not stop the VM");
        v.autostops().set("trainer", AutostopState.none(T0));
        assertNull(v.autostops().get("trainer"));
    }
}
