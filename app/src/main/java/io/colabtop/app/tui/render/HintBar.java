package io.colabtop.app.tui.render;

import java.util.List;

/** The bottom row of key hints, htop style: the key highlighted, what it does plain; what does not fit is left out. */
public final class HintBar {
    private HintBar() {}

    public static Line line(int cols, List<KeyHelp> hints) {
        Line.Builder b = new Line.Builder();
        for (KeyHelp h : hints) {
            if (b.width() + TerminalColumns.width(h.keys()) + TerminalColumns.width(h.text()) + 2 > cols) {
                break;
            }
            b.add(h.keys(), Style.KEY);
            b.add(" " + h.text() + " ", Style.TEXT);
        }
        if (b.width() < cols) {
            b.add(" ".repeat(cols - b.width()), Style.TEXT);
        }
        return b.build(false);
    }
}
