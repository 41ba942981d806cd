package io.colabtop.core.action;

/**
 * POSIX single-quoting: {@code it's} becomes {@code 'it'\''s'}. Inside single quotes the shell
 * expands nothing ($, `, \, newlines are literal), so a quoted value reaches a command as one
 * inert argument. NUL cannot be passed in an argument at all and is refused.
 */
public final class ShellQuote {
    private ShellQuote() {}

    public static String quote(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a NUL byte cannot be passed to a shell");
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
