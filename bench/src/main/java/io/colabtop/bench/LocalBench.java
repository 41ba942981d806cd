package io.colabtop.bench;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import io.colabtop.app.tui.TuiSession;
import io.colabtop.core.Gpu;
import io.colabtop.core.HostSnapshot;
import io.colabtop.core.HostUpdate;
import io.colabtop.core.MemInfo;
import io.colabtop.core.Pressure;
import io.colabtop.core.ProcessInfo;
import io.colabtop.core.SwapArea;
import io.colabtop.ssh.LocalSource;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue 2's figures: the cost of one local snapshot (read + parse, top 20 processes) and of one
 * TUI frame (render + paint + refresh on a 200x60 virtual terminal) for 100 hosts.
 */
public final class LocalBench {
    private LocalBench() {}

    public static void main(String[] args) throws Exception {
        int processes = (int) java.nio.file.Files.list(java.nio.file.Path.of("/proc"))
                .filter(p -> p.getFileName().toString().matches("\\d+"))
                .count();
        System.out.printf(
                "machine: %d cpus, %d processes in /proc%n",
                Runtime.getRuntime().availableProcessors(), processes);
        LocalSource local = new LocalSource(20, InstantSource.system());
        Timing.measure("local snapshot (read+parse, top 20 procs)", 50, 300, local::poll);

        for (int hosts : new int[] {100, 200}) {
            DefaultVirtualTerminal vt = new DefaultVirtualTerminal(new TerminalSize(200, 60));
            TerminalScreen screen = new TerminalScreen(vt);
            screen.startScreen();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < hosts; i++) {
                names.add(String.format("vm-%03d", i));
            }
            Instant t0 = Instant.now();
            TuiSession session = new TuiSession(screen, names, Duration.ofSeconds(2), () -> t0, () -> {});
            long[] tick = {0};
            Timing.measure("TUI frame, " + hosts + " hosts (all rows updated)", 50, 300, () -> {
                tick[0]++;
                for (int i = 0; i < hosts; i++) {
                    session.offer(HostUpdate.ok(synthetic(names.get(i), t0, i, tick[0])));
                }
                if (!session.step()) {
                    throw new IllegalStateException("no frame drawn");
                }
            });
        }
    }

    static HostSnapshot synthetic(String host, Instant at, int i, long tick) {
        long gib = 1L << 30;
        long total = (16 + i % 4 * 16) * gib;
        double used = ((i * 37 + tick * 7) % 100) / 100.0;
        MemInfo m =
                new MemInfo(total, total / 20, (long) (total * (1 - used)), 0, 0, i % 3 == 0 ? 0 : 2 * total, total);
        List<ProcessInfo> procs = new ArrayList<>();
        for (int p = 0; p < 20; p++) {
            procs.add(new ProcessInfo(
                    1000 + p,
                    1,
                    "user",
                    "python",
                    "python train.py --config runs/exp" + i + ".yaml --worker " + p,
                    (20 - p) * gib / 8,
                    900 - p * 40,
                    0,
                    100 + p,
                    'S'));
        }
        List<SwapArea> swaps = m.swapTotalBytes() > 0
                ? List.of(new SwapArea("/swapfile", "file", m.swapTotalBytes(), 0, -2))
                : List.of();
        List<Gpu> gpus = i % 2 == 0
                ? List.of(new Gpu(0, "GPU-" + i, "Tesla T4", 15 * gib, (long) (used * 15 * gib), 0L, 80))
                : List.of();
        return new HostSnapshot(
                host,
                at,
                m,
                new Pressure(used * 60, 0, 0, 0, used * 20, 0, 0, 0),
                swaps,
                procs,
                gpus,
                List.of(),
                null,
                null,
                8,
                "Linux");
    }
}
