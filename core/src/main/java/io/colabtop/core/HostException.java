package io.colabtop.core;

/** A failure reading or acting on a host whose message is already what the user should read. */
public class HostException extends Exception {
    public HostException(String message) {
        super(message);
    }

    public HostException(String message, Throwable cause) {
        super(message, cause);
    }
}
