package io.colabtop.core;

import java.time.Instant;

/**
 * The outcome of one poll, handed from a collector thread to the one writer of UI state.
 *
 * @param snapshot the reading, or null when the poll failed
 * @param error    why it failed, in words for the table, else null
 * @param cause    the exception, for callers that act on its type (an unknown host key)
 */
public record HostUpdate(String host, HostSnapshot snapshot, String error, Throwable cause, Instant at) {
    public static HostUpdate ok(HostSnapshot s) {
        return new HostUpdate(s.host(), s, null, null, s.takenAt());
    }

    /** {@code error} is made safe for a terminal here: it often quotes what a host or a server said. */
    public static HostUpdate failed(String host, String error, Throwable cause, Instant at) {
        return new HostUpdate(
                host, null, SafeText.clip(error == null ? "failed" : error, HostException.MAX_MESSAGE), cause, at);
    }

    public HostState applyTo(HostState state) {
        return snapshot != null ? state.withSnapshot(snapshot) : state.withFailure(error, at);
    }
}
