package io.colabtop.app.tui.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The help screen: every key of every screen (from the keymaps), then what the colours and columns mean. */
public final class HelpRenderer {
    static final List<String> LEGEND = List.of(
            "Colours: green fine, yellow careful, magenta warning, red critical.",
            "RAM counts page cache as free (MemAvailable). SWAP 'none' is a warning: no room for a spike.",
            "PSI s/f: % of the last 10 s that some / all tasks of the machine stalled on memory. systemd-oomd watches the "
                    + "'full' share of a cgroup instead (Ubuntu: user@UID.service over 50% for 20 s).",
            "OOM: ✗N kills the host logged in the last 24 h (✗Nb: since boot, when no log is readable); 'in ~7m': "
                    + "memory + swap run out at the recent pace (red under 5 min). The host view has the kill history.",
            "TOP OOM: the process the kernel would kill first (oom_score/oom_score_adj); green = pinned at -1000.",
            "AGE: data age, how old a row's figures are; yellow past 3 intervals, red past 10.");

    private HelpRenderer() {}

    public static List<Line> render(Map<String, List<KeyHelp>> sections, int cols, int rows) {
        return render(sections, cols, rows, 0);
    }

    /** From help row {@code top} on: the help scrolls when the terminal is shorter than it. */
    public static List<Line> render(Map<String, List<KeyHelp>> sections, int cols, int rows, int top) {
        List<Line> out = new ArrayList<>();
        int keyWidth = 2
                + sections.values().stream()
                        .flatMap(List::stream)
                        .mapToInt(k -> TerminalColumns.width(k.keys()))
                        .max()
                        .orElse(8)
                + 2;
        sections.forEach((title, keys) -> {
            out.add(Line.of("", Style.TEXT));
            out.add(Line.of(Line.fit(" " + title, cols), Style.HEADER));
            for (KeyHelp k : keys) {
                out.add(new Line(
                        List.of(
                                new Line.Span(Line.fit("  " + k.keys(), Math.min(keyWidth, cols)), Style.KEY),
                                new Line.Span(Line.fit(k.text(), Math.max(0, cols - keyWidth)), Style.TEXT)),
                        false));
            }
        });
        out.add(Line.of("", Style.TEXT));
        LEGEND.forEach(l -> out.add(Line.of(Line.fit("  " + l, cols), Style.TEXT)));
        int body = Math.max(1, rows - 1);
        int first = Math.max(0, Math.min(top, out.size() - body));
        List<Line> shown = new ArrayList<>();
        String more = first + body < out.size()
                ? "  (↑↓ PgUp PgDn scroll; q quits; any other key closes)"
                : "  (any key closes)";
        shown.add(Line.of(Line.fit(" colabtop help" + more, cols), Style.TITLE));
        shown.addAll(out.subList(first, Math.min(out.size(), first + body)));
        while (shown.size() < rows) {
            shown.add(Line.of("", Style.TEXT));
        }
        return shown.subList(0, Math.min(rows, shown.size()));
    }
}
