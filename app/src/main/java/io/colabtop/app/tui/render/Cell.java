package io.colabtop.app.tui.render;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TextCharacter;
import com.googlecode.lanterna.TextColor;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One painted cell (a single char: printable ASCII, or one BMP character such as '…' or a graph
 * block) in one style, made once and reused for every frame, that knows its own width. Lanterna
 * asks every cell it stores, compares or redraws whether it is double-width, and answers with up
 * to four Character.UnicodeBlock lookups a call (TerminalTextUtils.isCharCJK, isCharThai): 30 % of
 * the UI thread at 100 hosts. Here the answer is a field, worked out once per character and style;
 * and since the same cells come back frame after frame, painting allocates none (TextCharacter was
 * 27 % of all allocation). Lanterna's equals compares class and fields, so two frames' cells still
 * compare equal and a delta refresh sends only what changed.
 */
final class Cell extends TextCharacter {
    /** The style of a run of cells: colours and modifiers. */
    record Look(TextColor fg, TextColor bg, EnumSet<SGR> modifiers) {
        Look {
            modifiers = modifiers.isEmpty() ? EnumSet.noneOf(SGR.class) : EnumSet.copyOf(modifiers);
        }
    }

    /** Per look: printable ASCII by code, made at first use of the look. */
    private static final Map<Look, Cell[]> ASCII = new ConcurrentHashMap<>();
    /** Per look: other single chars met so far (a screen shows a few dozen kinds). */
    private static final Map<Look, Map<Character, Cell>> OTHER = new ConcurrentHashMap<>();
    /** The most non-ASCII kinds kept per look; past it (hostile text of many scripts) cells are made as needed. */
    private static final int MAX_OTHER = 4096;

    private final boolean wide;

    private Cell(char c, Look look, boolean wide) {
        super(c, look.fg(), look.bg(), look.modifiers());
        this.wide = wide;
    }

    /** The cell for printable ASCII {@code c} (0x20-0x7e: the caller checks) in {@code look}. */
    static Cell ascii(char c, Look look) {
        return ASCII.computeIfAbsent(look, l -> {
            Cell[] all = new Cell[0x7f];
            for (char x = 0x20; x < 0x7f; x++) {
                all[x] = new Cell(x, l, false);
            }
            return all;
        })[c];
    }

    /**
     * The cell for {@code shown}, one char of safe text Lanterna made a character of, with the width
     * Lanterna gives it ({@code lanterna.isDoubleWidth()}, asked once per kind and look).
     */
    static Cell of(TextCharacter lanterna, Look look) {
        char c = lanterna.getCharacterString().charAt(0);
        Map<Character, Cell> kinds = OTHER.computeIfAbsent(look, l -> new ConcurrentHashMap<>());
        Cell cell = kinds.get(c);
        if (cell == null) {
            cell = new Cell(c, look, lanterna.isDoubleWidth());
            if (kinds.size() < MAX_OTHER) {
                kinds.put(c, cell);
            }
        }
        return cell;
    }

    @Override
    public boolean isDoubleWidth() {
        return wide;
    }
}
