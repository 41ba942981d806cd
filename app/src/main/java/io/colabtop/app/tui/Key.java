package io.colabtop.app.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;

/** One key a binding answers to: a character (with or without Ctrl) or a special key. */
public record Key(KeyType type, Character ch, boolean ctrl) {

    public static Key ch(char c) {
        return new Key(KeyType.Character, c, false);
    }

    public static Key ctrl(char c) {
        return new Key(KeyType.Character, c, true);
    }

    public static Key of(KeyType type) {
        return new Key(type, null, false);
    }

    public boolean matches(KeyStroke k) {
        if (k.getKeyType() != type) {
            return false;
        }
        return type != KeyType.Character || (k.getCharacter() == ch.charValue() && k.isCtrlDown() == ctrl);
    }

    /** How help shows it: {@code k}, {@code Ctrl-L}, {@code ↑}, {@code PgDn}, {@code F10}. */
    public String label() {
        if (type == KeyType.Character) {
            return ctrl ? "Ctrl-" + Character.toUpperCase(ch) : ch.toString();
        }
        return switch (type) {
            case ArrowUp -> "↑";
            case ArrowDown -> "↓";
            case ArrowLeft -> "←";
            case ArrowRight -> "→";
            case PageUp -> "PgUp";
            case PageDown -> "PgDn";
            case Escape -> "Esc";
            default -> type.name();
        };
    }
}
