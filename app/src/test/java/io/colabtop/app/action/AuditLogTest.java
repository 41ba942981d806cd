package io.colabtop.app.action;

import static org.junit.jupiter.api.Assertions.*;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit log file as it really gets written and read: by several writers, and after anything was appended to it. */
class AuditLogTest {
    @TempDir
    Path tmp;

    /** Two gates in one colabtop (the TUI runs actions on several hosts at once) write the same file. */
    @Test
    void writersInOneProcessTakeTurnsAndNoLineIsLost() throws Exception {
        Path file = tmp.resolve("audit.log");
        AuditLog a = new AuditLog(file);
        AuditLog b = new AuditLog(file);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                AuditLog log = t % 2 == 0 ? a : b;
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        log.append(AuditLog.entry().put("thread", thread).put("i", i));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(); // the old code threw OverlappingFileLockException here
            }
        } finally {
            pool.shutdownNow();
        }
        AuditLog.Tail t = a.read(5000);
        assertEquals(1600, t.entries().size());
        assertEquals(0, t.skipped());
        assertEquals(1600, Files.readAllLines(file).size());
    }

    @Test
    void readingStopsAtItsBoundAndSaysSo() throws Exception {
        Path file = tmp.resolve("audit.log");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write("{\"host\":\"old\"}\n".getBytes(StandardCharsets.UTF_8));
            byte[] junk = new byte[1 << 20];
            java.util.Arrays.fill(junk, (byte) 'j');
            for (long written = 0; written <= AuditLog.MAX_SCAN; written += junk.length) {
                out.write(junk); // one line longer than the whole scan
            }
            out.write("\n{\"host\":\"new\"}\n".getBytes(StandardCharsets.UTF_8));
        }
        AuditLog.Tail t = new AuditLog(file).read(10);
        assertEquals(
                List.of("new"),
                t.entries().stream().map(e -> e.get("host").asText()).toList());
        assertTrue(t.partial(), "the first entry is beyond the bound: said, not read");
        assertEquals(0, t.skipped(), "the long line was never finished reading, so not counted");
        // one entry asked: found at once, nothing more read
        AuditLog.Tail one = new AuditLog(file).read(1);
        assertEquals(1, one.entries().size());
        assertFalse(one.partial());
    }
}
