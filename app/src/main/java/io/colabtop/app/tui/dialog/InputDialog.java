package io.colabtop.app.tui.dialog;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import io.colabtop.app.tui.render.HintBar;
import io.colabtop.app.tui.render.KeyHelp;
import io.colabtop.app.tui.render.Line;
import io.colabtop.app.tui.render.Style;
import java.util.List;
import java.util.function.Consumer;

/**
 * One line of text being typed (a bucket name, a mount point) and what to do with it. A value the
 * next step refuses (an IllegalArgumentException, e.g. an invalid bucket name) is said on the
 * message line.
 */
public final class InputDialog implements Dialog {
    static final int MAX_TEXT = 300;

    private final String label;
    private final StringBuilder text;
    private final Consumer<String> onEnter;

    public InputDialog(String label, String initial, Consumer<String> onEnter) {
        this.label = label;
        this.text = new StringBuilder(initial);
        this.onEnter = onEnter;
    }

    @Override
    public boolean handle(KeyStroke k, DialogContext ctx) {
        if (k.getKeyType() == KeyType.Escape) {
            ctx.message("cancelled");
            return true;
        }
        if (k.getKeyType() == KeyType.Enter) {
            try {
                onEnter.accept(text.toString().strip());
            } catch (IllegalArgumentException e) {
                ctx.message(e.getMessage());
            }
            return true;
        }
        Character c = Dialog.typed(k);
        if (k.getKeyType() == KeyType.Backspace && text.length() > 0) {
            text.setLength(text.length() - 1);
        } else if (c != null && text.length() < MAX_TEXT) {
            text.append(c);
        }
        return false;
    }

    @Override
    public List<Line> lines(int cols) {
        return List.of(
                Line.of(Line.fit(" " + label + ": " + text + "_", cols), Style.WARNING),
                HintBar.line(cols, List.of(new KeyHelp("Enter", "next"), new KeyHelp("Esc", "cancel"))));
    }
}
