package io.colabtop.app.action;

/**
 * How the user agreed to an action, recorded in the audit log. A dangerous action needs the
 * host's name typed back, as k9s asks for dangerous actions.
 *
 * @param how       "--yes", "prompt" or "tui"
 * @param typedName what the user typed to confirm a dangerous action, or null
 */
public record Confirmation(String how, String typedName) {
    public static Confirmation yesFlag() {
        return new Confirmation("--yes", null);
    }

    public static Confirmation answered(String how) {
        return new Confirmation(how, null);
    }

    public static Confirmation typed(String how, String typed) {
        return new Confirmation(how, typed);
    }
}
