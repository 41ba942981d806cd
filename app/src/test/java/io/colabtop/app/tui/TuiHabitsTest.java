package io.colabtop.app.tui;

import static io.colabtop.app.tui.TestScreens.*;
import static org.junit.jupiter.api.Assertions.*;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalPosition;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextCharacter;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.input.MouseAction;
import com.googlecode.lanterna.input.MouseActionType;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import io.colabtop.core.HostSnapshot;
import io.colabtop.core.HostUpdate;
import io.colabtop.core.ProcessInfo;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reflexes an htop, btop or k9s user brings, on the virtual terminal: / filters, &lt; &gt; I sort,
 * t shows the tree, the mouse selects, h is help and scrolls, l shows messages in full, Ctrl-L
 * repaints, Ctrl-Z suspends, Ctrl-C exits 130, --mono draws without colour.
 */
class TuiHabitsTest {
    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    final AtomicReference<Instant> now = new AtomicReference<>(T0);
    final InstantSource clock = () -> now.get();
    DefaultVirtualTerminal vt;
    TerminalScreen screen;
    TuiSession session;

    @BeforeEach
    void setUp() throws Exception {
        start(new TerminalSize(160, 30));
    }

    void start(TerminalSize size) throws Exception {
        vt = new DefaultVirtualTerminal(size);
        screen = screen(vt);
        session = new TuiSession(
                screen,
                List.of("train-a100", "train-t4", "notebook", "down-box"),
                Duration.ofSeconds(2),
                clock,
                () -> {});
        session.offer(HostUpdate.ok(trainer("train-a100", 0.92)));
        session.offer(HostUpdate.ok(snapshot("train-t4", T0, 0.60, 8 * GIB, 12.0, 700, "python finetune.py", true)));
        session.offer(HostUpdate.ok(snapshot("notebook", T0, 0.20, 0, 0.0, 300, "jupyter-lab", false)));
        session.offer(HostUpdate.failed("down-box", "Connection refused", null, T0));
        session.step();
    }

    /**
     * A trainer with four data-loader workers under it, and a shell beside it, on a host up for
     * 3h05m02s: the trainer started 1 s after boot, its workers 1 s later, the shell 2h into the run.
     */
    static HostSnapshot trainer(String host, double ram) {
        List<ProcessInfo> procs = new ArrayList<>();
        procs.add(new ProcessInfo(5000, 1, "sarah", "python", "python train.py", 13 * GIB, 900, 0, 100, 'R'));
        for (int i = 1; i <= 4; i++) {
            procs.add(new ProcessInfo(
                    5000 + i, 5000, "sarah", "pt_data_worker", "pt_data_worker " + i, GIB, 400 + i, 0, 200, 'S'));
        }
        procs.add(new ProcessInfo(6000, 1, "sarah", "bash", "-bash", 5 * 1024 * 1024, 10, 0, 720_000, 'S'));
        procs.add(new ProcessInfo(77, 1, "root", "dockerd", "/usr/bin/dockerd", GIB / 10, 3, -500, 10, 'S'));
        HostSnapshot s = snapshot(host, T0, ram, 0, 30.0, 900, "python train.py", true, procs);
        return new HostSnapshot(
                s.host(),
                s.takenAt(),
                s.memory(),
                s.pressure(),
                s.swaps(),
                s.processes(),
                s.gpus(),
                s.gpuProcesses(),
                s.gpuError(),
                s.cpu(),
                s.cpuCount(),
                s.kernel(),
                s.mounts(),
                s.oom(),
                java.time.Duration.ofSeconds(3 * 3600 + 5 * 60 + 2));
    }

    List<String> screenRows() {
        return text(vt);
    }

    String screenText() {
        return String.join("\n", text(vt));
    }

    int rowIndex(String startsWith) {
        List<String> t = text(vt);
        for (int i = 0; i < t.size(); i++) {
            if (t.get(i).startsWith(startsWith)) {
                return i;
            }
        }
        return -1;
    }

    /** The host rows in screen order (the rows under the header that name a configured host). */
    List<String> hostOrder() {
        List<String> order = new ArrayList<>();
        for (String row : text(vt)) {
            for (String h : List.of("train-a100", "train-t4", "notebook", "down-box")) {
                if (row.startsWith(h + " ")) {
                    order.add(h);
                }
            }
        }
        return order;
    }

    void press(KeyStroke k) throws Exception {
        vt.addInput(k);
        session.step();
    }

    void press(char c) throws Exception {
        press(new KeyStroke(c, false, false));
    }

    void type(String s) throws Exception {
        for (char c : s.toCharArray()) {
            press(c);
        }
    }

    void click(int row, MouseActionType type) throws Exception {
        press(new MouseAction(type, 1, new TerminalPosition(3, row)));
    }

    @Test
    void slashFiltersHostsAsYouTypeAndEscClears() throws Exception {
        press('/');
        type("tr");
        assertEquals(List.of("train-a100", "train-t4"), hostOrder(), "narrows with each key");
        assertTrue(screenText().contains("filter hosts: tr_"), screenText());
        type("ain-t");
        assertEquals(List.of("train-t4"), hostOrder());
        press(new KeyStroke(KeyType.Enter));
        assertEquals(List.of("train-t4"), hostOrder(), "Enter keeps the filter");
        assertTrue(text(vt).get(0).contains("train-t"), "the title says a filter is on: " + text(vt).get(0));
        assertEquals("train-t4", session.view().hosts().selected(), "the selection follows what is shown");
        press('/');
        press(new KeyStroke(KeyType.Escape));
        assertEquals(4, hostOrder().size(), "Esc clears it");
    }

    @Test
    void aFilterThatMatchesNothingSaysSoAndActionsHaveNoHost() throws Exception {
        press('/');
        type("zzz");
        press(new KeyStroke(KeyType.Enter));
        assertEquals(List.of(), hostOrder());
        assertTrue(screenText().contains("zzz"), screenText());
        assertNull(session.view().hosts().selected(), "a hidden host is never the one a key acts on");
        press('w');
        assertTrue(screenText().contains("no host selected (/ then Esc clears the filter)"), screenText());
        press(new KeyStroke(KeyType.Enter));
        assertEquals(FleetViewMode.TABLE, FleetViewMode.of(session));
        press('/');
        press(new KeyStroke(KeyType.Escape));
        assertEquals(4, hostOrder().size());
        assertNotNull(session.view().hosts().selected(), "clearing the filter selects a row again");
    }

    @Test
    void angleBracketsMoveTheSortAcrossColumnsAndIInvertsIt() throws Exception {
        assertEquals(
                List.of("down-box", "notebook", "train-a100", "train-t4"),
                hostOrder(),
                "by name first: " + hostOrder());
        press('>'); // RAM%
        assertTrue(text(vt).get(0).contains("sort: ram%"), text(vt).get(0));
        assertTrue(text(vt).get(1).contains("RAM▾"), "the sorted column is marked: " + text(vt).get(1));
        assertEquals(List.of("train-a100", "train-t4", "notebook", "down-box"), hostOrder());
        press('I');
        assertTrue(text(vt).get(1).contains("RAM▴"), text(vt).get(1));
        assertEquals(
                List.of("notebook", "train-t4", "train-a100", "down-box"),
                hostOrder(),
                "inverted: best first; no data stays last either way");
        press('<'); // back to NAME, still inverted
        assertEquals(List.of("train-t4", "train-a100", "notebook", "down-box"), hostOrder());
        press('<'); // wraps to the last column: OOM
        assertTrue(text(vt).get(0).contains("sort: oom"), text(vt).get(0));
    }

    @Test
    void theHostViewSortsItsProcessesAndShowsThemAsATree() throws Exception {
        press(new KeyStroke(KeyType.Enter)); // the selected host is the first configured: train-a100
        List<String> t = text(vt);
        int header = indexOf(t, " PID");
        assertTrue(header > 0, screenText());
        assertTrue(t.get(header).contains("OOM▾"), "sorted by oom_score: " + t.get(header));
        assertTrue(t.get(header + 1).contains("5000"), "the trainer, next victim, first: " + t.get(header + 1));
        assertTrue(t.get(header + 2).contains("5004"), t.get(header + 2));
        press('>'); // ADJ
        press('<'); // OOM
        press('<'); // RSS
        t = text(vt);
        assertTrue(t.get(header).contains("RSS▾"), t.get(header));
        assertTrue(t.get(header + 1).contains("5000"), t.get(header + 1));
        press('I');
        t = text(vt);
        assertTrue(t.get(header + 1).contains("6000") && t.get(header + 1).contains("-bash"), "smallest first");
        press('t');
        t = text(vt);
        assertTrue(t.get(header).contains("[tree]"), t.get(header));
        int trainer = indexOf(t, "python train.py");
        for (int i = 1; i <= 4; i++) {
            String worker = t.get(trainer + i);
            assertTrue(
                    worker.contains("└ pt_data_worker"),
                    "the workers read under their trainer:\n" + String.join("\n", t));
        }
        press('/');
        type("worker 3");
        press(new KeyStroke(KeyType.Enter));
        t = text(vt);
        assertTrue(t.stream().anyMatch(l -> l.contains("pt_data_worker 3")), screenText());
        assertFalse(t.stream().anyMatch(l -> l.contains("pt_data_worker 2")), screenText());
        assertFalse(t.stream().anyMatch(l -> l.contains("-bash")), screenText());
        press(new KeyStroke(KeyType.Escape)); // back to the table; the host filter is untouched
        assertEquals(4, hostOrder().size());
    }

    @Test
    void theHostViewShowsHowLongEachProcessHasRunAndSortsByIt() throws Exception {
        press(new KeyStroke(KeyType.Enter));
        List<String> t = text(vt);
        int header = indexOf(t, " PID");
        assertTrue(t.get(header).contains("ELAPSED"), t.get(header));
        assertTrue(rowOf(t, "python train.py").contains(" 3h05m "), rowOf(t, "python train.py"));
        assertTrue(rowOf(t, "pt_data_worker 1").contains(" 3h05m "), rowOf(t, "pt_data_worker 1"));
        // started 7200 s after boot: 1h05m02s before the host's 3h05m02s
        assertTrue(rowOf(t, "-bash").contains(" 1h05m "), rowOf(t, "-bash"));
        press('>'); // ADJ
        press('>'); // S
        press('>'); // ELAPSED
        t = text(vt);
        assertTrue(t.get(header).contains("ELAPSED▾"), t.get(header));
        assertTrue(t.get(header + 1).contains("/usr/bin/dockerd"), "longest running first: " + t.get(header + 1));
        assertTrue(t.get(header + 2).contains("python train.py"), t.get(header + 2));
        press('I');
        t = text(vt);
        assertTrue(t.get(header + 1).contains("-bash"), "newest first: " + t.get(header + 1));
    }

    static String rowOf(List<String> rows, String part) {
        int i = indexOf(rows, part);
        assertTrue(i >= 0, part + " not on screen:\n" + String.join("\n", rows));
        return rows.get(i);
    }

    static int indexOf(List<String> rows, String part) {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).contains(part)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void aClickSelectsADoubleClickOpensAndTheWheelScrolls() throws Exception {
        int notebook = rowIndex("notebook");
        click(notebook, MouseActionType.CLICK_DOWN);
        click(notebook, MouseActionType.CLICK_RELEASE);
        assertEquals("notebook", session.view().hosts().selected());
        assertEquals(TextColor.ANSI.CYAN, vt.getCharacter(0, notebook).getBackgroundColor());
        now.set(T0.plusSeconds(2)); // too slow for a double click
        click(notebook, MouseActionType.CLICK_DOWN);
        assertEquals(FleetViewMode.TABLE, FleetViewMode.of(session));
        now.set(T0.plusMillis(2200));
        click(notebook, MouseActionType.CLICK_DOWN);
        assertEquals(FleetViewMode.DETAIL, FleetViewMode.of(session), "double click opens the host view");
        assertTrue(text(vt).get(0).startsWith(" notebook"), text(vt).get(0));
        press(new KeyStroke(KeyType.Escape));
        click(0, MouseActionType.CLICK_DOWN); // the title: nothing happens
        assertEquals("notebook", session.view().hosts().selected());
        press(new MouseAction(MouseActionType.SCROLL_DOWN, 5, new TerminalPosition(3, 4)));
        assertEquals("train-t4", session.view().hosts().selected(), "the wheel moves the selection down");
        press(new MouseAction(MouseActionType.SCROLL_UP, 4, new TerminalPosition(3, 4)));
        assertEquals("down-box", session.view().hosts().selected());
    }

    @Test
    void aClickInTheHostViewSelectsThatProcess() throws Exception {
        press(new KeyStroke(KeyType.Enter));
        int bash = indexOf(text(vt), "-bash");
        click(bash, MouseActionType.CLICK_DOWN);
        assertEquals(6000, session.view().hosts().selectedProcess().pid());
        assertEquals(TextColor.ANSI.CYAN, vt.getCharacter(2, bash).getBackgroundColor());
    }

    @Test
    void helpIsHAndScrollsAndEscOrAnyKeyCloses() throws Exception {
        start(new TerminalSize(100, 12));
        press('h');
        List<String> first = text(vt);
        assertTrue(first.get(0).contains("colabtop help"), first.get(0));
        press(new KeyStroke(KeyType.ArrowDown));
        press(new KeyStroke(KeyType.ArrowDown));
        List<String> scrolled = text(vt);
        assertNotEquals(first.subList(1, 5), scrolled.subList(1, 5), "the help screen scrolls");
        assertEquals(first.get(3), scrolled.get(1), "by one row per arrow");
        press(new KeyStroke(KeyType.PageDown));
        press(new KeyStroke(KeyType.PageDown));
        press(new KeyStroke(KeyType.PageDown));
        assertTrue(
                screenText().contains("send the selected process a signal"),
                "the end of help is reachable:\n" + screenText());
        press(new KeyStroke(KeyType.Escape));
        assertTrue(text(vt).get(1).startsWith("HOST"), screenText());
    }

    @Test
    void theMessageLogShowsLongMessagesInFull() throws Exception {
        String hint = "host key of train-t4 changed: if you rebuilt the VM, run ssh-keygen -R '[10.0.0.7]:2222' "
                + "and connect again; otherwise someone may be intercepting the connection (fingerprint SHA256:"
                + "x".repeat(43) + ")";
        session.offerMessage(hint);
        session.offerMessage("swap-on on train-t4: done in 12 s");
        session.step();
        assertFalse(screenText().contains("SHA256:" + "x".repeat(43)), "the message line cuts it");
        press('l');
        String s = screenText().replace("\n   ", " ").replace("\n ", " ");
        assertTrue(s.contains("messages (2, newest last)"), s);
        assertTrue(s.replaceAll("\\s+", " ").contains(hint.replaceAll("\\s+", " ")), "in full, wrapped:\n" + s);
        assertTrue(screenText().indexOf("ssh-keygen") < screenText().indexOf("swap-on on train-t4"), "newest last");
        press('x');
        assertNull(session.dialog(), "any key closes it");
    }

    @Test
    void at80x24TheColumnsThatMatterSurvive() throws Exception {
        start(new TerminalSize(80, 24));
        List<String> t = text(vt);
        String header = t.get(1);
        for (String col : List.of("HOST", "RAM", "SWAP", "PSI", "COST", "OOM")) {
            assertTrue(header.contains(col), col + " survives 80 columns: " + header);
        }
        assertTrue(t.stream().allMatch(l -> l.length() <= 80));
        String row = t.get(rowIndex("train-a100"));
        assertTrue(row.contains("92%") || row.contains("15G"), "RAM figures shown: " + row);
        assertTrue(row.contains("none"), "no swap shown: " + row);
        assertTrue(row.contains("5000"), "the next OOM victim shown: " + row);
    }

    @Test
    void ctrlCExits130AndQExits0() throws Exception {
        press(new KeyStroke('c', true, false));
        assertTrue(session.quit());
        assertEquals(130, session.exitCode());
        start(new TerminalSize(160, 30));
        press('q');
        assertTrue(session.quit());
        assertEquals(0, session.exitCode());
    }

    @Test
    void ctrlLRepaintsATerminalAnotherProgramScribbledOn() throws Exception {
        List<String> good = text(vt);
        vt.setCursorPosition(0, 3);
        for (char c : "GARBAGE FROM WALL(1)".toCharArray()) {
            vt.putCharacter(c); // behind the screen's back, as a broadcast message would
        }
        assertNotEquals(good, text(vt));
        press(new KeyStroke('l', true, false));
        assertEquals(good, text(vt), "Ctrl-L draws every cell again");
    }

    @Test
    void ctrlZHandsTheTerminalBackAndRepaintsAfter() throws Exception {
        AtomicInteger suspended = new AtomicInteger();
        session.onSuspend(() -> {
            suspended.incrementAndGet();
            vt.clearScreen(); // the shell had the terminal meanwhile
        });
        List<String> good = text(vt);
        press(new KeyStroke('z', true, false));
        assertEquals(1, suspended.get());
        assertEquals(good, text(vt), "fg repaints everything");
    }

    @Test
    void monoDrawsNoColourButStillMarksWhatIsWrongAndWhatIsSelected() throws Exception {
        session.mono(true);
        session.step();
        TerminalSize size = vt.getTerminalSize();
        for (int r = 0; r < size.getRows(); r++) {
            for (int c = 0; c < size.getColumns(); c++) {
                TextCharacter ch = vt.getCharacter(c, r);
                assertEquals(TextColor.ANSI.DEFAULT, ch.getForegroundColor(), "no colour at " + c + "," + r);
                assertEquals(TextColor.ANSI.DEFAULT, ch.getBackgroundColor(), "no colour at " + c + "," + r);
            }
        }
        int row = rowIndex("train-t4");
        int psi = text(vt).get(row).indexOf("12.0");
        assertTrue(psi > 0, text(vt).get(row));
        assertTrue(vt.getCharacter(0, rowIndex("train-a100")).getModifiers().contains(SGR.REVERSE), "selected");
        int down = rowIndex("down-box");
        int x = text(vt).get(down).indexOf("DOWN");
        assertTrue(vt.getCharacter(x, down).getModifiers().contains(SGR.BOLD), "a down host is bold");
        assertTrue(vt.getCharacter(0, 1).getModifiers().contains(SGR.REVERSE), "the header stands out");
    }

    /** Which screen the session shows, read from its state. */
    enum FleetViewMode {
        TABLE,
        DETAIL,
        HELP;

        static FleetViewMode of(TuiSession s) {
            return valueOf(s.view().mode().name());
        }
    }
}
