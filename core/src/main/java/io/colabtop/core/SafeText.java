package io.colabtop.core;

/**
 * The one sanitiser for text that comes from outside colabtop (a host, the network, an API, a file)
 * on its way to a person. Whatever could move the cursor, recolour the terminal, reorder a line or
 * hide characters becomes a visible escape instead:
 * <ul>
 *   <li>C0 controls and DEL: {@code \t \n \r}, else {@code \x1b};</li>
 *   <li>C1 controls (U+0080..U+009F, which some terminals obey as CSI/OSC): {@code \x9b};</li>
 *   <li>Unicode format characters (bidi overrides U+202A..U+202E and isolates U+2066..U+2069, zero-width
 *       characters, BOM), line/paragraph separators, lone surrogates, private-use and unassigned code
 *       points: {@code \u202e};</li>
 *   <li>combining marks that do not compose into one character (NFC) with the letter before them: a
 *       terminal cell holds one character, and a stack of hundreds of marks paints over the rows
 *       above. Thai keeps up to {@value #MAX_MARKS} marks on a Thai letter.</li>
 * </ul>
 * A process named {@code "\e]0;pwned\a"} shows as {@code \x1b]0;pwned\x07}: what is there, and harmless.
 * Backslashes are left alone, so an escape in the output is not proof the input held a control character;
 * machine-readable output (JSON) carries the exact text instead (see {@link HostText}).
 */
public final class SafeText {
    /** Thai vowel and tone marks kept on one Thai letter. */
    static final int MAX_MARKS = 2;

    private SafeText() {}

    /** True when {@code s} is printable as it is (the common case: plain ASCII). */
    public static boolean isSafe(String s) {
        return isAsciiPrintable(s) || shown(s).equals(s);
    }

    /** {@code s} with every unsafe code point escaped; null stays null. */
    public static String shown(String s) {
        if (s == null || isAsciiPrintable(s)) {
            return s;
        }
        // composed first: "e" + U+0301 is shown as one character, é, not as a loose accent
        String n = java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFC);
        StringBuilder sb = new StringBuilder(n.length() + 16);
        int marks = 0;
        int prev = -1;
        for (int i = 0; i < n.length(); ) {
            int cp = n.codePointAt(i);
            i += Character.charCount(cp);
            if (isMark(cp)) {
                // a terminal cell holds one character: a mark that did not compose would sit in a cell of
                // its own and draw over its neighbour. Thai vowels and tone marks are kept with their
                // Thai base (terminals and Lanterna pair them), at most MAX_MARKS of them.
                if (isThai(cp) && isThai(prev) && marks < MAX_MARKS) {
                    sb.appendCodePoint(cp);
                    marks++;
                } else {
                    escape(sb, cp);
                    prev = -1;
                }
                continue;
            }
            marks = 0;
            if (needsEscape(cp)) {
                escape(sb, cp);
                prev = -1;
            } else {
                sb.appendCodePoint(cp);
                prev = cp;
            }
        }
        return sb.toString();
    }

    /** Sanitised and cut to at most {@code max} code points, a cut shown by a trailing '…'. */
    public static String clip(String s, int max) {
        if (s == null) {
            return "";
        }
        String t = shown(s);
        if (t.codePointCount(0, t.length()) <= max) {
            return t;
        }
        return t.substring(0, t.offsetByCodePoints(0, Math.max(0, max))) + "…";
    }

    private static boolean isAsciiPrintable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    static boolean needsEscape(int cp) {
        if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f)) {
            return true;
        }
        if (cp < 0xa0) {
            return false;
        }
        if ((cp & 0xfffe) == 0xfffe || (cp >= 0xfdd0 && cp <= 0xfdef)) {
            return true; // noncharacters
        }
        return switch (Character.getType(cp)) {
            case Character.FORMAT,
                    Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR,
                    Character.SURROGATE,
                    Character.PRIVATE_USE,
                    Character.UNASSIGNED,
                    Character.CONTROL -> true;
            default -> false;
        };
    }

    /** A mark that takes no column of its own (a spacing mark, Mc, does and is shown like a letter). */
    private static boolean isMark(int cp) {
        if (cp < 0x300) {
            return false;
        }
        int t = Character.getType(cp);
        return t == Character.NON_SPACING_MARK || t == Character.ENCLOSING_MARK;
    }

    private static boolean isThai(int cp) {
        return cp >= 0x0e00 && cp <= 0x0e7f;
    }

    private static void escape(StringBuilder sb, int cp) {
        switch (cp) {
            case '\t' -> sb.append("\\t");
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            default -> {
                if (cp < 0x100) {
                    sb.append("\\x").append(hex(cp, 2));
                } else if (cp < 0x10000) {
                    sb.append("\\u").append(hex(cp, 4));
                } else {
                    sb.append("\\U").append(hex(cp, 8));
                }
            }
        }
    }

    private static String hex(int v, int digits) {
        String h = Integer.toHexString(v);
        return "0".repeat(Math.max(0, digits - h.length())) + h;
    }
}
