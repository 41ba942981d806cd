package io.colabtop.app.tui;

import io.colabtop.app.action.ActionGate;
import io.colabtop.core.action.HostShell;

/** What the TUI acts through: a shell per host and the one gate that confirms and audits. */
public interface ActionDesk {
    /** The shell for {@code host}, or null when colabtop cannot act on it. */
    HostShell shellFor(String host);

    ActionGate gate();
}
