package io.colabtop.app.tui.render;

import java.util.ArrayList;
import java.util.List;

/** The '?' screen: every key, what the colours mean. */
public final class HelpRenderer {
    static final String[][] KEYS = {
        {"↑ ↓  k j", "select a host (in a host view: a process)"},
        {"PgUp PgDn", "move a page"},
        {"Enter", "open the host view: processes by oom_score, swaps, GPUs"},
        {"Esc ← h", "back to the table"},
        {"s", "cycle the sort: name, ram%, psi, oom, gpu%"},
        {"r", "refresh now"},
        {"w", "emergency swap on the host: 2x RAM at /swapfile, capped to keep the disk's reserve (shows the plan first)"},
        {"p", "in a host view: pin the selected process and its children with oom_score_adj -1000"},
        {"m", "mount a Cloud Storage bucket with gcsfuse (asks for bucket and mount point)"},
        {"S", "stop the selected GCE VM (type its name to confirm; shows what it saves per hour); on a stopped VM: start it"},
        {"? F1", "this help (any key closes it)"},
        {"q F10", "quit"},
    };

    private HelpRenderer() {
    }

    public static List<Line> render(int cols, int rows) {
        List<Line> out = new ArrayList<>();
        out.add(Line.of(Line.fit(" colabtop help", cols), Style.TITLE));
        out.add(Line.of("", Style.TEXT));
        for (String[] k : KEYS) {
            out.add(new Line(List.of(new Line.Span(Line.fit("  " + k[0], 14), Style.KEY),
                    new Line.Span(Line.fit(k[1], Math.max(0, cols - 14)), Style.TEXT)), false));
        }
        out.add(Line.of("", Style.TEXT));
        out.add(Line.of(Line.fit("  Colours: green fine, yellow careful, magenta warning, red critical.", cols), Style.TEXT));
        out.add(Line.of(Line.fit("  RAM counts page cache as free (MemAvailable). SWAP 'none' is a warning: no room for a spike.", cols), Style.TEXT));
        out.add(Line.of(Line.fit("  PSI: % of the last 10 s that some/all tasks stalled on memory; systemd-oomd kills at >50% for 20 s.", cols), Style.TEXT));
        out.add(Line.of(Line.fit("  TOP OOM: the process the kernel would kill first (oom_score/oom_score_adj); green = pinned at -1000.", cols), Style.TEXT));
        out.add(Line.of(Line.fit("  AGE: how old a row's data is; yellow past 3 intervals, red past 10.", cols), Style.TEXT));
        while (out.size() < rows) {
            out.add(Line.of("", Style.TEXT));
        }
        return out.subList(0, Math.min(rows, out.size()));
    }
}
