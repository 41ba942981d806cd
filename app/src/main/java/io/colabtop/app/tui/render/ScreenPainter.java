package io.colabtop.app.tui.render;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TextCharacter;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;
import io.colabtop.core.SafeText;
import java.util.List;

/** Draws rendered lines onto a Lanterna screen; the only place that knows colours. */
public final class ScreenPainter {
    private ScreenPainter() {}

    /**
     * Total: no text can make it throw or write a control sequence. Renderers get host text
     * already made safe ({@link io.colabtop.core.HostText}); this makes sure of it once more, cell by
     * cell, because a frame that throws takes the whole fleet's screen down (Lanterna refuses a
     * control character with an exception). A double-width character that would straddle the last
     * column is left out, never half-drawn.
     */
    public static void paint(TextGraphics g, List<Line> lines, int cols) {
        paint(g, lines, cols, false);
    }

    /**
     * @param mono no colours (NO_COLOR, --mono): severity shows as bold, underline and reverse
     *             instead, so the table still says what is wrong
     */
    public static void paint(TextGraphics g, List<Line> lines, int cols, boolean mono) {
        paint(g, lines, cols, mono, false);
    }

    /**
     * @param ascii a terminal that shows ASCII only (a C/POSIX locale, --ascii): block graphs, arrows
     *              and marks are drawn with ASCII look-alikes of the same width (see {@link #ascii})
     */
    public static void paint(TextGraphics g, List<Line> lines, int cols, boolean mono, boolean ascii) {
        for (int row = 0; row < lines.size(); row++) {
            Line line = lines.get(row);
            int col = 0;
            for (Line.Span span : line.spans()) {
                if (col >= cols) {
                    break;
                }
                apply(g, span.style(), line.selected(), mono);
                col = put(g, col, row, ascii ? ascii(span.text()) : span.text(), cols);
            }
            apply(g, Style.TEXT, line.selected(), mono);
            if (col < cols) {
                g.putString(col, row, " ".repeat(cols - col));
            }
        }
    }

    /** Writes {@code text} from {@code col}, clipped at {@code cols}; returns the next free column. */
    static int put(TextGraphics g, int col, int row, String text, int cols) {
        if (TerminalColumns.isPlainAscii(text)) {
            String t = text.length() > cols - col ? text.substring(0, cols - col) : text;
            g.putString(col, row, t);
            return col + t.length();
        }
        TextCharacter[] cs;
        try {
            cs = TextCharacter.fromString(SafeText.shown(text));
        } catch (RuntimeException e) {
            cs = TextCharacter.fromString("?".repeat(Math.max(0, Math.min(text.length(), cols - col))));
        }
        for (TextCharacter c : cs) {
            int w = c.isDoubleWidth() ? 2 : 1;
            if (col + w > cols) {
                break;
            }
            try {
                g.putString(col, row, c.getCharacterString());
            } catch (RuntimeException e) {
                g.putString(col, row, w == 2 ? "??" : "?");
            }
            col += w;
        }
        return col;
    }

    /** Block heights ▁ to █ as ASCII, low to high. */
    static final String ASCII_LEVELS = "_.-~=+*#";

    /**
     * The same text in ASCII, column for column: graph blocks become {@code _.-~=+*#} by height,
     * shades {@code :}, arrows and marks their look-alikes, any other character {@code ?} (two for
     * a double-width one, so the columns stay where the renderer put them).
     */
    public static String ascii(String text) {
        if (TerminalColumns.isPlainAscii(text)) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length());
        // from the text as it is measured and shown (composed, loose marks and controls escaped)
        SafeText.shown(text).codePoints().forEach(cp -> {
            int block = Graphs.BLOCKS.indexOf(cp);
            if (cp >= 0x20 && cp < 0x7f) {
                sb.appendCodePoint(cp);
            } else if (cp < 0xa0) {
                sb.append('?'); // a control character: never sent to the terminal
            } else if (block >= 0) {
                sb.append(ASCII_LEVELS.charAt(block));
            } else {
                String s = switch (cp) {
                    case '░', '▒', '▓' -> ":";
                    case '▾', '↓' -> "v";
                    case '▴', '↑' -> "^";
                    case '→', '≥' -> ">";
                    case '←', '≤' -> "<";
                    case '✗' -> "x";
                    case '✓' -> "+";
                    case '…', '·' -> ".";
                    case '└' -> "`";
                    case '─' -> "-";
                    case '│' -> "|";
                    case '⟳' -> "*";
                    default -> {
                        int w = TerminalColumns.width(new String(Character.toChars(cp)));
                        yield w == 2 ? "??" : w == 0 ? "" : "?";
                    }
                };
                sb.append(s);
            }
        });
        return sb.toString();
    }

    private static void apply(TextGraphics g, Style style, boolean selected, boolean mono) {
        g.clearModifiers();
        if (mono) {
            g.setForegroundColor(TextColor.ANSI.DEFAULT);
            g.setBackgroundColor(TextColor.ANSI.DEFAULT);
            switch (style) {
                case CRITICAL -> g.enableModifiers(SGR.BOLD, SGR.REVERSE);
                case WARNING, TITLE -> g.enableModifiers(SGR.BOLD);
                case CAREFUL -> g.enableModifiers(SGR.UNDERLINE);
                case HEADER, KEY -> g.enableModifiers(SGR.REVERSE);
                default -> {}
            }
            if (selected && style != Style.HEADER && style != Style.TITLE) {
                g.enableModifiers(SGR.REVERSE);
            }
            return;
        }
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
