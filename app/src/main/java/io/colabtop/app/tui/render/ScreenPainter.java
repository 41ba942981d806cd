package io.colabtop.app.tui.render;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TextCharacter;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;
import io.colabtop.core.SafeText;
import java.util.EnumSet;
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
                col = put(
                        g,
                        col,
                        row,
                        ascii ? ascii(span.text()) : span.text(),
                        cols,
                        look(span.style(), line.selected(), mono));
            }
            blank(g, col, row, cols, look(Style.TEXT, line.selected(), mono));
        }
        // rows under the last line: blank cells of the same kind, so no cell of the frame is Lanterna's own
        int rows = g.getSize().getRows();
        for (int row = lines.size(); row < rows; row++) {
            blank(g, 0, row, cols, look(Style.TEXT, false, mono));
        }
    }

    private static void blank(TextGraphics g, int from, int row, int cols, Cell.Look look) {
        Cell space = Cell.ascii(' ', look);
        for (int col = from; col < cols; col++) {
            g.setCharacter(col, row, space);
        }
    }

    /** Writes {@code text} from {@code col} in the graphics' current style, clipped at {@code cols}; returns the next free column. */
    static int put(TextGraphics g, int col, int row, String text, int cols) {
        return put(
                g,
                col,
                row,
                text,
                cols,
                new Cell.Look(g.getForegroundColor(), g.getBackgroundColor(), g.getActiveModifiers()));
    }

    /** Writes {@code text} from {@code col} in {@code look}, clipped at {@code cols}; returns the next free column. */
    static int put(TextGraphics g, int col, int row, String text, int cols, Cell.Look look) {
        if (TerminalColumns.isPlainAscii(text)) {
            int end = Math.min(text.length(), cols - col);
            for (int i = 0; i < end; i++) {
                g.setCharacter(col + i, row, Cell.ascii(text.charAt(i), look));
            }
            return col + Math.max(0, end);
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
                if (c.getCharacterString().length() == 1) {
                    g.setCharacter(col, row, Cell.of(c, look));
                } else {
                    // a cluster (surrogate pair, letter and its marks): Lanterna's own cell
                    style(g, look);
                    g.putString(col, row, c.getCharacterString());
                }
            } catch (RuntimeException e) {
                style(g, look);
                g.putString(col, row, w == 2 ? "??" : "?");
            }
            col += w;
        }
        return col;
    }

    private static void style(TextGraphics g, Cell.Look look) {
        g.clearModifiers();
        g.setForegroundColor(look.fg());
        g.setBackgroundColor(look.bg());
        if (!look.modifiers().isEmpty()) {
            g.enableModifiers(look.modifiers().toArray(new SGR[0]));
        }
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

    /** Every style, selected or not, in colour or mono: made once. */
    private static final Cell.Look[] LOOKS = new Cell.Look[Style.values().length * 4];

    static {
        for (Style style : Style.values()) {
            for (int sel = 0; sel < 2; sel++) {
                for (int mono = 0; mono < 2; mono++) {
                    LOOKS[style.ordinal() * 4 + sel * 2 + mono] = makeLook(style, sel == 1, mono == 1);
                }
            }
        }
    }

    static Cell.Look look(Style style, boolean selected, boolean mono) {
        return LOOKS[style.ordinal() * 4 + (selected ? 2 : 0) + (mono ? 1 : 0)];
    }

    private static Cell.Look makeLook(Style style, boolean selected, boolean mono) {
        EnumSet<SGR> mods = EnumSet.noneOf(SGR.class);
        if (mono) {
            switch (style) {
                case CRITICAL -> mods.addAll(List.of(SGR.BOLD, SGR.REVERSE));
                case WARNING, TITLE -> mods.add(SGR.BOLD);
                case CAREFUL -> mods.add(SGR.UNDERLINE);
                case HEADER, KEY -> mods.add(SGR.REVERSE);
                default -> {}
            }
            if (selected && style != Style.HEADER && style != Style.TITLE) {
                mods.add(SGR.REVERSE);
            }
            return new Cell.Look(TextColor.ANSI.DEFAULT, TextColor.ANSI.DEFAULT, mods);
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
        if (style == Style.CRITICAL || style == Style.TITLE) {
            mods.add(SGR.BOLD);
        }
        return new Cell.Look(fg, bg, mods);
    }
}
