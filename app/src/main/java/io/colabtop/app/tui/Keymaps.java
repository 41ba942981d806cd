package io.colabtop.app.tui;

import static io.colabtop.app.tui.Key.ch;
import static io.colabtop.app.tui.Key.ctrl;
import static io.colabtop.app.tui.Key.of;

import com.googlecode.lanterna.input.KeyType;
import io.colabtop.app.tui.render.KeyHelp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every key of the screens, as data: one keymap per screen. Adding a key is one line here; the help
 * screen, the hint bars and the README's key table come from these lists (a test holds the README
 * to them). Dialogs (a plan to confirm, a question, a line to type) take their own keys.
 */
public final class Keymaps {
    private Keymaps() {}

    private static final Binding QUIT = Binding.of(
                    "quit", "quit", TuiSession::exit, ch('q'), of(KeyType.F10), ctrl('c'))
            .hintedAs("q");
    private static final Binding HELP = Binding.of(
                    "help", "this help (any key closes it)", TuiSession::toggleHelp, ch('?'), of(KeyType.F1))
            .hintedAs("?");
    private static final Binding REFRESH = Binding.of("refresh", "refresh now", TuiSession::refresh, ch('r'));
    private static final Binding SWAP = Binding.of(
            "swap",
            "emergency swap on the host: 2x RAM at /swapfile, capped to keep the "
                    + "disk's reserve (shows the plan first)",
            TuiSession::swap,
            ch('w'));
    private static final Binding MOUNT = Binding.of(
            "mount",
            "mount a Cloud Storage bucket with gcsfuse (asks for bucket and " + "mount point)",
            TuiSession::mount,
            ch('m'));
    private static final Binding POWER = Binding.dangerous(
            "stop/start VM",
            "stop the selected GCE VM (type its name to "
                    + "confirm; the plan says what it saves per hour); on a stopped VM, start it",
            TuiSession::powerVm,
            ch('S'));
    private static final Binding PAGE_UP = Binding.quiet("move a page up", s -> s.move(-s.page()), of(KeyType.PageUp));
    private static final Binding PAGE_DOWN =
            Binding.quiet("move a page down", s -> s.move(s.page()), of(KeyType.PageDown));
    private static final Binding TOP =
            Binding.quiet("to the first row", s -> s.move(-Integer.MAX_VALUE / 2), of(KeyType.Home), ch('g'));
    private static final Binding BOTTOM =
            Binding.quiet("to the last row", s -> s.move(Integer.MAX_VALUE / 2), of(KeyType.End), ch('G'));

    /** The fleet table. */
    public static final List<Binding> TABLE = List.of(
            Binding.of(
                            "detail",
                            "host view: processes by oom_score (next victim first), swaps, GPUs",
                            TuiSession::openDetail,
                            of(KeyType.Enter),
                            of(KeyType.ArrowRight))
                    .hintedAs("Enter"),
            Binding.of("select", "select the host above", s -> s.move(-1), of(KeyType.ArrowUp), ch('k'))
                    .hintedAs("↑↓/jk"),
            Binding.quiet("select the host below", s -> s.move(1), of(KeyType.ArrowDown), ch('j')),
            PAGE_UP,
            PAGE_DOWN,
            TOP,
            BOTTOM,
            SWAP,
            MOUNT,
            POWER,
            Binding.of(
                    "sort",
                    "cycle the sort: name, RAM %, PSI, top oom_score, GPU memory % (worst first)",
                    TuiSession::cycleSort,
                    ch('s')),
            REFRESH,
            HELP,
            QUIT);

    /** One host in full. */
    public static final List<Binding> DETAIL = List.of(
            Binding.of(
                            "back",
                            "back to the table",
                            TuiSession::back,
                            of(KeyType.Escape),
                            of(KeyType.ArrowLeft),
                            ch('h'),
                            of(KeyType.Backspace))
                    .hintedAs("Esc"),
            Binding.of("select", "select the process above", s -> s.move(-1), of(KeyType.ArrowUp), ch('k'))
                    .hintedAs("↑↓"),
            Binding.quiet("select the process below", s -> s.move(1), of(KeyType.ArrowDown), ch('j')),
            PAGE_UP,
            PAGE_DOWN,
            TOP,
            BOTTOM,
            Binding.of(
                    "protect (OOM)",
                    "protect the selected process and its children from both OOM killers (oom_score_adj -1000, "
                            + "and out of systemd-oomd's reach where it runs)",
                    TuiSession::pin,
                    ch('p')),
            SWAP,
            MOUNT,
            POWER,
            REFRESH,
            HELP,
            QUIT);

    /** The binding {@code k} triggers on {@code map}, or null. */
    public static Binding find(List<Binding> map, com.googlecode.lanterna.input.KeyStroke k) {
        for (Binding b : map) {
            if (b.matches(k)) {
                return b;
            }
        }
        return null;
    }

    /** The hint bar of a screen, in keymap order. */
    public static List<KeyHelp> hints(List<Binding> map) {
        return map.stream().map(Binding::barEntry).filter(Objects::nonNull).toList();
    }

    /** The help screen: the table's keys, then the host view's own. */
    public static Map<String, List<KeyHelp>> help() {
        Map<String, List<KeyHelp>> sections = new LinkedHashMap<>();
        sections.put(
                "Fleet table",
                TABLE.stream().map(b -> new KeyHelp(b.keyLabel(), b.help())).toList());
        sections.put(
                "Host view",
                DETAIL.stream()
                        .filter(b -> !TABLE.contains(b))
                        .map(b -> new KeyHelp(b.keyLabel(), b.help()))
                        .toList());
        return sections;
    }

    /** The README's key table, generated: | key | does |, host-view-only keys marked. */
    public static String markdown() {
        List<String> rows = new ArrayList<>();
        rows.add("| key | does |");
        rows.add("|---|---|");
        for (Binding b : TABLE) {
            rows.add("| " + code(b) + " | " + b.help() + " |");
        }
        for (Binding b : DETAIL) {
            if (!TABLE.contains(b)) {
                rows.add("| " + code(b) + " | in a host view: " + b.help() + " |");
            }
        }
        return String.join("\n", rows) + "\n";
    }

    private static String code(Binding b) {
        return String.join(
                " ", b.keys().stream().map(k -> "`" + k.label() + "`").toList());
    }
}
