package io.colabtop.core.cost;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ColabUnitsTest {
    static final ColabUnits UNITS = new ColabUnits(
            "2026-03",
            "observed",
            9.99,
            Map.of(
                    "T4", new ColabUnits.Runtime(1.19, "nvidia-tesla-t4"),
                    "A100", new ColabUnits.Runtime(5.40, "nvidia-tesla-a100")),
            List.of("sessions end"));

    @Test
    void aRuntimeIsFoundByItsGpuAndPricedFromUnits() {
        ColabUnits.Comparison t4 = UNITS.validate().forGpu("nvidia-tesla-t4");
        assertEquals("T4", t4.runtime());
        assertEquals(1.19 * 9.99 / 100, t4.perHour().usd(), 1e-12);
        assertEquals("$0.1189", Fx.USD.format(t4.perHour()));
        assertEquals(
                "A100", UNITS.forGpu("nvidia-a100-80gb").runtime(), "an 80 GB A100 compares with the A100 runtime");
        assertNull(UNITS.forGpu("nvidia-tesla-v100"));
        assertNull(UNITS.forGpu(null));
        PriceCatalog c = CostModelTest.catalog();
        assertEquals(
                "A100",
                UNITS.forShape(new VmShape("a2-highgpu-1g", List.of(), List.of(), "us-central1-a", false), c)
                        .runtime());
        assertNull(UNITS.forShape(new VmShape("zz9-x", List.of(), List.of(), "us-central1-a", false), c));
    }

    @Test
    void badFiguresAreRefused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new ColabUnits("2026-03", "", -1, UNITS.runtimes(), List.of()).validate());
        assertThrows(
                IllegalArgumentException.class,
                () -> new ColabUnits("March", "", 9.99, UNITS.runtimes(), List.of()).validate());
        assertThrows(
                IllegalArgumentException.class,
                () -> new ColabUnits(
                                "2026-03",
                                "",
                                9.99,
                                Map.of("T4", new ColabUnits.Runtime(0, "nvidia-tesla-t4")),
                                List.of())
                        .validate());
        assertThrows(
                IllegalArgumentException.class,
                () -> new ColabUnits(
                                "2026-03", "", 9.99, Map.of("T4\u001b[2J", new ColabUnits.Runtime(1, null)), List.of())
                        .validate());
        assertThrows(
                IllegalArgumentException.class,
                () -> new ColabUnits("2026-03", "", 9.99, Map.of(), List.of()).validate());
    }
}
