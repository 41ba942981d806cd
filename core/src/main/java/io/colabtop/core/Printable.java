package io.colabtop.core;

/** Text from outside (a host spec, a remote line) made safe for a message: see {@link SafeText}. */
public final class Printable {
    private Printable() {}

    /** At most {@code max} code points, then '…', with every unsafe character escaped. */
    public static String clip(String s, int max) {
        return SafeText.clip(s, max);
    }
}
