package io.colabtop.core;

/** A failure reading or acting on a host whose message is already what the user should read. */
public class HostException extends Exception {
    public HostException(String message) {
        super(message);
    }

    public HostException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Longest error text a row or a message line carries. */
    public static final int MAX_MESSAGE = 1000;

    /**
     * What a row or an error line should say about {@code e}: the message of the outermost
     * HostException in its causes (already written for the user), else the innermost message
     * ("Connection refused", not a chain of wrappers), else the exception's class name. Messages
     * quote what hosts and servers said (an SSH banner, a line of output), so the result is made
     * safe for a terminal here ({@link SafeText}) and bounded.
     */
    public static String describe(Throwable e) {
        String innermost = null;
        int depth = 0;
        for (Throwable t = e; t != null && depth++ < 32; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HostException && t.getMessage() != null) {
                return SafeText.clip(t.getMessage(), MAX_MESSAGE);
            }
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                innermost = t.getMessage().strip();
            }
        }
        return innermost != null
                ? SafeText.clip(innermost, MAX_MESSAGE)
                : e.getClass().getSimpleName();
    }
}
