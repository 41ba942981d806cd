package io.colabtop.app.tui.render;

import com.googlecode.lanterna.TextCharacter;
import io.colabtop.core.SafeText;

/**
 * Widths in terminal columns, not Java chars: a CJK character or an emoji takes two columns, a
 * base letter with its combining accent one, a surrogate pair one or two. Cutting by
 * {@code String.length()} pushed the rest of a row off the screen for a CJK command line.
 * Clusters and their widths come from Lanterna ({@link TextCharacter#fromString}), the same code
 * that paints them; plain ASCII, nearly every cell, takes a fast path.
 */
public final class TerminalColumns {
    private TerminalColumns() {}

    /** Columns {@code s} takes on screen (after making it safe: a control character is never measured raw). */
    public static int width(String s) {
        if (isPlainAscii(s)) {
            return s.length();
        }
        int w = 0;
        for (TextCharacter c : TextCharacter.fromString(SafeText.shown(s))) {
            w += c.isDoubleWidth() ? 2 : 1;
        }
        return w;
    }

    /** Exactly {@code w} columns: padded with spaces, or cut with a closing '…' so the reader knows. */
    public static String fit(String text, int w) {
        if (w <= 0) {
            return "";
        }
        if (isPlainAscii(text)) {
            if (text.length() == w) {
                return text;
            }
            if (text.length() < w) {
                return text + " ".repeat(w - text.length());
            }
            return w == 1 ? "…" : text.substring(0, w - 1) + "…";
        }
        String safe = SafeText.shown(text);
        TextCharacter[] cs = TextCharacter.fromString(safe);
        int total = 0;
        for (TextCharacter c : cs) {
            total += c.isDoubleWidth() ? 2 : 1;
        }
        if (total <= w) {
            return safe + " ".repeat(w - total);
        }
        StringBuilder sb = new StringBuilder();
        int used = 0;
        for (TextCharacter c : cs) {
            int cw = c.isDoubleWidth() ? 2 : 1;
            if (used + cw > w - 1) {
                break;
            }
            sb.append(c.getCharacterString());
            used += cw;
        }
        sb.append('…');
        used++;
        return used < w ? sb + " ".repeat(w - used) : sb.toString();
    }

    /** Right-aligned in exactly {@code w} columns; too long is cut from the right like {@link #fit}. */
    public static String fitRight(String text, int w) {
        int tw = width(text);
        return tw >= w ? fit(text, w) : " ".repeat(w - tw) + SafeText.shown(text);
    }

    static boolean isPlainAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }
}
