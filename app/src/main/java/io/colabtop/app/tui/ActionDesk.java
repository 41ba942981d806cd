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
}
