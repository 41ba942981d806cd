package io.colabtop.app.tui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;
import java.util.List;

/** Draws rendered lines onto a Lanterna screen; the only place that knows colours. */
public final class ScreenPainter {
    private ScreenPainter() {
    }

    public static void paint(TextGraphics g, List<Line> lines, int cols) {
        for (int row = 0; row < lines.size(); row++) {
            Line line = lines.get(row);
            int col = 0;
            for (Line.Span span : line.spans()) {
                if (col >= cols) {
                    break;
                }
                String text = span.text().length() > cols - col ? span.text().substring(0, cols - col) : span.text();
                apply(g, span.style(), line.selected());
                g.putString(col, row, text);
                col += text.length();
            }
            apply(g, Style.TEXT, line.selected());
            if (col < cols) {
                g.putString(col, row, " ".repeat(cols - col));
            }
        }
    }

    private static void apply(TextGraphics g, Style style, boolean selected) {
        g.clearModifiers();
        TextColor fg = switch (style) {
            case OK -> TextColor.ANSI.GREEN;
            case CAREFUL -> TextColor.ANSI.YELLOW;
            case WARNING -> TextColor.ANSI.MAGENTA;
            case CRITICAL -> TextColor.ANSI.RED;
            case DIM -> TextColor.ANSI.BLACK_BRIGHT;
            case HEADER, KEY -> TextColor.ANSI.BLACK;
            case TITLE -> TextColor.ANSI.WHITE_BRIGHT;
            case TEXT -> TextColor.ANSI.DEFAULT;
        };
        TextColor bg = switch (style) {
            case HEADER -> TextColor.ANSI.GREEN;
            case KEY -> TextColor.ANSI.CYAN;
            case TITLE -> TextColor.ANSI.BLUE;
            default -> TextColor.ANSI.DEFAULT;
        };
        if (selected && style != Style.HEADER && style != Style.TITLE) {
            bg = TextColor.ANSI.CYAN;
            if (fg == TextColor.ANSI.DEFAULT || fg == TextColor.ANSI.BLACK_BRIGHT) {
                fg = TextColor.ANSI.BLACK;
            }
        }
        g.setForegroundColor(fg);
        g.setBackgroundColor(bg);
        if (style == Style.CRITICAL || style == Style.TITLE) {
            g.enableModifiers(SGR.BOLD);
        }
    }
}
