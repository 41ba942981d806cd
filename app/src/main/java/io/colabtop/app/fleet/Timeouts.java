package io.colabtop.app.fleet;

import java.time.Duration;

/**
 * Every time-out of colabtop's connections, in one place (they were literals in four).
 *
 * @param connect     TCP connect to a host (ssh_config's ConnectTimeout may lower it)
 * @param poll        one poll of a host, handshake included: past it the host counts as unreachable
 * @param maxBackoff  longest wait between reconnection attempts to a host that is down
 * @param action      connect, key exchange and auth of an action's own SSH connection
 */
public record Timeouts(Duration connect, Duration poll, Duration maxBackoff, Duration action) {
    public static final Duration CONNECT = Duration.ofSeconds(10);
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    public static final Duration ACTION = Duration.ofSeconds(15);

    /** The defaults, with the poll deadline the user chose (--deadline, default 5 s). */
    public static Timeouts withPoll(Duration poll) {
        return new Timeouts(CONNECT, poll, MAX_BACKOFF, ACTION);
    }
}
