package io.colabtop.app.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.Screen;
import io.colabtop.app.gce.GceDiscovery;
import io.colabtop.app.tui.dialog.Dialog;
import io.colabtop.app.tui.dialog.DialogContext;
import io.colabtop.app.tui.dialog.HostKeyDialog;
import io.colabtop.app.tui.render.FleetRenderer;
import io.colabtop.app.tui.render.HelpRenderer;
import io.colabtop.app.tui.render.HostDetailRenderer;
import io.colabtop.app.tui.render.Line;
import io.colabtop.app.tui.render.ScreenPainter;
import io.colabtop.app.tui.state.FleetView;
import io.colabtop.app.tui.state.HostTable;
import io.colabtop.core.HostUpdate;
import io.colabtop.core.Thresholds;
import io.colabtop.core.action.Action;
import io.colabtop.core.action.Confirmation;
import io.colabtop.core.cost.Money;
import io.colabtop.core.cost.VmInfo;
import io.colabtop.ssh.HostKeyException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The UI thread's loop: it takes events from one queue (keys, poll outcomes, finished work), routes
 * a key to the dialog on top or to the current screen's keymap, and redraws when something changed
 * (or each second, so ages tick). It is the only writer of {@link FleetView}; everything else only
 * enqueues. Tests drive {@link #step} on a virtual terminal; the real terminal uses {@link #runUntilQuit}.
 */
public final class TuiSession implements GceDiscovery.Listener, DialogContext {
    private final Screen screen;
    private final FleetView view;
    private final InstantSource clock;
    private final BlockingQueue<UiEvent> events = new LinkedBlockingQueue<>();
    private final Deque<Dialog> dialogs = new ArrayDeque<>();
    private final Set<String> declinedKeys = new HashSet<>();
    private final FleetRenderer table = new FleetRenderer(Thresholds.DEFAULT);
    private final HostDetailRenderer detail = new HostDetailRenderer(Thresholds.DEFAULT);
    private final Runnable refreshNow;
    private final HostKeyTrust trust;
    private ActionFlow actions;
    private boolean dirty = true;
    private boolean resized;
    private volatile boolean quit;
    private int exitCode;
    private boolean mono;
    private boolean ascii;
    private Runnable suspender = () -> {};
    private List<Line> lastFrame = List.of();
    private String lastClickRef;
    private Instant lastClickAt = Instant.EPOCH;
    private Instant lastDraw = Instant.EPOCH;
    private long frames;

    /** Records a key the user trusted (appends it to known_hosts) and reconnects that host. */
    public interface HostKeyTrust {
        void trust(String host, HostKeyException key) throws IOException;
    }

    public TuiSession(Screen screen, List<String> hosts, Duration interval, InstantSource clock, Runnable refreshNow) {
        this(screen, hosts, interval, clock, refreshNow, (h, k) -> {
            throw new IOException("no known_hosts to write to");
        });
    }

    public TuiSession(
            Screen screen,
            List<String> hosts,
            Duration interval,
            InstantSource clock,
            Runnable refreshNow,
            HostKeyTrust trust) {
        this.screen = screen;
        this.view = new FleetView(hosts, interval);
        this.clock = clock;
        this.refreshNow = refreshNow;
        this.trust = trust;
    }

    /** No colours (NO_COLOR, --mono): severity shows as bold, underline and reverse. */
    public void mono(boolean on) {
        mono = on;
        dirty = true;
    }

    /** ASCII only (a C/POSIX locale, --ascii): graphs and marks are drawn with ASCII look-alikes. */
    public void ascii(boolean on) {
        ascii = on;
        dirty = true;
    }

    /**
     * What Ctrl-Z does: the real terminal restores the shell's terminal and stops the process; when
     * {@code fg} continues it, the session repaints everything.
     */
    public void onSuspend(Runnable suspender) {
        this.suspender = suspender;
    }

    /** 130 after Ctrl-C (128 + SIGINT, as a shell reports it), else 0. */
    public int exitCode() {
        return exitCode;
    }

    /** Enables the action keys (w, p, m, S, a); planning and running happen on {@code background}. */
    public void enableActions(ActionDesk desk, Executor background) {
        this.actions = new ActionFlow(desk, background, this::post, this::open, refreshNow, clock);
        actions.autostopWatch(autostopWatch);
    }

    private io.colabtop.app.fleet.AutostopWatch autostopWatch;

    /**
     * Reads autostop back from each host as it connects (and keeps the --from-here watches); what
     * it finds comes through {@link #post}.
     */
    public void enableAutostop(io.colabtop.app.fleet.AutostopWatch watch) {
        this.autostopWatch = watch;
        if (actions != null) {
            actions.autostopWatch(watch);
        }
    }

    // ---- what other threads may call: they only enqueue

    /** Thread-safe: a poll's outcome. */
    public void offer(HostUpdate u) {
        events.add(new UiEvent.Update(u));
        io.colabtop.app.fleet.AutostopWatch w = autostopWatch;
        if (w != null) {
            w.seen(u); // a host that connects is asked what autostop it has armed
        }
    }

    /** Thread-safe: a change of state worked out elsewhere, applied by the UI thread. */
    public void post(Consumer<FleetView> change) {
        events.add(new UiEvent.Task(change));
    }

    /** Thread-safe: a discovery round's VMs and what each bills per hour now. */
    public void offerVms(List<VmInfo> vms, Map<String, Money> costs, String note) {
        post(v -> {
            vms.forEach(vm -> v.hosts().add(vm.hostName()));
            v.vms().apply(vms, costs, note);
        });
    }

    /** Thread-safe: a discovery round's VMs, what each bills and what of it has no price. */
    @Override
    public void offerPricedVms(List<VmInfo> vms, Map<String, io.colabtop.core.cost.VmCost> costs, String note) {
        post(v -> {
            vms.forEach(vm -> v.hosts().add(vm.hostName()));
            v.vms().applyPriced(vms, costs, note);
        });
    }

    /** Thread-safe: a message for the status line. */
    public void offerMessage(String message) {
        post(v -> v.setMessage(message));
    }

    /** Thread-safe: a key read from the terminal. */
    public void offerKey(KeyStroke k) {
        events.add(new UiEvent.Key(k));
    }

    /** Thread-safe: the terminal changed size. */
    public void resized() {
        events.add(new UiEvent.Resized());
    }

    // ---- the loop

    public FleetView view() {
        return view;
    }

    public boolean quit() {
        return quit;
    }

    public long frames() {
        return frames;
    }

    /** The dialog on top, or null. */
    public Dialog dialog() {
        return dialogs.peekFirst();
    }

    /**
     * Hosts answer a tick a few milliseconds apart: drawing on each answer drew N frames a tick (at
     * 100 hosts most of colabtop's CPU). Updates wait for the next frame at most this long, so a
     * tick's answers share one frame; keys draw at once.
     */
    static final long UPDATE_FRAME_MILLIS = 200;

    /**
     * Until q: waits for the next event (or the next second, so ages tick), applies it and all that
     * queued behind it, and draws: at once after a key, within {@link #UPDATE_FRAME_MILLIS} after
     * host updates (so a tick's answers share a frame). No polling sleep.
     */
    public void runUntilQuit() throws IOException, InterruptedException {
        draw(clock.instant());
        while (!quit) {
            long sinceDraw = Duration.between(lastDraw, clock.instant()).toMillis();
            // updates not drawn yet wait for their shared frame; otherwise the next second's ages
            long wait = dirty ? UPDATE_FRAME_MILLIS - sinceDraw : 1000 - sinceDraw;
            UiEvent e = events.poll(Math.max(1, wait), TimeUnit.MILLISECONDS);
            boolean keyed = false;
            if (e != null) {
                keyed = !(e instanceof UiEvent.Update);
                apply(e);
            }
            keyed |= drain();
            if (quit) {
                break;
            }
            sinceDraw = Duration.between(lastDraw, clock.instant()).toMillis();
            if (keyed || sinceDraw >= 1000 || (dirty && sinceDraw >= UPDATE_FRAME_MILLIS)) {
                draw(clock.instant());
            }
        }
    }

    /** One turn for tests: reads the keys the terminal has, applies everything queued, draws if due. Returns whether it drew. */
    public boolean step() throws IOException {
        KeyStroke k;
        while ((k = screen.pollInput()) != null) {
            offerKey(k);
        }
        drain();
        if (screen.doResizeIfNecessary() != null) {
            dirty = true;
            resized = true;
        }
        return redrawIfDue();
    }

    /** Applies everything queued; true when any of it was not a host update (a key, a task). */
    private boolean drain() throws IOException {
        boolean notUpdate = false;
        UiEvent e;
        while (!quit && (e = events.poll()) != null) {
            notUpdate |= !(e instanceof UiEvent.Update);
            apply(e);
        }
        return notUpdate;
    }

    private boolean redrawIfDue() throws IOException {
        Instant now = clock.instant();
        if (!quit && (dirty || Duration.between(lastDraw, now).toMillis() >= 1000)) {
            draw(now);
            return true;
        }
        return false;
    }

    private void apply(UiEvent e) throws IOException {
        dirty = true;
        if (e instanceof UiEvent.Key k) {
            handle(k.key());
        } else if (e instanceof UiEvent.Update u) {
            update(u.update());
        } else if (e instanceof UiEvent.Task t) {
            t.change().accept(view);
        } else if (e instanceof UiEvent.Resized) {
            if (screen.doResizeIfNecessary() != null) {
                resized = true;
            }
        }
    }

    /** An unknown host key opens a question (once per host; never again after a no); other updates just apply. */
    private void update(HostUpdate update) {
        HostUpdate u = update;
        if (u.cause() instanceof HostKeyException k
                && k.kind() == HostKeyException.Kind.UNKNOWN
                && view.hosts().get(u.host()) != null) {
            if (declinedKeys.contains(u.host() + " " + k.fingerprint())) {
                u = HostUpdate.failed(u.host(), "host key " + k.fingerprint() + " not trusted (declined)", k, u.at());
            } else if (dialogs.stream()
                    .noneMatch(d -> d instanceof HostKeyDialog q && q.host().equals(update.host()))) {
                dialogs.addLast(new HostKeyDialog(u.host(), k)); // questions queue behind what is open
            }
        }
        view.apply(u);
    }

    void draw(Instant now) throws IOException {
        TerminalSize size = screen.getTerminalSize();
        int cols = size.getColumns();
        int rows = size.getRows();
        List<Line> lines = switch (view.mode()) {
            case TABLE -> table.render(view, Keymaps.hints(Keymaps.TABLE), cols, rows, now);
            case DETAIL -> detail.render(view, Keymaps.hints(Keymaps.DETAIL), cols, rows, now);
            case HELP -> HelpRenderer.render(Keymaps.help(), cols, rows, view.helpTop());
        };
        Dialog d = dialog();
        if (d != null) {
            lines = overlay(lines, d.lines(cols));
        }
        lastFrame = lines;
        screen.clear();
        ScreenPainter.paint(screen.newTextGraphics(), lines, cols, mono, ascii);
        // after a resize the terminal's cells no longer match the screen's back buffer:
        // a delta refresh would leave parts of the old frame (seen: a blank left half)
        screen.refresh(resized ? Screen.RefreshType.COMPLETE : Screen.RefreshType.DELTA);
        resized = false;
        lastDraw = now;
        dirty = false;
        frames++;
    }

    /** Draws a dialog's rows over the bottom of the screen (the title row stays). */
    private static List<Line> overlay(List<Line> lines, List<Line> box) {
        List<Line> out = new ArrayList<>(lines);
        int start = Math.max(1, out.size() - box.size());
        for (int i = 0; i < box.size() && start + i < out.size(); i++) {
            out.set(start + i, box.get(i));
        }
        return out;
    }

    /** A key: Ctrl-C and F10 quit from anywhere; else the dialog on top takes it, else the screen's keymap. */
    void handle(KeyStroke k) {
        if (k.getKeyType() == KeyType.Character && k.isCtrlDown() && k.getCharacter() == 'c') {
            exitCode = 130;
            quit = true;
            return;
        }
        if (k.getKeyType() == KeyType.EOF || k.getKeyType() == KeyType.F10) {
            quit = true;
            return;
        }
        if (k instanceof com.googlecode.lanterna.input.MouseAction m) {
            mouse(m);
            return;
        }
        Dialog d = dialog();
        if (d != null) {
            if (d.handle(k, this)) {
                dialogs.remove(d); // by identity: its answer may have opened the next one
            }
            return;
        }
        if (view.mode() == FleetView.Mode.HELP) {
            Binding b = Keymaps.find(Keymaps.HELP_SCREEN, k);
            if (b != null) {
                b.action().accept(this);
            } else {
                view.toggleHelp(); // any other key closes it
            }
            return;
        }
        Binding b = Keymaps.find(view.mode() == FleetView.Mode.DETAIL ? Keymaps.DETAIL : Keymaps.TABLE, k);
        if (b != null) {
            b.action().accept(this);
        }
    }

    // ---- what keys do (the keymaps name these)

    void exit() {
        quit = true;
    }

    void toggleHelp() {
        view.toggleHelp();
    }

    void openDetail() {
        view.openDetail();
    }

    void back() {
        view.back();
    }

    void cycleSort() {
        sortBy(1);
    }

    /** {@code <} and {@code >}: the sort moves a column left or right (htop's keys). */
    void sortBy(int step) {
        HostTable t = view.hosts();
        if (view.mode() == FleetView.Mode.DETAIL) {
            t.sortProcessesBy(
                    step > 0 ? t.processSort().next() : t.processSort().previous());
            view.setMessage("processes sorted by " + t.processSort().label());
        } else {
            t.sortBy(step > 0 ? t.sort().next() : t.sort().previous());
            view.setMessage("sorted by " + t.sort().label());
        }
    }

    /** {@code I}: inverts the sort (htop's key). */
    void invertSort() {
        HostTable t = view.hosts();
        if (view.mode() == FleetView.Mode.DETAIL) {
            t.invertProcesses();
            view.setMessage(
                    "processes sorted by " + t.processSort().label() + (t.processInverted() ? ", inverted" : ""));
        } else {
            t.invert();
            view.setMessage("sorted by " + t.sort().label() + (t.inverted() ? ", inverted" : ""));
        }
    }

    /** {@code /}: filters hosts (table) or processes (host view) as you type; Esc clears. */
    void filter() {
        HostTable t = view.hosts();
        if (view.mode() == FleetView.Mode.DETAIL) {
            open(new io.colabtop.app.tui.dialog.FilterDialog("processes", t.processFilter(), t::setProcessFilter));
        } else {
            open(new io.colabtop.app.tui.dialog.FilterDialog(
                    "hosts", t.filter(), f -> view.setHostFilter(f, clock.instant())));
        }
    }

    /** {@code t}: the host view's processes as a tree, a trainer over its data-loader workers. */
    void tree() {
        view.hosts().toggleTree();
        view.setMessage(view.hosts().tree() ? "tree view: children under their parent" : "list view");
    }

    /** {@code l}: every recent message and action result in full, scrollable. */
    void messageLog() {
        open(new io.colabtop.app.tui.dialog.MessageLogDialog(
                view.messageLog(), Math.max(3, screen.getTerminalSize().getRows() / 2)));
    }

    /** Scrolls the help screen. */
    void scrollHelp(int delta) {
        view.scrollHelp(delta);
    }

    /** Ctrl-L: draws everything again, as after a resize (a terminal garbled by another program's output). */
    void repaint() {
        resized = true;
        dirty = true;
    }

    /** Ctrl-Z: back to the shell; {@code fg} repaints. */
    void suspend() {
        suspender.run();
        repaint();
    }

    /** k or F9 in a host view: choose a signal for the selected process, then its plan. */
    void signal() {
        io.colabtop.core.ProcessInfo p = view.hosts().selectedProcess();
        if (p == null) {
            view.setMessage("select a process first");
            return;
        }
        open(new io.colabtop.app.tui.dialog.ChoiceDialog(
                "signal for pid " + p.pid() + " (" + io.colabtop.core.SafeText.clip(p.displayCommand(), 60) + ")",
                io.colabtop.ssh.HostScripts.SIGNALS,
                sig -> withActions(a -> a.signal(view, p, sig))));
    }

    /** A click selects the row under it, a second click on it opens it, the wheel scrolls. */
    private void mouse(com.googlecode.lanterna.input.MouseAction m) {
        switch (m.getActionType()) {
            case SCROLL_UP -> move(-3);
            case SCROLL_DOWN -> move(3);
            case CLICK_DOWN -> {
                int row = m.getPosition().getRow();
                String ref =
                        row >= 0 && row < lastFrame.size() ? lastFrame.get(row).ref() : null;
                if (ref == null) {
                    return;
                }
                Instant now = clock.instant();
                boolean twice = ref.equals(lastClickRef)
                        && Duration.between(lastClickAt, now).toMillis() < 500;
                lastClickRef = ref;
                lastClickAt = now;
                if (ref.startsWith("pid:")) {
                    List<HostTable.ProcessRow> rows = view.hosts().processRows();
                    for (int i = 0; i < rows.size(); i++) {
                        if (("pid:" + rows.get(i).process().pid()).equals(ref)) {
                            view.hosts().selectProcess(i);
                        }
                    }
                } else {
                    view.hosts().select(ref);
                    if (twice) {
                        view.openDetail();
                    }
                }
            }
            default -> {}
        }
    }

    void refresh() {
        refreshNow.run();
        view.setMessage("refreshing…");
    }

    /** Moves the selection: hosts in the table, processes in a host view. */
    void move(int delta) {
        view.move(delta, clock.instant());
    }

    /** Rows in a page of the current screen. */
    int page() {
        return Math.max(1, screen.getTerminalSize().getRows() - 5);
    }

    void swap() {
        if (noHost()) {
            return;
        }
        withActions(a -> a.swap(view));
    }

    void pin() {
        if (noHost()) {
            return;
        }
        withActions(a -> a.pin(view));
    }

    void mount() {
        if (noHost()) {
            return;
        }
        withActions(a -> a.mount(view));
    }

    /** a: autostop on the selected host (in a host view, when the selected process exits). */
    void autostop() {
        if (noHost()) {
            return;
        }
        withActions(a -> a.autostop(view));
    }

    void cancelAction() {
        withActions(a -> a.cancel(view));
    }

    void powerVm() {
        if (noHost()) {
            return;
        }
        withActions(a -> a.power(view));
    }

    /** Says so when no host is selected (a filter matches none): the key does nothing else. */
    private boolean noHost() {
        if (view.hosts().selected() != null) {
            return false;
        }
        view.setMessage(
                "no host selected" + (view.hosts().filter().isEmpty() ? "" : " (/ then Esc clears the filter)"));
        return true;
    }

    private void withActions(Consumer<ActionFlow> a) {
        if (actions == null) {
            view.setMessage("actions are not available in this view");
        } else {
            a.accept(actions);
        }
    }

    // ---- DialogContext: what an answered dialog does

    @Override
    public void open(Dialog next) {
        dialogs.addFirst(next);
    }

    @Override
    public void run(Action plan, Confirmation confirmation) {
        withActions(a -> a.run(view, plan, confirmation));
    }

    @Override
    public void declined(Action plan) {
        withActions(a -> a.declined(view, plan));
    }

    @Override
    public void trust(String host, HostKeyException key) {
        try {
            trust.trust(host, key);
            view.setMessage("trusted " + key.fingerprint() + " for " + host + "; connecting…");
        } catch (IOException e) {
            view.setMessage("could not record the key of " + host + ": " + io.colabtop.core.HostException.describe(e));
        }
    }

    @Override
    public void distrust(String host, HostKeyException key) {
        declinedKeys.add(host + " " + key.fingerprint());
        view.setMessage("not trusting the key of " + host + "; it stays down");
    }

    @Override
    public void message(String text) {
        view.setMessage(text);
    }
}
