package io.colabtop.core;

/** How worried a cell should look; the TUI maps these to colours as htop and glances do. */
public enum Severity {
    OK,
    CAREFUL,
    WARNING,
    CRITICAL;

    public static Severity max(Severity a, Severity b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }
}
