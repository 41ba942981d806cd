package io.colabtop.app.tui.state;

import io.colabtop.core.action.ProgressRate;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What each host is doing on the user's behalf now (with how far it has got, for long work), and
 * how its last action ended. The cancel flag is the one thing the running work reads from another
 * thread, so it is atomic; everything else belongs to the UI thread.
 */
public final class ActionLog {
    /** An action under way: its name, its latest progress (or null), and the flag that cancels it. */
    public static final class Running {
        private final String what;
        private final AtomicBoolean cancel = new AtomicBoolean();
        private ProgressRate.Estimate progress;

        Running(String what) {
            this.what = what;
        }

        public String what() {
            return what;
        }

        public ProgressRate.Estimate progress() {
            return progress;
        }

        public boolean cancelRequested() {
            return cancel.get();
        }

        /** Read by the running work (any thread). */
        public AtomicBoolean cancelFlag() {
            return cancel;
        }
    }

    private final Map<String, Running> running = new HashMap<>();
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

    /** Records that {@code what} started on {@code host}; the returned entry carries its cancel flag. */
    public Running started(String host, String what) {
        Running r = new Running(what);
        running.put(host, r);
        return r;
    }

    public void finished(String host, String outcome) {
        running.remove(host);
        last.put(host, outcome);
    }

    /** The latest progress of the action running on {@code host} (ignored when none is). */
    public void progress(String host, ProgressRate.Estimate p) {
        Running r = running.get(host);
        if (r != null) {
            r.progress = p;
        }
    }

    /** Asks the action running on {@code host} to stop; false when nothing runs there. */
    public boolean cancel(String host) {
        Running r = running.get(host);
        if (r == null) {
            return false;
        }
        r.cancel.set(true);
        return true;
    }

    /** The name of the action running on {@code host}, or null. */
    public String running(String host) {
        Running r = running.get(host);
        return r == null ? null : r.what;
    }

    /** The action running on {@code host} in full, or null. */
    public Running runningEntry(String host) {
        return running.get(host);
    }

    /** How the last action on {@code host} ended, or null. */
    public String last(String host) {
        return last.get(host);
    }
}
