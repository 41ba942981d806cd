package io.colabtop.app.tui;

import io.colabtop.app.tui.render.FleetRenderer;
import io.colabtop.app.tui.state.FleetView;
import io.colabtop.app.tui.render.HelpRenderer;
import io.colabtop.app.tui.render.HostDetailRenderer;
import io.colabtop.app.tui.render.Line;
import io.colabtop.app.tui.render.ScreenPainter;
import io.colabtop.app.tui.render.Style;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.Screen;
import io.colabtop.core.HostUpdate;
import io.colabtop.core.Thresholds;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The UI loop, one step at a time: take the updates collectors queued, handle keys, redraw when
 * something changed (or each second, so ages tick). Runs on one thread, which is the only writer
 * of {@link FleetView}; collectors only ever {@link #offer} updates. Tests drive {@link #step}
 * on a virtual terminal.
 */
public final class TuiSession implements io.colabtop.app.gce.GceDiscovery.Listener {
    private final Screen screen;
    private final FleetView view;
    private final InstantSource clock;
    private final Queue<HostUpdate> inbox = new ConcurrentLinkedQueue<>();
    private final FleetRenderer table;
    private final HostDetailRenderer detail;
    private final Runnable refreshNow;
    private final HostKeyTrust trust;
    private ActionDesk desk;
    private java.util.concurrent.Executor background = Runnable::run;
    /** Work finished off the UI thread, applied by it: the UI thread stays the only writer of the view. */
    private final Queue<java.util.function.Consumer<FleetView>> uiTasks = new ConcurrentLinkedQueue<>();
    private boolean dirty = true;
    private boolean resized;
    private boolean quit;
    private Instant lastDraw = Instant.EPOCH;
    private long frames;

    /** Records a key the user trusted (appends it to known_hosts) and reconnects that host. */
    public interface HostKeyTrust {
        void trust(String host, io.colabtop.ssh.HostKeyException key) throws IOException;
    }

    public TuiSession(Screen screen, List<String> hosts, Duration interval, InstantSource clock, Runnable refreshNow) {
        this(screen, hosts, interval, clock, refreshNow, (h, k) -> {
            throw new IOException("no known_hosts to write to");
        });
    }

    public TuiSession(Screen screen, List<String> hosts, Duration interval, InstantSource clock, Runnable refreshNow,
                      HostKeyTrust trust) {
        this.screen = screen;
        this.view = new FleetView(hosts, interval);
        this.clock = clock;
        this.table = new FleetRenderer(Thresholds.DEFAULT);
        this.detail = new HostDetailRenderer(Thresholds.DEFAULT);
        this.refreshNow = refreshNow;
        this.trust = trust;
    }

    /** Enables the rescue keys (w, p, m); planning and running happen on {@code background}. */
    public void enableActions(ActionDesk desk, java.util.concurrent.Executor background) {
        this.desk = desk;
        this.background = background;
    }

    private void post(java.util.function.Consumer<FleetView> task) {
        uiTasks.add(task);
    }

    /** Thread-safe: a discovery round's VMs and their costs (USD/h now), applied by the UI thread. */
    @Override
    public void offerVms(List<io.colabtop.core.cost.VmInfo> vms, java.util.Map<String, io.colabtop.core.cost.Money> costs,
                         String note) {
        post(v -> v.applyVms(vms, costs, note));
    }

    /** Thread-safe: a message for the status line. */
    public void offerMessage(String message) {
        post(v -> v.setMessage(message));
    }

    /** Thread-safe: called by collector threads. */
    public void offer(HostUpdate u) {
        inbox.add(u);
    }

    public FleetView view() {
        return view;
    }

    public boolean quit() {
        return quit;
    }

    public long frames() {
        return frames;
    }

    /** One turn of the loop. Returns whether it drew. */
    public boolean step() throws IOException {
        HostUpdate u;
        while ((u = inbox.poll()) != null) {
            view.apply(u);
            dirty = true;
        }
        java.util.function.Consumer<FleetView> task;
        while ((task = uiTasks.poll()) != null) {
            task.accept(view);
            dirty = true;
        }
        KeyStroke k;
        while (!quit && (k = screen.pollInput()) != null) {
            handle(k);
            dirty = true;
        }
        if (screen.doResizeIfNecessary() != null) {
            dirty = true;
            resized = true;
        }
        Instant now = clock.instant();
        if (!quit && (dirty || Duration.between(lastDraw, now).toMillis() >= 1000)) {
            draw(now);
            return true;
        }
        return false;
    }

    void draw(Instant now) throws IOException {
        TerminalSize size = screen.getTerminalSize();
        List<Line> lines = switch (view.mode()) {
            case TABLE -> table.render(view, size.getColumns(), size.getRows(), now);
            case DETAIL -> detail.render(view, size.getColumns(), size.getRows(), now);
            case HELP -> HelpRenderer.render(size.getColumns(), size.getRows());
        };
        FleetView.KeyQuestion q = view.keyQuestion();
        if (q != null && lines.size() >= 3) {
            lines = new java.util.ArrayList<>(lines);
            int cols = size.getColumns();
            lines.set(lines.size() - 3, Line.of(Line.fit(" Unknown host key for " + q.host() + " (" + q.key().knownHostsName()
                    + "): " + q.key().keyType() + " " + q.key().fingerprint(), cols), Style.WARNING));
            lines.set(lines.size() - 2, Line.of(Line.fit(" Compare it with the VM's own (ssh-keygen -lf /etc/ssh/ssh_host_"
                    + "*_key.pub, or the serial console). Trust it and add it to known_hosts?", cols), Style.WARNING));
            lines.set(lines.size() - 1, FleetRenderer.keys(cols, "y", "trust and connect", "n", "keep refusing"));
        }
        lines = overlay(lines, size.getColumns());
        screen.clear();
        ScreenPainter.paint(screen.newTextGraphics(), lines, size.getColumns());
        // after a resize the terminal's cells no longer match the screen's back buffer:
        // a delta refresh would leave parts of the old frame (seen: a blank left half)
        screen.refresh(resized ? Screen.RefreshType.COMPLETE : Screen.RefreshType.DELTA);
        resized = false;
        lastDraw = now;
        dirty = false;
        frames++;
    }

    /** Draws a plan dialog or an input prompt over the bottom of the screen. */
    private List<Line> overlay(List<Line> lines, int cols) {
        List<Line> box = new java.util.ArrayList<>();
        FleetView.PlanDialog d = view.planDialog();
        if (d != null) {
            io.colabtop.core.action.Action p = d.plan();
            Style st = p.dangerous() ? Style.CRITICAL : Style.WARNING;
            box.add(Line.of(Line.fit(" " + (p.dangerous() ? "DANGEROUS " : "") + p.name() + " on " + p.host() + ": this will run", cols), st));
            p.summary().forEach(l -> box.add(Line.of(Line.fit("   " + l, cols), Style.TEXT)));
            box.add(p.dangerous()
                    ? Line.of(Line.fit(" Type '" + p.confirmName() + "' to confirm, then Enter (Esc cancels): " + d.typed() + "_",
                    cols), st)
                    : FleetRenderer.keys(cols, "y", "run it", "n/Esc", "cancel"));
        }
        FleetView.InputPrompt in = view.input();
        if (in != null) {
            box.add(Line.of(Line.fit(" " + in.label() + ": " + in.text() + "_", cols), Style.WARNING));
            box.add(FleetRenderer.keys(cols, "Enter", "next", "Esc", "cancel"));
        }
        if (box.isEmpty()) {
            return lines;
        }
        List<Line> out = new java.util.ArrayList<>(lines);
        int start = Math.max(1, out.size() - box.size());
        for (int i = 0; i < box.size() && start + i < out.size(); i++) {
            out.set(start + i, box.get(i));
        }
        return out;
    }

    /** Keys while a dialog or prompt is open; returns whether the key was taken. */
    private boolean handleModal(KeyStroke k) {
        KeyType t = k.getKeyType();
        Character c = t == KeyType.Character ? k.getCharacter() : null;
        FleetView.InputPrompt in = view.input();
        if (in != null) {
            if (t == KeyType.Escape) {
                view.closeInput();
                view.setMessage("cancelled");
            } else if (t == KeyType.Backspace && in.text().length() > 0) {
                in.text().setLength(in.text().length() - 1);
            } else if (t == KeyType.Enter) {
                view.closeInput();
                try {
                    in.onEnter().accept(in.text().toString().strip());
                } catch (IllegalArgumentException e) {
                    view.setMessage(e.getMessage());
                }
            } else if (c != null && !Character.isISOControl(c) && in.text().length() < 300) {
                in.text().append(c);
            }
            return true;
        }
        FleetView.PlanDialog d = view.planDialog();
        if (d == null) {
            return false;
        }
        io.colabtop.core.action.Action plan = d.plan();
        if (t == KeyType.Escape || (!plan.dangerous() && c != null && (c == 'n' || c == 'N'))) {
            view.closePlan();
            view.setMessage(plan.name() + " on " + plan.host() + ": cancelled");
            background.execute(() -> {
                try {
                    desk.gate().declined(plan, "tui");
                } catch (IOException ignored) {
                    // the audit log is best effort for a no
                }
            });
        } else if (!plan.dangerous() && c != null && (c == 'y' || c == 'Y')) {
            view.closePlan();
            runPlan(plan, new io.colabtop.core.action.Confirmation.Answered("tui"));
        } else if (plan.dangerous() && t == KeyType.Enter) {
            String typed = d.typed().toString();
            view.closePlan();
            runPlan(plan, new io.colabtop.core.action.Confirmation.Typed("tui", typed));
        } else if (plan.dangerous() && t == KeyType.Backspace && d.typed().length() > 0) {
            d.typed().setLength(d.typed().length() - 1);
        } else if (plan.dangerous() && c != null && !Character.isISOControl(c)) {
            d.typed().append(c);
        }
        return true;
    }

    private void runPlan(io.colabtop.core.action.Action plan, io.colabtop.core.action.Confirmation confirmation) {
        view.actionStarted(plan.host(), plan.name());
        background.execute(() -> {
            long t0 = System.nanoTime();
            String outcome;
            try {
                io.colabtop.core.action.ShellResult r = desk.gate().run(plan, confirmation);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                outcome = r.ok() ? plan.name() + " done in " + ms + " ms: " + String.join("; ", r.results())
                        : plan.name() + " failed: " + r.error() + (r.results().contains("missing gcsfuse")
                        ? "; " + io.colabtop.app.action.RescuePlanner.GCSFUSE_INSTALL_HINT : "") + " (host left as it was)";
            } catch (Exception e) {
                outcome = plan.name() + " failed: " + io.colabtop.core.HostException.describe(e);
            }
            String o = outcome;
            post(v -> v.actionFinished(plan.host(), o));
            refreshNow.run();
            if (plan instanceof io.colabtop.core.action.VmPower) {
                desk.rediscover();
            }
        });
    }

    /** S: stop (or start) the selected host's VM, planned off the UI thread (it reads the VM from the API). */
    private void startVmStop() {
        String host = view.selectedHost();
        if (desk == null || host == null) {
            return;
        }
        io.colabtop.core.cost.VmInfo vm = view.vm(host);
        if (vm == null) {
            view.setMessage(host + " is not a GCE VM colabtop found (start with --project)");
            return;
        }
        // S stops a running VM and starts a stopped one: users stop and resume
        boolean stop = vm.billingCompute();
        if (!stop && !vm.status().equals("TERMINATED")) {
            view.setMessage(host + " is " + vm.status() + ": nothing to stop or start now");
            return;
        }
        view.setMessage("planning the " + (stop ? "stop" : "start") + " of " + host + "…");
        background.execute(() -> {
            try {
                io.colabtop.core.action.VmPower p = desk.vmPower(host, stop, status -> post(v -> v.vmStatus(host, status)));
                post(v -> {
                    if (p == null) {
                        v.setMessage("cannot stop " + host);
                    } else {
                        v.showPlan(p);
                    }
                });
            } catch (Exception e) {
                String why = io.colabtop.core.HostException.describe(e);
                post(v -> v.setMessage((stop ? "stop " : "start ") + host + ": " + why));
            }
        });
    }

    /** w, p, m: plan an action off the UI thread, then show it for confirmation. */
    private void startAction(char key) {
        String host = view.selectedHost();
        if (desk == null || host == null) {
            return;
        }
        io.colabtop.core.action.HostShell shell = desk.shellFor(host);
        if (shell == null) {
            view.setMessage("colabtop cannot act on " + host);
            return;
        }
        if (view.running(host) != null) {
            view.setMessage(view.running(host) + " is still running on " + host);
            return;
        }
        switch (key) {
            case 'w' -> {
                view.setMessage("planning swap on " + host + "…");
                background.execute(() -> {
                    try {
                        io.colabtop.core.action.HostScript plan = io.colabtop.app.action.RescuePlanner.swapOn(host, shell, 0,
                                io.colabtop.app.action.RescuePlanner.DEFAULT_SWAP, false, io.colabtop.app.action.RescuePlanner.FSTAB);
                        post(v -> v.showPlan(plan));
                    } catch (Exception e) {
                        String why = io.colabtop.core.HostException.describe(e);
                        post(v -> v.setMessage("swap on " + host + ": " + why));
                    }
                });
            }
            case 'p' -> {
                io.colabtop.core.ProcessInfo p = view.mode() == FleetView.Mode.DETAIL ? view.selectedProcess() : null;
                if (p == null) {
                    view.setMessage("open a host (Enter) and select a process to pin");
                    return;
                }
                view.showPlan(io.colabtop.app.action.RescuePlanner.pin(host, List.of(new io.colabtop.app.action.RescuePlanner.Found(
                        p.pid(), p.startTimeTicks(), p.displayCommand())), -1000, true));
            }
            case 'm' -> view.ask("gcsfuse: bucket to mount on " + host, "", bucket -> {
                io.colabtop.core.action.InputRules.bucket(bucket);
                view.ask("mount point for " + bucket, "/content/gcs", mp ->
                        view.showPlan(io.colabtop.app.action.RescuePlanner.mount(host, bucket, mp, List.of())));
            });
            default -> {
            }
        }
    }

    void handle(KeyStroke k) {
        if (view.keyQuestion() == null && handleModal(k)) {
            return;
        }
        if (view.keyQuestion() != null && !isQuit(k)) {
            Character c = k.getKeyType() == KeyType.Character ? k.getCharacter() : null;
            if (c != null && (c == 'y' || c == 'Y')) {
                FleetView.KeyQuestion q = view.answerKeyQuestion(true);
                try {
                    trust.trust(q.host(), q.key());
                    view.setMessage("trusted " + q.key().fingerprint() + " for " + q.host() + "; connecting…");
                } catch (IOException e) {
                    view.setMessage("could not record the key of " + q.host() + ": " + e.getMessage());
                }
            } else if ((c != null && (c == 'n' || c == 'N')) || k.getKeyType() == KeyType.Escape) {
                view.answerKeyQuestion(false);
            }
            return; // nothing else happens until the question is answered
        }
        if (view.mode() == FleetView.Mode.HELP) {
            if (isQuit(k)) {
                quit = true;
            } else {
                view.toggleHelp();
            }
            return;
        }
        if (isQuit(k)) {
            quit = true;
            return;
        }
        KeyType t = k.getKeyType();
        Character c = t == KeyType.Character ? k.getCharacter() : null;
        if (t == KeyType.ArrowDown || (c != null && c == 'j')) {
            view.moveSelection(1);
        } else if (t == KeyType.ArrowUp || (c != null && c == 'k')) {
            view.moveSelection(-1);
        } else if (t == KeyType.PageDown) {
            view.moveSelection(Math.max(1, screen.getTerminalSize().getRows() - 5));
        } else if (t == KeyType.PageUp) {
            view.moveSelection(-Math.max(1, screen.getTerminalSize().getRows() - 5));
        } else if (t == KeyType.Home || (c != null && c == 'g')) {
            view.moveSelection(-Integer.MAX_VALUE / 2);
        } else if (t == KeyType.End || (c != null && c == 'G')) {
            view.moveSelection(Integer.MAX_VALUE / 2);
        } else if (t == KeyType.Enter || (t == KeyType.ArrowRight && view.mode() == FleetView.Mode.TABLE)) {
            view.openDetail();
        } else if (t == KeyType.Escape || t == KeyType.Backspace || t == KeyType.ArrowLeft || (c != null && c == 'h')) {
            view.back();
        } else if (t == KeyType.F1 || (c != null && c == '?')) {
            view.toggleHelp();
        } else if (c != null && c == 's') {
            view.cycleSort();
        } else if (c != null && (c == 'w' || c == 'p' || c == 'm')) {
            startAction(c);
        } else if (c != null && c == 'S') {
            startVmStop();
        } else if (c != null && c == 'r') {
            refreshNow.run();
            view.setMessage("refreshing…");
        }
    }

    private static boolean isQuit(KeyStroke k) {
        if (k.getKeyType() == KeyType.F10 || k.getKeyType() == KeyType.EOF) {
            return true;
        }
        return k.getKeyType() == KeyType.Character
                && ((k.getCharacter() == 'q' && !k.isCtrlDown()) || (k.getCharacter() == 'c' && k.isCtrlDown()));
    }
}
