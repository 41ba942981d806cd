package io.colabtop.app.tui.state;

import io.colabtop.core.action.AutostopState;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * What autostop each host has armed, as last read back from it (or kept here, for --from-here):
 * the row's "autostop: when PID 4242 exits" and the IDLE warning's "autostop armed". Owned by the
 * UI thread, like the rest of the view.
 */
public final class Autostops {
    private final Map<String, AutostopState> byHost = new HashMap<>();

    public void set(String host, AutostopState s) {
        if (s == null || (!s.armed() && s.lastLog() == null)) {
            byHost.remove(host);
        } else {
            byHost.put(host, s);
        }
    }

    /** The last reading, or null when nothing was read or nothing is armed. */
    public AutostopState get(String host) {
        return byHost.get(host);
    }

    /** Armed and not fired yet: the VM will stop itself. */
    public boolean armed(String host) {
        AutostopState s = byHost.get(host);
        return s != null && s.armed() && s.fired() == null && !s.broken();
    }

    /** "autostop: idle 30m (12m left)", or null when nothing is armed. */
    public String line(String host, Instant now) {
        AutostopState s = byHost.get(host);
        return s == null ? null : s.describe(now);
    }

    /** Whether the line is one to look at: it fired, failed, or will never fire. */
    public boolean alarming(String host) {
        AutostopState s = byHost.get(host);
        return s != null
                && s.armed()
                && (s.broken() || (s.fired() != null && s.fired().failed()));
    }
}
