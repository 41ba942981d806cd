package io.colabtop.app.tui;

import static org.junit.jupiter.api.Assertions.*;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import io.colabtop.app.tui.render.Line;
import io.colabtop.app.tui.render.ScreenPainter;
import io.colabtop.app.tui.render.Style;
import io.colabtop.app.tui.render.TerminalColumns;
import io.colabtop.core.Gpu;
import io.colabtop.core.GpuProcess;
import io.colabtop.core.HostSnapshot;
import io.colabtop.core.HostUpdate;
import io.colabtop.core.MemInfo;
import io.colabtop.core.MountEntry;
import io.colabtop.core.Pressure;
import io.colabtop.core.ProcessInfo;
import io.colabtop.core.SafeText;
import io.colabtop.core.SwapArea;
import io.colabtop.core.action.HostScript;
import io.colabtop.core.cost.VmInfo;
import io.colabtop.core.cost.VmShape;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The painter is total: random byte strings in every field of a snapshot, every error, every
 * dialog, rendered by the real renderers onto Lanterna's virtual terminal at random sizes, never
 * make a frame throw and never leave a control or format character in a cell.
 * Before the sanitiser, a process whose comm held an ESC and whose cmdline was empty threw
 * "Cannot create a TextCharacter from a control character" and took the whole screen down.
 */
class HostileTextRenderTest {
    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    static final String[] PIECES = {
        "\u001b[2J",
        "\u001b]0;pwned\u0007",
        "\u009b31m",
        "\u202ehs.live",
        "\u2066",
        "\n",
        "\r",
        "\t",
        "\u0000",
        "\u007f",
        "训练データ",
        "🚀",
        "👩‍🔬",
        "e\u0301",
        "\u0301\u0301\u0301",
        "\ud800",
        "\udfff",
        "\ufeff",
        "@@ct:end 7",
        "%s%n",
        "\\x1b",
        "ก\u0e38",
        " ",
        "",
        "x".repeat(300),
        "界".repeat(80)
    };

    static String random(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> {
                byte[] b = new byte[r.nextInt(48)];
                r.nextBytes(b);
                yield new String(b, StandardCharsets.UTF_8);
            }
            case 1 -> {
                StringBuilder sb = new StringBuilder();
                for (int i = r.nextInt(30); i > 0; i--) {
                    sb.append((char) r.nextInt(0x10000));
                }
                yield sb.toString();
            }
            default -> {
                StringBuilder sb = new StringBuilder();
                for (int i = r.nextInt(6); i > 0; i--) {
                    sb.append(PIECES[r.nextInt(PIECES.length)]);
                }
                yield sb.toString();
            }
        };
    }

    static long anyLong(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> 0;
            case 1 -> -r.nextInt(1 << 20);
            case 2 -> Long.MAX_VALUE / (1 + r.nextInt(3));
            default -> r.nextLong() & Long.MAX_VALUE >>> r.nextInt(40);
        };
    }

    static double anyDouble(Random r) {
        double[] odd = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -5, 1e300, 100.0};
        return r.nextInt(3) == 0 ? odd[r.nextInt(odd.length)] : r.nextDouble() * 120;
    }

    static HostSnapshot snapshot(String host, Random r) {
        MemInfo m = new MemInfo(anyLong(r), anyLong(r), anyLong(r), anyLong(r), anyLong(r), anyLong(r), anyLong(r));
        List<ProcessInfo> procs = new ArrayList<>();
        for (int i = r.nextInt(30); i > 0; i--) {
            procs.add(new ProcessInfo(
                    r.nextInt(),
                    r.nextInt(),
                    random(r),
                    random(r),
                    r.nextBoolean() ? "" : random(r),
                    anyLong(r),
                    r.nextInt(),
                    r.nextInt(),
                    anyLong(r),
                    (char) r.nextInt(0x10000)));
        }
        List<SwapArea> swaps = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            swaps.add(new SwapArea(random(r), random(r), anyLong(r), anyLong(r), r.nextInt()));
        }
        List<Gpu> gpus = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            gpus.add(new Gpu(
                    r.nextInt(),
                    random(r),
                    random(r),
                    r.nextBoolean() ? null : anyLong(r),
                    anyLong(r),
                    anyLong(r),
                    r.nextBoolean() ? null : r.nextInt()));
        }
        List<GpuProcess> apps = List.of(new GpuProcess(random(r), r.nextInt(), random(r), anyLong(r)));
        List<MountEntry> mounts = List.of(new MountEntry(random(r), random(r), "fuse." + random(r)));
        Pressure p = r.nextInt(4) == 0
                ? null
                : new Pressure(
                        anyDouble(r),
                        anyDouble(r),
                        anyDouble(r),
                        anyLong(r),
                        anyDouble(r),
                        anyDouble(r),
                        anyDouble(r),
                        anyLong(r));
        return new HostSnapshot(
                host,
                T0,
                m,
                p,
                swaps,
                procs,
                gpus,
                apps,
                r.nextBoolean() ? null : random(r),
                null,
                r.nextInt(),
                random(r),
                mounts);
    }

    static VmInfo vm(String host, Random r) {
        Map<String, String> labels = new HashMap<>();
        labels.put(random(r), random(r));
        String[] states = {"RUNNING", "TERMINATED", "STOPPING", "SUSPENDED", "STAGING", random(r)};
        return new VmInfo(
                random(r),
                host,
                r.nextLong(),
                random(r),
                states[r.nextInt(states.length)],
                random(r),
                List.of(new VmShape.GpuCount(random(r), r.nextInt(9))),
                List.of(new VmShape.Disk(random(r), anyLong(r))),
                r.nextBoolean(),
                labels,
                random(r),
                random(r),
                r.nextBoolean() ? null : T0.minusSeconds(r.nextInt(100_000)));
    }

    /**
     * Every row, as the terminal receives it, is safe. Rows are checked joined because the virtual
     * terminal stores what it is sent one Java char per cell: an emoji's surrogate pair, or a Thai
     * letter and its vowel, arrive whole but sit in two cells.
     */
    static void assertCleanScreen(DefaultVirtualTerminal vt, String what) {
        TerminalSize size = vt.getTerminalSize();
        for (int row = 0; row < size.getRows(); row++) {
            StringBuilder sb = new StringBuilder();
            for (int col = 0; col < size.getColumns(); col++) {
                sb.append(vt.getCharacter(col, row).getCharacterString());
            }
            if (!SafeText.isSafe(sb.toString())) {
                fail(what + ": unsafe row " + row + ": " + SafeText.shown(sb.toString()));
            }
        }
    }

    @Test
    void randomHostTextNeverBreaksAFrame() throws Exception {
        Random r = new Random(20261123);
        for (int round = 0; round < 300; round++) {
            int cols = 1 + r.nextInt(r.nextBoolean() ? 40 : 220);
            int rows = 1 + r.nextInt(r.nextBoolean() ? 6 : 60);
            DefaultVirtualTerminal vt = new DefaultVirtualTerminal(new TerminalSize(cols, rows));
            TerminalScreen screen = TestScreens.screen(vt);
            List<String> names = new ArrayList<>();
            for (int i = 1 + r.nextInt(5); i > 0; i--) {
                names.add(r.nextInt(3) == 0 ? random(r) + i : "host-" + i);
            }
            TuiSession session = new TuiSession(screen, names, Duration.ofSeconds(2), () -> T0, () -> {});
            String what = "round " + round + " " + cols + "x" + rows;
            try {
                Map<String, io.colabtop.core.cost.Money> costs = new HashMap<>();
                List<VmInfo> vms = new ArrayList<>();
                for (String n : names) {
                    session.offer(
                            r.nextInt(4) == 0
                                    ? HostUpdate.failed(n, random(r), null, T0)
                                    : HostUpdate.ok(snapshot(n, r)));
                    if (r.nextBoolean()) {
                        vms.add(vm(n, r));
                        costs.put(n, io.colabtop.core.cost.Money.usd(anyDouble(r)));
                    }
                }
                session.offerVms(vms, costs, random(r));
                session.step();
                session.view().setMessage(random(r)); // unsanitised on purpose: the painter must cope
                session.draw(T0);
                assertCleanScreen(vt, what + " table");
                for (int k = 0; k < 5; k++) {
                    session.handle(new KeyStroke('s', false, false));
                    session.draw(T0.plusSeconds(r.nextInt(100_000)));
                }
                session.handle(new KeyStroke(KeyType.Enter));
                for (int k = 0; k < 3; k++) {
                    session.handle(new KeyStroke(KeyType.ArrowDown));
                    session.draw(T0);
                    assertCleanScreen(vt, what + " detail");
                }
                session.open(new io.colabtop.app.tui.dialog.PlanDialog(new HostScript(
                        names.get(0),
                        random(r),
                        List.of(random(r), random(r)),
                        "",
                        r.nextBoolean(),
                        Duration.ofSeconds(1))));
                session.draw(T0);
                assertCleanScreen(vt, what + " plan");
                session.open(new io.colabtop.app.tui.dialog.InputDialog(random(r), random(r), s -> {}));
                session.draw(T0);
                assertCleanScreen(vt, what + " prompt");
                session.handle(new KeyStroke(KeyType.Escape));
                session.handle(new KeyStroke(KeyType.Escape));
                session.handle(new KeyStroke('?', false, false));
                session.draw(T0);
                assertCleanScreen(vt, what + " help");
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError(
                        what + " with hosts "
                                + names.stream().map(SafeText::shown).toList(),
                        e);
            }
        }
    }

    @Test
    void thePainterAloneIsTotal() throws Exception {
        // raw strings straight to the painter, no renderer or HostText in between
        Random r = new Random(7);
        for (int round = 0; round < 500; round++) {
            int cols = 1 + r.nextInt(100);
            DefaultVirtualTerminal vt = new DefaultVirtualTerminal(new TerminalSize(cols, 4));
            TerminalScreen screen = TestScreens.screen(vt);
            List<Line> lines = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                List<Line.Span> spans = new ArrayList<>();
                for (int s = r.nextInt(4); s >= 0; s--) {
                    spans.add(new Line.Span(random(r), Style.values()[r.nextInt(Style.values().length)]));
                }
                lines.add(new Line(spans, r.nextBoolean()));
            }
            ScreenPainter.paint(screen.newTextGraphics(), lines, cols);
            screen.refresh();
            assertCleanScreen(vt, "painter round " + round);
        }
    }

    @Test
    void widthIsCountedInColumns() {
        // a CJK command line takes two columns a character: cut by chars it pushed the row off screen
        assertEquals(10, TerminalColumns.width("训练データ"));
        assertEquals(8, TerminalColumns.width(Line.fit("训练データ", 8)));
        assertEquals(7, TerminalColumns.width(Line.fit("训练データ", 7)));
        assertEquals("训练デ…", Line.fit("训练データ", 7));
        assertEquals(1, TerminalColumns.width("e\u0301"));
        assertEquals(2, TerminalColumns.width("🚀"));
        assertEquals(12, TerminalColumns.width(Line.fit("\u001b[2J", 12)), "escaped, then measured");
    }
}
