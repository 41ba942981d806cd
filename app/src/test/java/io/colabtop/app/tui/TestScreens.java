package io.colabtop.app.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import io.colabtop.core.Gpu;
import io.colabtop.core.HostSnapshot;
import io.colabtop.core.MemInfo;
import io.colabtop.core.Pressure;
import io.colabtop.core.ProcessInfo;
import io.colabtop.core.SwapArea;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Synthetic snapshots and a virtual terminal to paint them on. */
final class TestScreens {
    static final long GIB = 1024L * 1024 * 1024;

    private TestScreens() {}

    static HostSnapshot snapshot(
            String host,
            Instant at,
            double ramUsed,
            long swapTotal,
            double psiSome,
            int topScore,
            String topCommand,
            boolean gpu) {
        return snapshot(host, at, ramUsed, swapTotal, psiSome, topScore, topCommand, gpu, null);
    }

    /** The same, with these processes instead of the two usual ones (null: the usual ones). */
    static HostSnapshot snapshot(
            String host,
            Instant at,
            double ramUsed,
            long swapTotal,
            double psiSome,
            int topScore,
            String topCommand,
            boolean gpu,
            List<ProcessInfo> processes) {
        long total = 16 * GIB;
        MemInfo m = new MemInfo(total, total / 10, (long) (total * (1 - ramUsed)), 0, 0, swapTotal, swapTotal / 2);
        List<ProcessInfo> procs = new ArrayList<>();
        procs.add(new ProcessInfo(4242, 1, "sarah", "python", topCommand, 12 * GIB, topScore, 0, 1000, 'R'));
        procs.add(new ProcessInfo(77, 1, "root", "dockerd", "/usr/bin/dockerd", GIB / 10, 3, -500, 10, 'S'));
        List<SwapArea> swaps =
                swapTotal > 0 ? List.of(new SwapArea("/swapfile", "file", swapTotal, swapTotal / 2, -2)) : List.of();
        List<Gpu> gpus = gpu ? List.of(new Gpu(0, "GPU-x", "Tesla T4", 15 * GIB, 14 * GIB, GIB, 97)) : List.of();
        return new HostSnapshot(
                host,
                at,
                m,
                new Pressure(psiSome, 0, 0, 0, psiSome / 3, 0, 0, 0),
                swaps,
                processes != null ? processes : procs,
                gpus,
                List.of(),
                null,
                null,
                4,
                "Linux 6.8");
    }

    static TerminalScreen screen(DefaultVirtualTerminal vt) throws IOException {
        TerminalScreen s = new TerminalScreen(vt);
        s.startScreen();
        return s;
    }

    /** The virtual terminal's text, row by row, as a person would read it. */
    static List<String> text(DefaultVirtualTerminal vt) {
        TerminalSize size = vt.getTerminalSize();
        List<String> rows = new ArrayList<>();
        for (int r = 0; r < size.getRows(); r++) {
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < size.getColumns(); c++) {
                sb.append(vt.getCharacter(c, r).getCharacterString());
            }
            rows.add(sb.toString().stripTrailing());
        }
        return rows;
    }

    /** A key as the terminal delivers it, then one turn of the UI loop. */
    static void press(DefaultVirtualTerminal vt, TuiSession session, com.googlecode.lanterna.input.KeyStroke k)
            throws IOException {
        vt.addInput(k);
        session.step();
    }

    /** Each character as a key press. */
    static void type(DefaultVirtualTerminal vt, TuiSession session, String keys) throws IOException {
        for (char c : keys.toCharArray()) {
            press(vt, session, new com.googlecode.lanterna.input.KeyStroke(c, false, false));
        }
    }

    /**
     * Steps the UI loop until {@code ok} holds (work runs off the UI thread), failing with the
     * screen after {@code seconds}.
     */
    static void waitUntil(
            DefaultVirtualTerminal vt,
            TuiSession session,
            java.util.function.BooleanSupplier ok,
            String what,
            int seconds)
            throws IOException, InterruptedException {
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < until) {
            session.step();
            if (ok.getAsBoolean()) {
                return;
            }
            Thread.sleep(20);
        }
        org.junit.jupiter.api.Assertions.fail("screen never showed " + what + ":\n" + String.join("\n", text(vt)));
    }
}
