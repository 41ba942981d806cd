package io.colabtop.app.tui.render;

import static org.junit.jupiter.api.Assertions.*;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalPosition;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextCharacter;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the painter leaves in Lanterna's buffer: cells that know their width (ASCII, '…', graph
 * blocks, CJK) and are the same objects frame after frame, in the styles the table asks for, and a
 * terminal that gets nothing when a frame repeats.
 */
class PaintedCellsTest {
    private static TextCharacter at(TerminalScreen screen, int col, int row) {
        return screen.getBackCharacter(new TerminalPosition(col, row));
    }

    private static TerminalScreen screen(DefaultVirtualTerminal vt) throws Exception {
        TerminalScreen s = new TerminalScreen(vt);
        s.startScreen();
        return s;
    }

    private static List<Line> frame() {
        return List.of(
                new Line(
                        List.of(new Line.Span("vm-001 ", Style.TEXT), new Line.Span("CRIT", Style.CRITICAL)),
                        false,
                        null),
                new Line(List.of(new Line.Span("ab…▂▇漢x", Style.OK)), true, null));
    }

    @Test
    void everyFrameReusesTheSameCellsInTheRightStyles() throws Exception {
        DefaultVirtualTerminal vt = new DefaultVirtualTerminal(new TerminalSize(20, 4));
        TerminalScreen screen = screen(vt);
        ScreenPainter.paint(screen.newTextGraphics(), frame(), 20);
        TextCharacter v = at(screen, 0, 0);
        TextCharacter crit = at(screen, 7, 0);
        TextCharacter ellipsis = at(screen, 2, 1);
        TextCharacter han = at(screen, 5, 1);
        TextCharacter under = at(screen, 3, 3);
        assertEquals("v", v.getCharacterString());
        assertEquals(TextColor.ANSI.RED, crit.getForegroundColor());
        assertTrue(crit.getModifiers().contains(SGR.BOLD));
        assertEquals(TextColor.ANSI.CYAN, ellipsis.getBackgroundColor(), "the selected row");
        assertEquals("…", ellipsis.getCharacterString());
        assertFalse(ellipsis.isDoubleWidth());
        assertEquals("漢", han.getCharacterString());
        assertTrue(han.isDoubleWidth(), "CJK takes two columns");
        assertEquals("x", at(screen, 7, 1).getCharacterString(), "the next character after both columns");
        assertEquals(" ", under.getCharacterString());

        screen.clear();
        ScreenPainter.paint(screen.newTextGraphics(), frame(), 20);
        assertSame(v, at(screen, 0, 0), "no cell made again for the next frame");
        assertSame(crit, at(screen, 7, 0));
        assertSame(ellipsis, at(screen, 2, 1));
        assertSame(han, at(screen, 5, 1));
        assertSame(under, at(screen, 3, 3), "rows under the last line too");
    }

    @Test
    void aRepeatedFrameSendsTheTerminalNothing() throws Exception {
        StringBuilder sent = new StringBuilder();
        DefaultVirtualTerminal vt = new DefaultVirtualTerminal(new TerminalSize(20, 4)) {
            @Override
            public void putCharacter(char c) {
                sent.append(c);
                super.putCharacter(c);
            }

            @Override
            public void putString(String s) {
                sent.append(s);
                super.putString(s);
            }
        };
        TerminalScreen screen = screen(vt);
        ScreenPainter.paint(screen.newTextGraphics(), frame(), 20);
        screen.refresh(TerminalScreen.RefreshType.DELTA);
        assertTrue(sent.toString().contains("vm-001"), sent.toString());
        sent.setLength(0);
        screen.clear();
        ScreenPainter.paint(screen.newTextGraphics(), frame(), 20);
        screen.refresh(TerminalScreen.RefreshType.DELTA);
        assertEquals("", sent.toString(), "the same frame again: nothing to send");
        screen.clear();
        ScreenPainter.paint(
                screen.newTextGraphics(),
                List.of(frame().get(0), new Line(List.of(new Line.Span("ab…▂▇漢y", Style.OK)), true, null)),
                20);
        screen.refresh(TerminalScreen.RefreshType.DELTA);
        assertEquals("y", sent.toString().strip(), "only the changed cell");
    }
}
