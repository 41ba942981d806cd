package io.colabtop.core.action;

import io.colabtop.core.HostException;
import java.time.Duration;
import java.util.List;

/**
 * A watch this colabtop keeps on a host (autostop --from-here): arming it changes nothing on the
 * host; when its condition holds, colabtop stops the VM through the Compute API, as a
 * {@link VmPower} of its own, audited. It lasts only as long as this colabtop runs.
 *
 * @param host  the VM's host name in colabtop
 * @param name  for the audit log: autostop-here, autostop-here-cancel
 * @param start what arms (or removes) it in this colabtop, reporting what it did
 */
public record LocalWatch(String host, String name, List<String> summary, Duration timeout, Start start)
        implements Action {

    /** Arms or removes the watch; nothing here reaches the host. */
    @FunctionalInterface
    public interface Start {
        ShellResult start() throws HostException;
    }

    public LocalWatch {
        summary = Action.safeSummary(summary);
    }

    @Override
    public boolean dangerous() {
        return false;
    }
}
