package io.colabtop.app.tui.dialog;

import io.colabtop.core.action.Action;
import io.colabtop.core.action.Confirmation;
import io.colabtop.ssh.HostKeyException;

/** What a dialog's answer can do: implemented by the session, which owns the screen's state. */
public interface DialogContext {
    /** Runs a confirmed action (off the UI thread) through the gate. */
    void run(Action plan, Confirmation confirmation);

    /** The user said no to a plan: said on the message line and audited. */
    void declined(Action plan);

    /** The user trusts this host key: it is recorded and the host reconnects. */
    void trust(String host, HostKeyException key);

    /** The user does not trust it: the host stays down and is not asked about again. */
    void distrust(String host, HostKeyException key);

    void message(String text);

    /** Opens another dialog over this one (the next question of a flow). */
    void open(Dialog next);
}
