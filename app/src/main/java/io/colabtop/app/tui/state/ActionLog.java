package io.colabtop.app.tui.state;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** What each host is doing on the user's behalf now, and how its last action ended. */
public final class ActionLog {
    private final Map<String, String> running = new HashMap<>();
    private final Map<String, String> last = new HashMap<>();
    private final Map<String, GuardNote> guard = new HashMap<>();

    /**
     * What the swap guard ({@code --guard swap}) did on a host on its own: shown loudly.
     *
     * @param refused whether it could not act (the disk reserve, no shell, a failure): the host
     *                still has no swap and the forecast stands
     */
    public record GuardNote(String text, boolean refused, Instant at) {}

    public void guarded(String host, GuardNote note) {
        guard.put(host, note);
    }

    /** What the guard did on {@code host}, or null. */
    public GuardNote guard(String host) {
        return guard.get(host);
    }

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
