package io.colabtop.app.tui;

import static io.colabtop.app.tui.TestScreens.*;
import static org.junit.jupiter.api.Assertions.*;

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
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * History on the virtual terminal: the table's sparkline, the host view's graphs and meters, in
 * colour and in ASCII, after five minutes of a RAM climb and a PSI spike.
 */
class TuiGraphsTest {
    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    final AtomicReference<Instant> now = new AtomicReference<>(T0);
    final InstantSource clock = () -> now.get();
    DefaultVirtualTerminal vt;
    TuiSession session;

    void start(TerminalSize size, boolean ascii) throws Exception {
        vt = new DefaultVirtualTerminal(size);
        TerminalScreen screen = screen(vt);
        session = new TuiSession(screen, List.of("climber", "steady"), Duration.ofSeconds(2), clock, () -> {});
        session.ascii(ascii);
        // five minutes at 2 s: climber's RAM climbs from 30 % to 97 %, PSI spikes in the middle
        for (int i = 0; i <= 150; i++) {
            Instant t = T0.plusSeconds(2L * i);
            double ram = 0.30 + 0.67 * i / 150.0;
            double psi = i > 60 && i < 80 ? 70 : 2;
            session.offer(HostUpdate.ok(snapshot("climber", t, ram, 8 * GIB, psi, 900, "python train.py", true)));
            session.offer(HostUpdate.ok(snapshot("steady", t, 0.20, 0, 0.0, 10, "jupyter-lab", false)));
        }
        now.set(T0.plusSeconds(300));
        session.step();
    }

    String row(String host) {
        return text(vt).stream()
                .filter(l -> l.startsWith(host + " "))
                .findFirst()
                .orElseThrow(() -> new AssertionError(String.join("\n", text(vt))));
    }

    int rowIndex(String host) {
        return text(vt).indexOf(row(host));
    }

    @Test
    void theTableDrawsTheLastTenMinutesOfTheSortedFigureAsASparkline() throws Exception {
        start(new TerminalSize(170, 20), false);
        String header = text(vt).get(1);
        int col = header.indexOf("RAM 10m");
        assertTrue(col > 0, header);
        String spark = row("climber").substring(col, col + 12);
        // 10 minutes in 12 slices: the first half is before the host answered (gaps), then a climb
        assertTrue(spark.startsWith("      "), "no data yet is blank: [" + spark + "]");
        String drawn = spark.strip();
        assertTrue(drawn.length() >= 5, spark);
        for (int i = 1; i < drawn.length(); i++) {
            assertTrue(
                    io.colabtop.app.tui.render.Graphs.BLOCKS.indexOf(drawn.charAt(i))
                            >= io.colabtop.app.tui.render.Graphs.BLOCKS.indexOf(drawn.charAt(i - 1)),
                    "RAM climbs: " + drawn);
        }
        assertEquals('█', drawn.charAt(drawn.length() - 1), "97 % is the top");
        int r = rowIndex("climber");
        int last = col + spark.stripTrailing().length() - 1;
        assertEquals(TextColor.ANSI.RED, vt.getCharacter(last, r).getForegroundColor(), "critical then: red");
        assertEquals(TextColor.ANSI.GREEN, vt.getCharacter(col + 6, r).getForegroundColor(), "30 % was fine");
        // sorting by PSI draws PSI's history instead
        vt.addInput(new KeyStroke('>', false, false)); // name -> ram
        vt.addInput(new KeyStroke('>', false, false)); // avail
        vt.addInput(new KeyStroke('>', false, false)); // swap
        vt.addInput(new KeyStroke('>', false, false)); // psi
        session.step();
        assertTrue(text(vt).get(1).contains("PSI 10m"), text(vt).get(1));
        String psi = row("climber").substring(col, col + 12);
        assertTrue(psi.contains("█") && psi.contains("▁"), "a spike over a quiet line: [" + psi + "]");
    }

    @Test
    void theHostViewHasMetersAndGraphsThatFollowTheSeverityTheyHad() throws Exception {
        start(new TerminalSize(140, 50), false);
        vt.addInput(new KeyStroke(KeyType.Enter));
        session.step();
        List<String> t = text(vt);
        String all = String.join("\n", t);
        String ram =
                t.stream().filter(l -> l.startsWith(" RAM [")).findFirst().orElseThrow(() -> new AssertionError(all));
        assertTrue(ram.contains("█") && ram.contains("16G/16G") || ram.contains("/16G"), ram);
        assertTrue(all.contains(" Swp ["), "a swap meter: " + all);
        assertTrue(all.contains(" G0  ["), "a GPU meter: " + all);
        int title = -1;
        for (int i = 0; i < t.size(); i++) {
            if (t.get(i).contains("RAM used, last 10m: now 97%")) {
                title = i;
            }
        }
        assertTrue(title > 0, all);
        assertTrue(t.get(title).contains("PSI some, last 10m: now 2%, max ≥50%"), t.get(title));
        assertTrue(t.get(title + 1).startsWith(" 100%│"), t.get(title + 1));
        int graphRows = 0;
        for (int i = title + 1; i < t.size() && t.get(i).contains("│"); i++) {
            graphRows++;
        }
        assertTrue(graphRows >= 2 && graphRows <= 6, "graphs as tall as the screen allows: " + graphRows);
        String bottom = t.get(title + graphRows);
        int x = bottom.lastIndexOf('█');
        assertTrue(x > 0, bottom);
        assertEquals(TextColor.ANSI.RED, vt.getCharacter(x, title + graphRows).getForegroundColor());
        assertTrue(bottom.substring(6, 20).contains("·"), "before the first answer: dots, not zero: " + bottom);
        assertTrue(t.stream().anyMatch(l -> l.contains("PID") && l.contains("OOM")), "processes stay: " + all);
    }

    @Test
    void onASmallScreenTheGraphsGiveWayToTheProcesses() throws Exception {
        start(new TerminalSize(100, 24), false);
        vt.addInput(new KeyStroke(KeyType.Enter));
        session.step();
        String all = String.join("\n", text(vt));
        assertTrue(all.contains("last 10m"), "24 rows: short graphs and eight rows for processes\n" + all);
        int header = TuiHabitsTest.indexOf(text(vt), " PID");
        assertTrue(24 - 2 - header - 1 >= 8, all);
        start(new TerminalSize(100, 18), false);
        vt.addInput(new KeyStroke(KeyType.Enter));
        session.step();
        all = String.join("\n", text(vt));
        assertFalse(all.contains("last 10m"), all);
        assertTrue(all.contains("4242"), all);
    }

    @Test
    void inAsciiEveryCellIsAsciiAndTheGraphsStillRead() throws Exception {
        start(new TerminalSize(140, 50), true);
        assertAllAscii();
        String header = text(vt).get(1);
        int col = header.indexOf("RAM 10m");
        assertTrue(header.contains("RAMv") || header.contains("HOSTv"), "▾ as v: " + header);
        String spark = row("climber").substring(col, col + 12).strip();
        assertEquals('#', spark.charAt(spark.length() - 1), spark);
        vt.addInput(new KeyStroke(KeyType.Enter));
        session.step();
        assertAllAscii();
        String all = String.join("\n", text(vt));
        assertTrue(all.contains(" RAM [###"), all);
        assertTrue(all.contains(" 100%|"), all);
        assertTrue(all.contains("max >50%"), "≥ as >: " + all);
    }

    void assertAllAscii() {
        for (String l : text(vt)) {
            assertTrue(l.chars().allMatch(c -> c >= 0x20 && c < 0x7f), "not ASCII: " + l);
        }
    }

    @Test
    void theLocaleDecidesUnicodeAsHtopDoes() {
        assertTrue(TuiApp.unicodeLocale(Map.of("LANG", "en_US.UTF-8")));
        assertTrue(TuiApp.unicodeLocale(Map.of("LC_ALL", "C.utf8", "LANG", "C")));
        assertFalse(TuiApp.unicodeLocale(Map.of("LC_ALL", "C", "LANG", "en_US.UTF-8")), "LC_ALL wins");
        assertFalse(TuiApp.unicodeLocale(Map.of("LANG", "POSIX")));
        assertFalse(TuiApp.unicodeLocale(Map.of()), "no locale is the C locale");
        assertTrue(TuiApp.unicodeLocale(Map.of("LC_CTYPE", "de_DE.UTF-8", "LANG", "")));
    }
}
