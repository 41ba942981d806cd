package io.colabtop.core;

import java.util.regex.Pattern;

/**
 * The whitespace-separated words of a line, with one compiled pattern: {@code String.split("\\s+")}
 * compiles its regex on every call, and a tick splits ~100 lines per host (each meminfo line, each
 * process's Uid and VmRSS, each cpu line), 100 hosts every two seconds.
 * <pre>
 * "MemTotal:       24683656 kB" after the colon: ["24683656", "kB"]
 * </pre>
 */
public final class Words {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private Words() {}

    /** The words of {@code line}, leading and trailing whitespace ignored; one empty word for a blank line, as split does. */
    public static String[] of(String line) {
        return WHITESPACE.split(line.trim());
    }
}
