package io.colabtop.core.action;

import io.colabtop.core.HostException;

/** The user cancelled a running action; the message says what the host does about it. */
public final class ActionCancelledException extends HostException {
    public ActionCancelledException(String message) {
        super(message);
    }
}
