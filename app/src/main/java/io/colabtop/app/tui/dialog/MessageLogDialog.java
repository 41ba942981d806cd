package io.colabtop.app.tui.dialog;

import com.googlecode.lanterna.input.KeyStroke;
import io.colabtop.app.tui.render.HintBar;
import io.colabtop.app.tui.render.KeyHelp;
import io.colabtop.app.tui.render.Line;
import io.colabtop.app.tui.render.Style;
import io.colabtop.app.tui.render.TerminalColumns;
import java.util.ArrayList;
import java.util.List;

/**
 * The last messages and action results in full, newest last, wrapped to the screen and scrollable:
 * a long message (an ssh-keygen -R hint, a failed swap's reason) is cut on the message line, never
 * here. Takes the lower half of the screen.
 */
public final class MessageLogDialog implements Dialog {
    private final List<String> messages;
    private final int height;
    private int fromEnd;

    /** @param height rows the log may take (the screen's rows, less the title) */
    public MessageLogDialog(List<String> messages, int height) {
        this.messages = List.copyOf(messages);
        this.height = Math.max(3, height);
    }

    @Override
    public boolean handle(KeyStroke k, DialogContext ctx) {
        switch (k.getKeyType()) {
            case ArrowUp -> fromEnd++;
            case ArrowDown -> fromEnd = Math.max(0, fromEnd - 1);
            case PageUp -> fromEnd += height - 2;
            case PageDown -> fromEnd = Math.max(0, fromEnd - (height - 2));
            default -> {
                return true; // any other key closes it, as help does
            }
        }
        return false;
    }

    @Override
    public List<Line> lines(int cols) {
        List<String> wrapped = new ArrayList<>();
        for (String m : messages) {
            wrapped.addAll(wrap(" " + m, cols));
        }
        int body = height - 2;
        int end = Math.max(0, wrapped.size() - Math.min(fromEnd, Math.max(0, wrapped.size() - body)));
        int start = Math.max(0, end - body);
        List<Line> box = new ArrayList<>();
        box.add(Line.of(Line.fit(" messages (" + messages.size() + ", newest last)", cols), Style.HEADER));
        for (String w : wrapped.subList(start, end)) {
            box.add(Line.of(Line.fit(w, cols), Style.TEXT));
        }
        if (wrapped.isEmpty()) {
            box.add(Line.of(Line.fit(" no messages yet", cols), Style.DIM));
        }
        box.add(HintBar.line(cols, List.of(new KeyHelp("↑↓ PgUp PgDn", "scroll"), new KeyHelp("any key", "close"))));
        return box;
    }

    /** Cuts {@code s} into rows of at most {@code cols} columns, at spaces where it can. */
    static List<String> wrap(String s, int cols) {
        List<String> out = new ArrayList<>();
        String rest = s;
        int w = Math.max(10, cols);
        while (TerminalColumns.width(rest) > w) {
            int cut = Math.min(rest.length(), w);
            while (cut > 0 && TerminalColumns.width(rest.substring(0, cut)) > w) {
                cut--;
            }
            int space = rest.lastIndexOf(' ', cut);
            if (space > w / 2) {
                cut = space;
            }
            out.add(rest.substring(0, cut));
            rest = "   " + rest.substring(cut).stripLeading();
        }
        out.add(rest);
        return out;
    }
}
