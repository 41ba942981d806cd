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
 * htop's {@code /}: the rows narrow as you type; Enter keeps the filter, Esc clears it. What it
 * filters (hosts in the table, processes in a host view) is the caller's: every change is handed to
 * {@code onChange}.
 */
public final class FilterDialog implements Dialog {
    static final int MAX_TEXT = 100;

    private final String what;
    private final StringBuilder text;
    private final Consumer<String> onChange;

    public FilterDialog(String what, String current, Consumer<String> onChange) {
        this.what = what;
        this.text = new StringBuilder(current);
        this.onChange = onChange;
    }

    @Override
    public boolean handle(KeyStroke k, DialogContext ctx) {
        if (k.getKeyType() == KeyType.Escape) {
            onChange.accept("");
            ctx.message("filter cleared");
            return true;
        }
        if (k.getKeyType() == KeyType.Enter) {
            ctx.message(text.isEmpty() ? "no filter" : "filter: " + text + " (/ to change, / then Esc to clear)");
            return true;
        }
        Character c = Dialog.typed(k);
        if (k.getKeyType() == KeyType.Backspace && !text.isEmpty()) {
            text.setLength(text.length() - 1);
        } else if (c != null && text.length() < MAX_TEXT) {
            text.append(c);
        } else {
            return false;
        }
        onChange.accept(text.toString());
        return false;
    }

    @Override
    public List<Line> lines(int cols) {
        return List.of(
                Line.of(Line.fit(" filter " + what + ": " + text + "_", cols), Style.WARNING),
                HintBar.line(cols, List.of(new KeyHelp("Enter", "keep"), new KeyHelp("Esc", "clear"))));
    }
}
