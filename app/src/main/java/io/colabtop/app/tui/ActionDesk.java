package io.colabtop.app.tui;

import io.colabtop.app.action.ActionGate;
import io.colabtop.core.action.HostShell;

/** What the TUI acts through: a shell per host and the one gate that confirms and audits. */
public interface ActionDesk {
    /** The shell for {@code host}, or null when colabtop cannot act on it. */
    HostShell shellFor(String host);

    ActionGate gate();

    /**
     * Plans stopping or starting the VM named {@code host} (may call the API: runs off the UI thread);
     * {@code progress} receives the VM's status as the operation goes. Null when host is no VM.
     */
    default io.colabtop.core.action.VmPower vmPower(
            String host, boolean stop, java.util.function.Consumer<String> progress) throws Exception {
        return null;
    }

    /** Asks for a fresh VM list (after a stop or start). */
    default void rediscover() {}

    /** What the VM named {@code host} costs, for an autostop plan; null when it is no VM colabtop found. */
    default io.colabtop.app.action.AutostopPlanner.Billing billing(String host) {
        return null;
    }

    /** How often an autostop armed from the TUI checks its condition. */
    default java.time.Duration autostopPeriod() {
        return io.colabtop.core.action.AutostopRule.DEFAULT_PERIOD;
    }

    /** Where autostop lives on a host (its state directory, unit, log). */
    default io.colabtop.ssh.HostScripts.AutostopPlace autostopPlace() {
        return io.colabtop.ssh.HostScripts.AutostopPlace.DEFAULT;
    }
}
