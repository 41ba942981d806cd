package io.colabtop.app.tui;

import static io.colabtop.app.tui.TestScreens.*;
import static org.junit.jupiter.api.Assertions.*;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import io.colabtop.core.HostUpdate;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fleet screen on Lanterna's virtual terminal: keys in, text and colours out. */
class TuiSessionTest {
    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    final AtomicReference<Instant> now = new AtomicReference<>(T0);
    final InstantSource clock = () -> now.get();
    final AtomicInteger refreshes = new AtomicInteger();
    DefaultVirtualTerminal vt;
    TerminalScreen screen;
    TuiSession session;

    @BeforeEach
    void setUp() throws Exception {
        vt = new DefaultVirtualTerminal(new TerminalSize(200, 30));
        screen = screen(vt);
        session = new TuiSession(
                screen,
                List.of("gpu-box", "cpu-box", "down-box"),
                Duration.ofSeconds(2),
                clock,
                refreshes::incrementAndGet);
        session.offer(HostUpdate.ok(snapshot("gpu-box", T0, 0.97, 0, 62.5, 1312, "python train.py --epochs 90", true)));
        session.offer(HostUpdate.ok(snapshot("cpu-box", T0, 0.30, 32 * GIB, 0.2, 600, "jupyter-lab", false)));
        session.offer(HostUpdate.failed("down-box", "Connection refused", null, T0));
        session.step();
    }

    String row(String startsWith) {
        return text(vt).stream()
                .filter(l -> l.startsWith(startsWith))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no row " + startsWith + " in\n" + String.join("\n", text(vt))));
    }

    int rowIndex(String startsWith) {
        List<String> t = text(vt);
        for (int i = 0; i < t.size(); i++) {
            if (t.get(i).startsWith(startsWith)) {
                return i;
            }
        }
        throw new AssertionError(startsWith);
    }

    void press(KeyStroke k) throws Exception {
        vt.addInput(k);
        session.step();
    }

    void press(char c) throws Exception {
        press(new KeyStroke(c, false, false));
    }

    @Test
    void tableShowsEveryHostWithItsFigures() {
        String gpu = row("gpu-box");
        assertTrue(gpu.contains("up"), gpu);
        assertTrue(gpu.contains("16G"), gpu);
        assertTrue(gpu.contains("none"), gpu); // no swap
        assertTrue(gpu.contains("62.5/20.8"), gpu); // PSI some/full
        assertTrue(gpu.contains("14G/15G"), gpu); // GPU memory
        assertTrue(gpu.contains("4242 python train.py --epochs 90 1312/0"), gpu);
        String cpu = row("cpu-box");
        assertTrue(cpu.contains("16G/32G"), cpu); // swap used/total
        String down = row("down-box");
        assertTrue(down.contains("DOWN"), down);
        assertTrue(down.contains("✗ Connection refused"), down);
        assertTrue(text(vt).get(0).contains("3 hosts, 1 down"), text(vt).get(0));
    }

    @Test
    void coloursFollowThresholds() {
        int r = rowIndex("gpu-box");
        int noneCol = row("gpu-box").indexOf("none");
        assertEquals(TextColor.ANSI.MAGENTA, vt.getCharacter(noneCol, r).getForegroundColor(), "no swap is a warning");
        int psiCol = row("gpu-box").indexOf("62.5");
        assertEquals(TextColor.ANSI.RED, vt.getCharacter(psiCol, r).getForegroundColor(), "PSI 62% is critical");
        int barCol = row("gpu-box").indexOf('|');
        assertEquals(TextColor.ANSI.RED, vt.getCharacter(barCol, r).getForegroundColor(), "97% RAM is critical");
        int cpuRow = rowIndex("cpu-box");
        int cpuBar = row("cpu-box").indexOf('|');
        assertEquals(TextColor.ANSI.GREEN, vt.getCharacter(cpuBar, cpuRow).getForegroundColor());
        int downRow = rowIndex("down-box");
        int x = row("down-box").indexOf("DOWN");
        assertTrue(vt.getCharacter(x, downRow).getModifiers().contains(SGR.BOLD));
    }

    @Test
    void selectionMovesAndEnterOpensTheHostView() throws Exception {
        // sorted by name: cpu-box, down-box, gpu-box; the first configured host is selected
        int sel = rowIndex("gpu-box");
        assertEquals(TextColor.ANSI.CYAN, vt.getCharacter(0, sel).getBackgroundColor());
        press('k');
        assertEquals(
                TextColor.ANSI.CYAN, vt.getCharacter(0, rowIndex("down-box")).getBackgroundColor());
        press(new KeyStroke(KeyType.ArrowUp));
        assertEquals("cpu-box", session.view().hosts().selected());
        press(new KeyStroke(KeyType.Enter));
        List<String> t = text(vt);
        assertTrue(t.get(0).startsWith(" cpu-box  up"), t.get(0));
        assertTrue(t.stream().anyMatch(l -> l.contains("swap /swapfile")), String.join("\n", t));
        assertTrue(t.stream().anyMatch(l -> l.contains("PID") && l.contains("OOM") && l.contains("ADJ")));
        assertTrue(t.stream().anyMatch(l -> l.contains("4242") && l.contains("jupyter-lab")));
        assertTrue(t.stream().anyMatch(l -> l.contains("-500") && l.contains("/usr/bin/dockerd")));
        press(new KeyStroke(KeyType.Escape));
        assertTrue(text(vt).get(1).startsWith("HOST"));
    }

    @Test
    void sortCyclesAndPutsTheWorstFirst() throws Exception {
        press('s');
        assertTrue(text(vt).get(0).contains("sort: ram%"));
        assertTrue(rowIndex("gpu-box") < rowIndex("cpu-box"));
        assertTrue(rowIndex("cpu-box") < rowIndex("down-box"), "no data sorts last");
        press('s');
        assertTrue(text(vt).get(0).contains("sort: avail"));
        assertTrue(rowIndex("gpu-box") < rowIndex("cpu-box"), "least available first");
    }

    @Test
    void helpOpensAndAnyKeyCloses() throws Exception {
        press('?');
        assertTrue(text(vt).get(0).contains("colabtop help"));
        assertTrue(text(vt).stream().anyMatch(l -> l.contains("next sort column")));
        press('x');
        assertTrue(text(vt).get(1).startsWith("HOST"));
        press(new KeyStroke(KeyType.F1));
        assertTrue(text(vt).get(0).contains("colabtop help"));
    }

    @Test
    void staleDataTurnsYellowThenRedAndUnreachableKeepsLastData() throws Exception {
        now.set(T0.plusSeconds(7));
        session.step(); // a second has passed: the ages redraw without any update
        int r = rowIndex("cpu-box");
        int ageCol = row("cpu-box").indexOf("7s");
        assertTrue(ageCol > 0, row("cpu-box"));
        assertEquals(TextColor.ANSI.MAGENTA, vt.getCharacter(ageCol, r).getForegroundColor());
        session.offer(HostUpdate.failed("cpu-box", "no answer within 5 s", null, T0.plusSeconds(25)));
        now.set(T0.plusSeconds(25));
        session.step();
        String cpu = row("cpu-box");
        assertTrue(cpu.contains("DOWN") && cpu.contains("no answer within 5 s"), cpu);
        assertTrue(cpu.contains("16G/32G"), "last known figures stay, dimmed: " + cpu);
        assertTrue(cpu.contains("25s"), cpu);
    }

    @Test
    void resizeRedrawsToTheNewWidth() throws Exception {
        vt.setTerminalSize(new TerminalSize(90, 20));
        session.step();
        List<String> t = text(vt);
        assertTrue(t.get(1).startsWith("HOST"), String.join("\n", t));
        assertTrue(t.stream().allMatch(l -> l.length() <= 90));
        assertTrue(
                row("gpu-box").contains("4242"), "the OOM column survives a narrow screen:\n" + String.join("\n", t));
    }

    @Test
    void quitKeysAndRefresh() throws Exception {
        press('r');
        assertEquals(1, refreshes.get());
        assertFalse(session.quit());
        press('q');
        assertTrue(session.quit());
    }

    @Test
    void anUnknownHostKeyAsksWithItsFingerprintAndYesRecordsIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path kh = dir.resolve("known_hosts");
        List<String> trusted = new java.util.ArrayList<>();
        session = new TuiSession(
                screen, List.of("new-vm", "other-vm"), Duration.ofSeconds(2), clock, () -> {}, (host, key) -> {
                    java.nio.file.Files.writeString(kh, key.knownHostsLine() + "\n");
                    trusted.add(host);
                });
        io.colabtop.ssh.HostKeyException unknown = new io.colabtop.ssh.HostKeyException(
                io.colabtop.ssh.HostKeyException.Kind.UNKNOWN,
                "[10.0.0.5]:2222",
                "ssh-ed25519",
                "SHA256:abcDEF123",
                "[10.0.0.5]:2222 ssh-ed25519 AAAAC3Nza",
                "unknown host key for [10.0.0.5]:2222");
        session.offer(HostUpdate.failed("new-vm", unknown.getMessage(), unknown, T0));
        session.offer(HostUpdate.failed(
                "other-vm",
                "unknown host key",
                new io.colabtop.ssh.HostKeyException(
                        io.colabtop.ssh.HostKeyException.Kind.UNKNOWN,
                        "other",
                        "ssh-rsa",
                        "SHA256:zzz",
                        "other ssh-rsa AAAA",
                        "x"),
                T0));
        session.step();
        List<String> t = text(vt);
        assertTrue(
                t.stream()
                        .anyMatch(l -> l.contains(
                                "Unknown host key for new-vm ([10.0.0.5]:2222): ssh-ed25519 SHA256:abcDEF123")),
                String.join("\n", t));
        press('j'); // other keys wait for the answer
        assertEquals("new-vm", session.view().hosts().selected());
        press('y');
        assertEquals(List.of("new-vm"), trusted);
        assertEquals(
                "[10.0.0.5]:2222 ssh-ed25519 AAAAC3Nza",
                java.nio.file.Files.readString(kh).strip());
        assertTrue(text(vt).stream().anyMatch(l -> l.contains("Unknown host key for other-vm")), "next question");
        press('n');
        assertEquals(List.of("new-vm"), trusted, "no means nothing written");
        session.offer(HostUpdate.failed(
                "other-vm",
                "unknown host key",
                new io.colabtop.ssh.HostKeyException(
                        io.colabtop.ssh.HostKeyException.Kind.UNKNOWN,
                        "other",
                        "ssh-rsa",
                        "SHA256:zzz",
                        "other ssh-rsa AAAA",
                        "x"),
                T0));
        session.step();
        assertNull(session.dialog(), "a declined key is not asked about again");
        assertTrue(row("other-vm").contains("not trusted (declined)"), row("other-vm"));
    }

    @Test
    void nothingChangedMeansNoRedraw() throws Exception {
        long frames = session.frames();
        assertFalse(session.step());
        assertEquals(frames, session.frames());
        now.set(T0.plusMillis(1500));
        assertTrue(session.step(), "ages tick once a second");
    }
}
