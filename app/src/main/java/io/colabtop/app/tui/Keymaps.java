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
                    "quit", "quit (Ctrl-C quits too, exit status 130)", TuiSession::exit, ch('q'), of(KeyType.F10))
            .hintedAs("q");
    private static final Binding HELP = Binding.of(
                    "help",
                    "help: every key, what the colours mean",
                    TuiSession::toggleHelp,
                    ch('h'),
                    ch('?'),
                    of(KeyType.F1))
            .hintedAs("h");
    private static final Binding REFRESH = Binding.quiet("refresh now", TuiSession::refresh, ch('r'));
    private static final Binding SWAP = Binding.of(
            "swap",
            "emergency swap on the host: 2x RAM at /swapfile, capped to keep the disk's reserve (the plan "
                    + "shows first; size and path can be changed there)",
            TuiSession::swap,
            ch('w'));
    private static final Binding MOUNT = Binding.quiet(
            "mount a Cloud Storage bucket with gcsfuse (asks for bucket and mount point)", TuiSession::mount, ch('m'));
    private static final Binding POWER = Binding.dangerous(
            "stop VM",
            "stop the selected GCE VM (type its name to confirm; the plan says what it saves per hour); on a "
                    + "stopped VM, start it",
            TuiSession::powerVm,
            ch('S'));
    private static final Binding AUTOSTOP = Binding.quiet(
            "autostop: the VM stops itself when a process exits (in a host view: the selected one), when no process "
                    + "matches a regex, or when idle; a watcher on the VM does it with colabtop closed; on an armed host: "
                    + "cancel or re-arm",
            TuiSession::autostop,
            ch('a'));
    private static final Binding CANCEL = Binding.quiet(
            "cancel the action running on the selected host (a swap file being made is removed)",
            TuiSession::cancelAction,
            ch('c'));
    private static final Binding FILTER =
            Binding.of("filter", "filter as you type (Enter keeps it, Esc clears it)", TuiSession::filter, ch('/'));
    private static final Binding SORT =
            Binding.of("sort", "next sort column (worst first)", TuiSession::cycleSort, ch('s'));
    private static final Binding SORT_LEFT =
            Binding.quiet("sort by the column to the left", s -> s.sortBy(-1), ch('<'));
    private static final Binding SORT_RIGHT =
            Binding.quiet("sort by the column to the right", s -> s.sortBy(1), ch('>'));
    private static final Binding INVERT = Binding.quiet("invert the sort", TuiSession::invertSort, ch('I'));
    private static final Binding LOG = Binding.of(
            "messages", "the last messages and action results in full, scrollable", TuiSession::messageLog, ch('l'));
    private static final Binding REPAINT = Binding.quiet("draw the whole screen again", TuiSession::repaint, ctrl('l'));
    private static final Binding SUSPEND =
            Binding.quiet("back to the shell (fg returns)", TuiSession::suspend, ctrl('z'));
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
                            "host view: processes by oom_score (next victim first), swaps, GPUs; a double click too",
                            TuiSession::openDetail,
                            of(KeyType.Enter),
                            of(KeyType.ArrowRight))
                    .hintedAs("Enter"),
            Binding.of(
                            "select",
                            "select the host above (the wheel and a click too)",
                            s -> s.move(-1),
                            of(KeyType.ArrowUp),
                            ch('k'))
                    .hintedAs("↑↓"),
            Binding.quiet("select the host below", s -> s.move(1), of(KeyType.ArrowDown), ch('j')),
            PAGE_UP,
            PAGE_DOWN,
            TOP,
            BOTTOM,
            FILTER,
            SORT,
            SORT_LEFT,
            SORT_RIGHT,
            INVERT,
            SWAP,
            MOUNT,
            POWER,
            AUTOSTOP,
            CANCEL,
            LOG,
            REFRESH,
            REPAINT,
            SUSPEND,
            HELP,
            QUIT);

    /** One host in full. k is kill there, as in htop: the arrows move. */
    public static final List<Binding> DETAIL = List.of(
            Binding.of(
                            "back",
                            "back to the table",
                            TuiSession::back,
                            of(KeyType.Escape),
                            of(KeyType.ArrowLeft),
                            of(KeyType.Backspace))
                    .hintedAs("Esc"),
            Binding.of("select", "select the process above", s -> s.move(-1), of(KeyType.ArrowUp))
                    .hintedAs("↑↓"),
            Binding.quiet("select the process below", s -> s.move(1), of(KeyType.ArrowDown), ch('j')),
            PAGE_UP,
            PAGE_DOWN,
            TOP,
            BOTTOM,
            FILTER,
            Binding.of(
                    "tree", "processes as a tree: a trainer over its data-loader workers", TuiSession::tree, ch('t')),
            SORT,
            SORT_LEFT,
            SORT_RIGHT,
            INVERT,
            Binding.of(
                    "protect (OOM)",
                    "protect the selected process and its children from both OOM killers (oom_score_adj -1000, "
                            + "and out of systemd-oomd's reach where it runs)",
                    TuiSession::pin,
                    ch('p')),
            Binding.of(
                    "kill",
                    "send the selected process a signal (TERM, INT, HUP, KILL, STOP, CONT), "
                            + "checked against its start time",
                    TuiSession::signal,
                    ch('k'),
                    of(KeyType.F9)),
            SWAP,
            MOUNT,
            POWER,
            AUTOSTOP,
            CANCEL,
            LOG,
            REFRESH,
            REPAINT,
            SUSPEND,
            HELP,
            QUIT);

    /** The help screen: it scrolls; q quits; any other key closes it. */
    public static final List<Binding> HELP_SCREEN = List.of(
            Binding.quiet("scroll help up", s -> s.scrollHelp(-1), of(KeyType.ArrowUp), ch('k')),
            Binding.quiet("scroll help down", s -> s.scrollHelp(1), of(KeyType.ArrowDown), ch('j')),
            Binding.quiet("scroll help a page up", s -> s.scrollHelp(-s.page()), of(KeyType.PageUp)),
            Binding.quiet("scroll help a page down", s -> s.scrollHelp(s.page()), of(KeyType.PageDown)),
            Binding.quiet("quit", TuiSession::exit, ch('q')));

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
