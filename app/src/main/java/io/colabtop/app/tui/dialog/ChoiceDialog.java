package io.colabtop.app.tui.dialog;

import com.googlecode.lanterna.input.KeyStroke;
import io.colabtop.app.tui.render.HintBar;
import io.colabtop.app.tui.render.KeyHelp;
import io.colabtop.app.tui.render.Line;
import io.colabtop.app.tui.render.Style;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** One of a short list, as htop's signal menu: ↑↓ to choose, Enter to take it, Esc to cancel. */
public final class ChoiceDialog implements Dialog {
    private final String title;
    private final List<String> choices;
    private final Consumer<String> onChosen;
    private int selected;

    public ChoiceDialog(String title, List<String> choices, Consumer<String> onChosen) {
        this(title, choices, 0, onChosen);
    }

    /** With choice {@code initial} (from 0) selected: what was chosen last time. */
    public ChoiceDialog(String title, List<String> choices, int initial, Consumer<String> onChosen) {
        this.title = title;
        this.choices = List.copyOf(choices);
        this.onChosen = onChosen;
        this.selected = Math.max(0, Math.min(this.choices.size() - 1, initial));
    }

    @Override
    public boolean handle(KeyStroke k, DialogContext ctx) {
        switch (k.getKeyType()) {
            case Escape -> {
                ctx.message("cancelled");
                return true;
            }
            case ArrowUp -> selected = Math.max(0, selected - 1);
            case ArrowDown -> selected = Math.min(choices.size() - 1, selected + 1);
            case Enter -> {
                onChosen.accept(choices.get(selected));
                return true;
            }
            default -> {
                Character c = Dialog.typed(k);
                if (c != null && Character.isDigit(c) && c - '1' < choices.size() && c != '0') {
                    onChosen.accept(choices.get(c - '1'));
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public List<Line> lines(int cols) {
        List<Line> box = new ArrayList<>();
        box.add(Line.of(Line.fit(" " + title, cols), Style.WARNING));
        for (int i = 0; i < choices.size(); i++) {
            box.add(new Line(
                    List.of(new Line.Span(Line.fit("  " + (i + 1) + " " + choices.get(i), cols), Style.TEXT)),
                    i == selected));
        }
        box.add(HintBar.line(
                cols,
                List.of(new KeyHelp("↑↓", "choose"), new KeyHelp("Enter", "take it"), new KeyHelp("Esc", "cancel"))));
        return box;
    }
}
