package io.colabtop.ssh;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warnings about the user's own files that colabtop works around rather than fails on (a
 * known_hosts line skipped, a Match block ignored), for one run: each distinct warning is logged
 * and passed on once, however many hosts and reconnections meet it. Until someone listens (the
 * CLI's stderr, the TUI's message line) they are held, so those found while the fleet is being
 * built are not lost. Thread-safe: connections report from the poller's threads.
 */
public final class ConfigWarnings implements Consumer<String> {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigWarnings.class);

    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final List<String> held = new ArrayList<>();
    private Consumer<String> listener;

    @Override
    public void accept(String warning) {
        if (!seen.add(warning)) {
            return;
        }
        LOG.warn(warning);
        synchronized (this) {
            if (listener == null) {
                held.add(warning);
            } else {
                listener.accept(warning);
            }
        }
    }

    /** From now on warnings go to {@code listener}, starting with those held so far. */
    public synchronized void listen(Consumer<String> listener) {
        held.forEach(listener);
        held.clear();
        this.listener = listener;
    }
}
