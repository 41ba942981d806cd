package io.colabtop.app.fleet;

import static org.junit.jupiter.api.Assertions.*;

import io.colabtop.core.Footprint;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** colabtop's own weight, as OSHI reads it, against what /proc says of this JVM. */
class FootprintMeterTest {
    @Test
    void readsThisJvmAsProcSeesIt() throws Exception {
        FootprintMeter m = new FootprintMeter();
        Footprint first = m.read();
        assertNotNull(first);
        assertEquals(-1, first.cpuPercent(), "one reading says nothing about CPU");
        long sum = 0;
        for (int i = 0; i < 20_000_000; i++) {
            sum += i % 7; // some CPU between the readings
        }
        Footprint second = m.read();
        assertTrue(sum > 0);
        String status = Files.readString(Path.of("/proc/self/status"));
        long rssKb = Long.parseLong(status.lines()
                .filter(l -> l.startsWith("VmRSS:"))
                .findFirst()
                .orElseThrow()
                .replaceAll("\\D", ""));
        int threads = Integer.parseInt(status.lines()
                .filter(l -> l.startsWith("Threads:"))
                .findFirst()
                .orElseThrow()
                .replaceAll("\\D", ""));
        assertEquals(rssKb * 1024, second.rssBytes(), rssKb * 1024 / 5.0, "within 20% of VmRSS");
        assertTrue(Math.abs(second.threads() - threads) <= 3, second.threads() + " vs " + threads);
        assertTrue(second.cpuPercent() >= 0, "" + second.cpuPercent());
    }
}
