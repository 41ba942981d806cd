package io.colabtop.core;

/** Text from outside (a host spec, a remote line) made safe for a message: control characters shown as '?', clipped. */
public final class Printable {
    private Printable() {
    }

    /** At most {@code max} code points, then '…'; control characters (newlines, escapes) become '?'. */
    public static String clip(String s, int max) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().limit(max).forEach(c -> sb.append(Character.isISOControl(c) ? "?" : Character.toString(c)));
        return s.length() > max ? sb + "…" : sb.toString();
    }
}
