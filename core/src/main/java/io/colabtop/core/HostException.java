package io.colabtop.core;

/** A failure reading or acting on a host whose message is already what the user should read. */
public class HostException extends Exception {
    public HostException(String message) {
        super(message);
    }

    public HostException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * What a row or an error line should say about {@code e}: the message of the outermost
     * HostException in its causes (already written for the user), else the innermost message
     * ("Connection refused", not a chain of wrappers), else the exception's class name.
     */
    public static String describe(Throwable e) {
        String innermost = null;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HostException && t.getMessage() != null) {
                return t.getMessage();
            }
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                innermost = t.getMessage().strip();
            }
        }
        return innermost != null ? innermost : e.getClass().getSimpleName();
    }
}
