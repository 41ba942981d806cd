package io.colabtop.app.tui;

import static org.junit.jupiter.api.Assertions.*;

import io.colabtop.app.config.AppPaths;
import io.colabtop.app.config.ColabUnitsFile;
import io.colabtop.app.config.PriceCatalogFile;
import io.colabtop.app.tui.render.FleetRenderer;
import io.colabtop.app.tui.render.HostDetailRenderer;
import io.colabtop.app.tui.render.Line;
import io.colabtop.app.tui.state.FleetView;
import io.colabtop.core.Thresholds;
import io.colabtop.core.cost.ColabUnits;
import io.colabtop.core.cost.CostModel;
import io.colabtop.core.cost.Fx;
import io.colabtop.core.cost.VmCost;
import io.colabtop.core.cost.VmInfo;
import io.colabtop.core.cost.VmShape;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What the screen says about money when a VM cannot be priced (the title's fleet total, the COST
 * cell, the host view) and the Colab line of a VM's host view: the renderers on a view that
 * discovery would have filled, priced by the shipped snapshot (us-central1: N1 vCPU 0.031611/h,
 * GB 0.004237/h, T4 0.35/h, V100 2.48/h).
 */
class VmCostRenderTest {
    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    static VmInfo vm(String name, String type, String gpu, String status) {
        return new VmInfo(
                "p",
                name,
                name.hashCode(),
                "us-central1-a",
                status,
                type,
                gpu == null ? List.of() : List.of(new VmShape.GpuCount(gpu, 1)),
                List.of(),
                false,
                Map.of(),
                null,
                null,
                Instant.parse("2026-11-23T10:00:00Z"));
    }

    FleetView view(List<VmInfo> vms) {
        CostModel model = new CostModel(PriceCatalogFile.shipped());
        ColabUnits units = ColabUnitsFile.load(null, AppPaths.fromEnvironment());
        FleetView v = new FleetView(List.of(), Duration.ofSeconds(2));
        Map<String, VmCost> costs = new HashMap<>();
        for (VmInfo vm : vms) {
            v.hosts().add(vm.hostName());
            costs.put(
                    vm.hostName(),
                    VmCost.of(model.hourly(vm.shape()), vm, units.forShape(vm.shape(), model.catalog())));
        }
        v.vms().setMoney(Fx.USD, Duration.ofMinutes(30));
        v.vms().applyPriced(vms, costs, "GCE p: test");
        return v;
    }

    static String text(List<Line> lines) {
        return lines.stream().map(Line::text).collect(Collectors.joining("\n"));
    }

    @Test
    void theFleetTotalSaysWhatItLeavesOut() {
        // today: an unpriced running V100 VM drops out and the header shows what the others cost
        FleetView v = view(List.of(
                vm("t4-box", "n1-highmem-2", "nvidia-tesla-t4", "RUNNING"),
                vm("k80-box", "n1-standard-4", "nvidia-tesla-k80", "RUNNING"),
                vm("mystery", "zz9-standard-4", null, "RUNNING")));
        String screen = text(new FleetRenderer(Thresholds.DEFAULT).render(v, List.of(), 200, 12, NOW));
        double t4 = 2 * 0.031611 + 13 * 0.004237 + 0.35;
        double k80Box = 4 * 0.031611 + 15 * 0.004237;
        String title = screen.lines().findFirst().orElseThrow();
        assertTrue(
                title.contains("fleet ≥ " + Fx.USD.format(io.colabtop.core.cost.Money.usd(t4 + k80Box))
                        + "/h, 1 VM unpriced, 1 VM partly priced"),
                title);
        assertTrue(screen.lines().anyMatch(l -> l.startsWith("mystery ") && l.contains("  ?  ")), screen);
        assertTrue(screen.lines().anyMatch(l -> l.startsWith("k80-box ") && l.contains("≥$0.1900")), screen);
        assertTrue(screen.lines().anyMatch(l -> l.startsWith("t4-box ") && l.contains("$0.4683")), screen);
        FleetView whole = view(List.of(vm("t4-box", "n1-highmem-2", "nvidia-tesla-t4", "RUNNING")));
        String wholeTitle = text(new FleetRenderer(Thresholds.DEFAULT).render(whole, List.of(), 200, 12, NOW))
                .lines()
                .findFirst()
                .orElseThrow();
        assertTrue(wholeTitle.contains("fleet $0.4683/h, $239.30/month (sustained use)"), wholeTitle);
    }

    @Test
    void aVmsHostViewComparesItWithColabAndSaysWhatIsNotPriced() {
        FleetView v = view(List.of(vm("t4-box", "n1-highmem-2", "nvidia-tesla-t4", "RUNNING")));
        v.openDetail();
        String screen = text(new HostDetailRenderer(Thresholds.DEFAULT).render(v, List.of(), 200, 20, NOW));
        assertTrue(
                screen.contains(
                        " n1-highmem-2 + T4: $0.4683/h on GCE; Colab T4 runtime: 1.19 CU/h ~ $0.1189/h (units of 2026-03)"),
                screen);
        assertTrue(screen.contains(" Colab: Colab ends sessions on its own"), "the caveats that matter: " + screen);
        FleetView k80 = view(List.of(vm("k80-box", "n1-standard-4", "nvidia-tesla-k80", "RUNNING")));
        k80.openDetail();
        String k80Screen = text(new HostDetailRenderer(Thresholds.DEFAULT).render(k80, List.of(), 200, 20, NOW));
        assertTrue(k80Screen.contains("RUNNING  ≥ $0.1900/h"), k80Screen);
        assertTrue(
                k80Screen.contains(" not priced: 1x GPU nvidia-tesla-k80: not a GPU type in the shipped snapshot"),
                k80Screen);
        assertFalse(k80Screen.contains("Colab"), "no Colab runtime has a K80");
    }
}
