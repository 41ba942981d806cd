package io.colabtop.app.tui;

import static io.colabtop.app.tui.TestScreens.*;
import static org.junit.jupiter.api.Assertions.*;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import io.colabtop.core.HostUpdate;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The real UI loop (runUntilQuit, the real clock) against a burst of host answers as a tick brings
 * them, a few milliseconds apart: they share frames instead of drawing one each, and every answer
 * is on the screen in the end.
 */
class FrameCoalescingTest {
    @Test
    void aTicksAnswersShareAFrameAndAllReachTheScreen() throws Exception {
        int hosts = 30;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < hosts; i++) {
            names.add(String.format("vm-%02d", i));
        }
        DefaultVirtualTerminal vt = new DefaultVirtualTerminal(new TerminalSize(200, 50));
        TuiSession session = new TuiSession(screen(vt), names, Duration.ofSeconds(2), InstantSource.system(), () -> {});
        Thread loop = new Thread(
                () -> {
                    try {
                        session.runUntilQuit();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                "ui-loop");
        loop.start();
        try {
            Thread.sleep(300); // the first frame, and the loop waiting
            long before = session.frames();
            long t0 = System.nanoTime();
            for (String n : names) {
                session.offer(HostUpdate.ok(snapshot(n, Instant.now(), 0.5, 0, 1.0, 500, "python " + n, false)));
                Thread.sleep(10);
            }
            double burstMs = (System.nanoTime() - t0) / 1e6;
            Thread.sleep(TuiSession.UPDATE_FRAME_MILLIS * 3);
            long drawn = session.frames() - before;
            // one frame per answer before; now one per UPDATE_FRAME_MILLIS of the burst, and the last
            long bound = (long) Math.ceil(burstMs / TuiSession.UPDATE_FRAME_MILLIS) + 3;
            assertTrue(drawn >= 1, "the answers were drawn");
            assertTrue(
                    drawn <= bound,
                    drawn + " frames for " + hosts + " answers in " + burstMs + " ms (bound " + bound + ")");
            String screen = String.join("\n", text(vt));
            for (String n : names) {
                assertTrue(screen.contains("python " + n), n + " reached the screen:\n" + screen);
            }
        } finally {
            session.offerKey(KeyStroke.fromString("q"));
            loop.join(TimeUnit.SECONDS.toMillis(10));
        }
        assertFalse(loop.isAlive(), "q ends the loop");
    }
}
