package io.colabtop.core.action;

/**
 * How the user agreed to an action, recorded in the audit log. A dangerous action needs its
 * confirm name typed back, as k9s asks for dangerous actions; a typed value, not a string compared
 * somewhere ("--yes").
 */
public sealed interface Confirmation {
    /** For the audit log: "--yes", "prompt", "tui" or "guard: …". */
    String how();

    /** {@code --yes} on the command line (scripts). */
    record YesFlag() implements Confirmation {
        @Override
        public String how() {
            return "--yes";
        }
    }

    /** A y answered at a prompt ({@code where}: "prompt", "tui"). */
    record Answered(String how) implements Confirmation {}

    /**
     * Confirmed earlier, when the autostop that now fires was armed ({@code how}: "autostop armed
     * at 2026-07-30T23:10:00Z (tui)"): a VM stop colabtop makes on its own, the user's answer given
     * in advance.
     */
    record Armed(String how) implements Confirmation {}

    /** A name typed at a prompt, for a dangerous action. */
    record Typed(String how, String text) implements Confirmation {}

    /**
     * No person: colabtop's guard ({@code --guard swap}) acting on what it saw, e.g. "OOM forecast
     * ~3m, no swap". It confirms only an action that cannot hurt a running job: a dangerous one
     * needs a person to type its name.
     */
    record Guard(String reason) implements Confirmation {
        @Override
        public String how() {
            return "guard: " + reason;
        }
    }

    static Confirmation yesFlag() {
        return new YesFlag();
    }

    static Confirmation answered(String how) {
        return new Answered(how);
    }

    static Confirmation typed(String how, String text) {
        return new Typed(how, text);
    }

    /** Whether this confirms {@code a}: any for a safe action; for a dangerous one --yes or its name typed exactly. */
    default boolean confirms(Action a) {
        if (!a.dangerous()) {
            return true;
        }
        return this instanceof YesFlag
                || this instanceof Armed
                || (this instanceof Typed t && a.confirmName().equals(t.text()));
    }
}
