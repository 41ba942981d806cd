package io.colabtop.app.config;

/** A mistake in what the user asked for (a malformed host, a missing file): exit status 2. */
public class UsageError extends RuntimeException {
    public UsageError(String message) {
        super(message);
    }
}
