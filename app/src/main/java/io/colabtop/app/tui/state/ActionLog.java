package io.colabtop.app.tui.state;

import java.util.HashMap;
import java.util.Map;

/** What each host is doing on the user's behalf now, and how its last action ended. */
public final class ActionLog {
    private final Map<String, String> running = new HashMap<>();
    private final Map<String, String> last = new HashMap<>();

    public void started(String host, String what) {
        running.put(host, what);
    }

    public void finished(String host, String outcome) {
        running.remove(host);
        last.put(host, outcome);
    }

    /** The action running on {@code host}, or null. */
    public String running(String host) {
        return running.get(host);
    }

    /** How the last action on {@code host} ended, or null. */
    public String last(String host) {
        return last.get(host);
    }
}
