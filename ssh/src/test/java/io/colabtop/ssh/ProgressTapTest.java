package io.colabtop.ssh;

import static org.junit.jupiter.api.Assertions.*;

import io.colabtop.core.action.Progress;
import io.colabtop.core.action.ShellWatch;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTapTest {
    static List<Progress> tap(String out, int chunk) throws Exception {
        List<Progress> seen = new ArrayList<>();
        ShellWatch w = new ShellWatch() {
            public void progress(Progress p) {
                seen.add(p);
            }

            public boolean cancelled() {
                return false;
            }
        };
        byte[] bytes = out.getBytes(StandardCharsets.UTF_8);
        try (InputStream in = new ProgressTap(new ByteArrayInputStream(bytes), w)) {
            byte[] buf = new byte[chunk];
            StringBuilder passed = new StringBuilder();
            int n;
            while ((n = in.read(buf, 0, chunk)) > 0) {
                passed.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
            assertEquals(out, passed.toString(), "the stream passes through unchanged");
        }
        return seen;
    }

    @Test
    void progressLinesAreSeenWhereverTheReadsSplitThem() throws Exception {
        String out = "\n\ncolabtop-progress: zeros 1048576 4194304\n\ncolabtop-step: mkswap /swapfile\n"
                + "colabtop-progress: zeros 2097152 4194304\n" + "x".repeat(5000)
                + "colabtop-progress: zeros 3 4\n" // the end of a long line: not a progress line
                + "colabtop-progress: zeros nope 4\n"
                + "colabtop-progress: swapon 4194304 4194304\n";
        for (int chunk : new int[] {1, 7, 64, 65536}) {
            List<Progress> seen = tap(out, chunk);
            assertEquals(
                    List.of(
                            new Progress("zeros", 1048576, 4194304),
                            new Progress("zeros", 2097152, 4194304),
                            new Progress("swapon", 4194304, 4194304)),
                    seen,
                    "chunk " + chunk);
        }
    }
}
