package io.colabtop.app.tui.render;

/** A key and what it does, as the help screen and the hint bar show it: {@code "w"}, {@code "emergency swap…"}. */
public record KeyHelp(String keys, String text) {}
