package io.colabtop.core;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class NvidiaSmiTest {
    private static final long MIB = 1024L * 1024;

    @Test
    void oneT4() {
        List<Gpu> g = NvidiaSmi.parseGpus(Fixtures.text("nvidia-smi/gpus-t4.csv"));
        assertEquals(1, g.size());
        Gpu t4 = g.get(0);
        assertEquals("Tesla T4", t4.name().exact());
        assertEquals(15360 * MIB, t4.memoryTotalBytes());
        assertEquals(14520 * MIB, t4.memoryUsedBytes());
        assertEquals(97, t4.utilizationPercent());
        assertEquals(14520.0 / 15360, t4.memoryUsedFraction(), 1e-9);
    }

    @Test
    void notAvailableFieldsAreNull() {
        List<Gpu> g = NvidiaSmi.parseGpus(Fixtures.text("nvidia-smi/gpus-a100x2-na.csv"));
        assertEquals(2, g.size());
        Gpu second = g.get(1);
        assertEquals(1, second.index());
        assertEquals(40960 * MIB, second.memoryTotalBytes());
        assertNull(second.memoryUsedBytes());
        assertNull(second.utilizationPercent());
        assertEquals(-1, second.memoryUsedFraction());
    }

    @Test
    void noGpuAndTruncatedLines() {
        assertEquals(List.of(), NvidiaSmi.parseGpus(null));
        assertEquals(List.of(), NvidiaSmi.parseGpus(""));
        assertEquals(List.of(), NvidiaSmi.parseGpus(Fixtures.text("nvidia-smi/gpus-truncated.csv")));
    }

    @Test
    void driverFailureIsAnErrorNotAGpu() {
        ParseException e = assertThrows(
                ParseException.class, () -> NvidiaSmi.parseGpus(Fixtures.text("nvidia-smi/failed-driver.txt")));
        assertTrue(e.getMessage().contains("couldn't communicate"));
    }

    @Test
    void computeApps() {
        List<GpuProcess> a = NvidiaSmi.parseComputeApps(Fixtures.text("nvidia-smi/apps-two.csv"));
        assertEquals(2, a.size());
        assertEquals(
                new GpuProcess("GPU-0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0", 4242, "/usr/bin/python3", 38900 * MIB),
                a.get(0));
        assertNull(a.get(1).usedMemoryBytes());
        assertEquals("python train.py", a.get(1).processName().exact());
        assertEquals(List.of(), NvidiaSmi.parseComputeApps(Fixtures.text("nvidia-smi/apps-none.csv")));
    }
}
