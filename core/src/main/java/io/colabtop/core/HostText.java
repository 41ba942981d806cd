package io.colabtop.core;

/**
 * A piece of text a host (or an API, or a file) chose: a process's name or command line, a mount
 * point, a GPU's name. It is bounded and sanitised once, where it enters colabtop, and carries both
 * forms: {@link #shown()} (also {@link #toString()}) is safe to put on a terminal, {@link #exact()}
 * is what the host said, for JSON (which escapes it) and for matching (a --match regex, a join by
 * GPU uuid). Using it in string concatenation yields the safe form, so a printer cannot forget.
 */
public final class HostText implements Comparable<HostText> {
    /** Longest text kept: ps and htop cut command lines too; a 2 MB argv must not reach every frame. */
    public static final int MAX_CHARS = 4096;

    public static final HostText EMPTY = new HostText("", "", false);

    private final String exact;
    private final String shown;
    private final boolean cut;

    private HostText(String exact, String shown, boolean cut) {
        this.exact = exact;
        this.shown = shown;
        this.cut = cut;
    }

    public static HostText of(String s) {
        return of(s, MAX_CHARS);
    }

    /** Null reads as empty. Longer than {@code maxChars}: cut there (at a code point boundary). */
    public static HostText of(String s, int maxChars) {
        if (s == null || s.isEmpty()) {
            return EMPTY;
        }
        boolean cut = false;
        if (s.length() > maxChars) {
            int end = maxChars;
            if (Character.isHighSurrogate(s.charAt(end - 1))) {
                end--;
            }
            s = s.substring(0, end);
            cut = true;
        }
        String shown = SafeText.shown(s);
        return new HostText(s, cut ? shown + "…" : shown, cut);
    }

    public String exact() {
        return exact;
    }

    public String shown() {
        return shown;
    }

    /** Whether the host's text was longer than what is kept. */
    public boolean cut() {
        return cut;
    }

    public boolean isEmpty() {
        return exact.isEmpty();
    }

    @Override
    public String toString() {
        return shown;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostText h && h.exact.equals(exact) && h.cut == cut;
    }

    @Override
    public int hashCode() {
        return exact.hashCode();
    }

    @Override
    public int compareTo(HostText o) {
        return exact.compareTo(o.exact);
    }
}
