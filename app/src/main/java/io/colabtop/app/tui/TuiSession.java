package io.colabtop.app.tui;

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
public final class TuiSession {
    private final Screen screen;
    private final FleetView view;
    private final InstantSource clock;
    private final Queue<HostUpdate> inbox = new ConcurrentLinkedQueue<>();
    private final FleetRenderer table;
    private final HostDetailRenderer detail;
    private final Runnable refreshNow;
    private final HostKeyTrust trust;
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

    void handle(KeyStroke k) {
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
