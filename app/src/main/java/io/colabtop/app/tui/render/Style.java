package io.colabtop.app.tui.render;

import io.colabtop.core.Severity;

/** What a piece of text means on screen; {@link ScreenPainter} maps it to colours. */
public enum Style {
    TEXT,
    DIM,
    TITLE,
    HEADER,
    KEY,
    OK,
    CAREFUL,
    WARNING,
    CRITICAL;

    public static Style of(Severity s) {
        return switch (s) {
            case OK -> OK;
            case CAREFUL -> CAREFUL;
            case WARNING -> WARNING;
            case CRITICAL -> CRITICAL;
        };
    }
}
