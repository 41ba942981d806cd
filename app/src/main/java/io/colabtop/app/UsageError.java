package io.colabtop.app;

/** A mistake in what the user asked for (a malformed host, a missing file): exit status 2. */
public class UsageError extends RuntimeException {
    public UsageError(String message) {
        super(message);
    }
}
