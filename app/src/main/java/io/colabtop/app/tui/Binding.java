package io.colabtop.app.tui;

import java.util.List;
import java.util.function.Consumer;

/**
 * One line of a keymap: the keys, what the hint bar calls it (null: not on the bar), what help says,
 * whether it can hurt a running job, and what it does. Help, hint bars and the README's key table
 * are all generated from these.
 */
public record Binding(
        List<Key> keys, String hintKeys, String hint, String help, boolean dangerous, Consumer<TuiSession> action) {
    public Binding {
        keys = List.copyOf(keys);
    }

    public static Binding of(String hint, String help, Consumer<TuiSession> action, Key... keys) {
        return new Binding(List.of(keys), null, hint, help, false, action);
    }

    /** Not on the hint bar (another binding's hint covers it, or it is for the help screen only). */
    public static Binding quiet(String help, Consumer<TuiSession> action, Key... keys) {
        return new Binding(List.of(keys), null, null, help, false, action);
    }

    /** Can hurt a running job: its plan is red and is confirmed by typing a name. */
    public static Binding dangerous(String hint, String help, Consumer<TuiSession> action, Key... keys) {
        return new Binding(List.of(keys), null, hint, help, true, action);
    }

    /** The same, with the keys the hint bar shows instead of this binding's own (↑↓/jk for a pair). */
    public Binding hintedAs(String keysOnBar) {
        return new Binding(keys, keysOnBar, hint, help, dangerous, action);
    }

    /** What the hint bar shows for it, or null. */
    public io.colabtop.app.tui.render.KeyHelp barEntry() {
        return hint == null
                ? null
                : new io.colabtop.app.tui.render.KeyHelp(hintKeys != null ? hintKeys : keyLabel(), hint);
    }

    public boolean matches(com.googlecode.lanterna.input.KeyStroke k) {
        return keys.stream().anyMatch(key -> key.matches(k));
    }

    /** The keys as help shows them: {@code ↑ k}. */
    public String keyLabel() {
        return String.join(" ", keys.stream().map(Key::label).toList());
    }
}
