package io.colabtop.app.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.screen.Screen;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.DefaultTerminalFactory;
import com.googlecode.lanterna.terminal.Terminal;
import io.colabtop.app.action.ActionGate;
import io.colabtop.app.action.AuditLog;
import io.colabtop.app.action.AutostopPlanner;
import io.colabtop.app.config.AppPaths;
import io.colabtop.app.fleet.AutostopWatch;
import io.colabtop.app.fleet.Fleet;
import io.colabtop.app.fleet.FleetPoller;
import io.colabtop.app.fleet.FootprintMeter;
import io.colabtop.app.fleet.Hosts;
import io.colabtop.app.fleet.Scheduler;
import io.colabtop.app.gce.GceDiscovery;
import io.colabtop.app.guard.SwapGuard;
import io.colabtop.app.tui.state.ActionLog;
import io.colabtop.core.HostSource;
import io.colabtop.core.action.HostShell;
import io.colabtop.core.action.VmPower;
import io.colabtop.core.cost.Fx;
import io.colabtop.ssh.ConfigWarnings;
import io.colabtop.ssh.HostScripts.AutostopPlace;
import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The full-screen fleet table on the real terminal: wires the fleet, the poller, discovery and
 * the action gate to a {@link TuiSession}, and feeds the session's queue from a thread that reads
 * keys and a listener that hears resizes.
 */
public final class TuiApp {
    private final Fleet fleet;
    private final FleetPoller poller;
    private final Duration interval;
    private final InstantSource clock;
    private final GceDiscovery discovery;
    private final Fx fx;
    private final Duration idleAfter;
    private ConfigWarnings warnings;
    private boolean mono;
    private boolean ascii;
    private Duration guardThreshold;

    public TuiApp(
            Fleet fleet,
            FleetPoller poller,
            Duration interval,
            InstantSource clock,
            GceDiscovery discovery,
            Fx fx,
            Duration idleAfter) {
        this.fleet = fleet;
        this.poller = poller;
        this.interval = interval;
        this.clock = clock;
        this.discovery = discovery;
        this.fx = fx;
        this.idleAfter = idleAfter;
    }

    /** No colours: --mono, or NO_COLOR set (https://no-color.org). */
    public TuiApp mono(boolean on) {
        this.mono = on;
        return this;
    }

    /** ASCII only: graphs and marks drawn with ASCII look-alikes (--ascii, or a locale that is not UTF-8). */
    public TuiApp ascii(boolean on) {
        this.ascii = on;
        return this;
    }

    /**
     * Whether the terminal takes UTF-8, judged as htop and less do, by the locale: the first of
     * LC_ALL, LC_CTYPE and LANG that is set names the character set ({@code en_US.UTF-8},
     * {@code C.utf8}); none set is the C locale, ASCII.
     */
    public static boolean unicodeLocale(java.util.Map<String, String> env) {
        for (String k : List.of("LC_ALL", "LC_CTYPE", "LANG")) {
            String v = env.get(k);
            if (v != null && !v.isEmpty()) {
                String l = v.toLowerCase(java.util.Locale.ROOT);
                return l.contains("utf-8") || l.contains("utf8");
            }
        }
        return false;
    }

    /** Warnings about ssh_config / known_hosts, shown on the message line as they come. */
    public TuiApp warnings(ConfigWarnings w) {
        this.warnings = w;
        return this;
    }

    /** Turns on the swap guard ({@code --guard swap}) with this threshold; null leaves it off. */
    public TuiApp guard(Duration threshold) {
        this.guardThreshold = threshold;
        return this;
    }

    /** @return the exit code; 3 when there is no terminal to draw on */
    public int run() throws IOException, InterruptedException {
        if ("dumb".equals(System.getenv("TERM"))) {
            return plain(); // a dumb terminal cannot move its cursor: tables one after another, no escapes
        }
        Terminal terminal;
        try {
            // UTF-8 whatever Java's default charset is (Java 17 takes ASCII from a C locale and would
            // print the graphs as '?'); in ASCII mode the painter sends nothing else anyway
            terminal = new DefaultTerminalFactory(System.out, System.in, java.nio.charset.StandardCharsets.UTF_8)
                    .setForceTextTerminal(true)
                    // Ctrl-C and Ctrl-Z reach the session as keys: it restores the terminal before it quits or stops
                    .setUnixTerminalCtrlCBehaviour(
                            com.googlecode.lanterna.terminal.ansi.UnixLikeTerminal.CtrlCBehaviour.TRAP)
                    .setMouseCaptureMode(com.googlecode.lanterna.terminal.MouseCaptureMode.CLICK_RELEASE)
                    .createTerminal();
        } catch (IOException e) {
            System.err.println("colabtop: cannot open the terminal (" + e.getMessage()
                    + "); use 'colabtop status' for a one-shot table without a terminal");
            return 3;
        }
        Screen screen = new TerminalScreen(terminal);
        screen.startScreen();
        screen.setCursorPosition(null);
        ExecutorService actions = Executors.newFixedThreadPool(4, daemon("colabtop-action"));
        Scheduler own = Scheduler.system("colabtop-self");
        ExecutorService autostopReads = Executors.newFixedThreadPool(2, daemon("colabtop-autostop"));
        try {
            TuiSession[] session = new TuiSession[1];
            session[0] = new TuiSession(
                    screen,
                    poller.sources().stream().map(HostSource::name).toList(),
                    interval,
                    clock,
                    () -> poller.sources().forEach(src -> poller.pollNow(src.name(), session[0]::offer)),
                    (host, key) -> {
                        HostSource src = source(host);
                        if (src == null) {
                            throw new IOException("no host named " + host);
                        }
                        Hosts.trust(src, key);
                        poller.pollNow(host, session[0]::offer);
                    });
            ActionGate gate =
                    new ActionGate(new AuditLog(AppPaths.fromEnvironment().auditFile()), clock, this::shellFor);
            session[0].enableActions(
                    new ActionDesk() {
                        @Override
                        public HostShell shellFor(String host) {
                            return TuiApp.this.shellFor(host);
                        }

                        @Override
                        public ActionGate gate() {
                            return gate;
                        }

                        @Override
                        public VmPower vmPower(String host, boolean stop, Consumer<String> progress) throws Exception {
                            return discovery == null ? null : discovery.vmPower(host, stop, progress);
                        }

                        @Override
                        public void rediscover() {
                            if (discovery != null) {
                                discovery.rediscover();
                            }
                        }

                        @Override
                        public AutostopPlanner.Billing billing(String host) {
                            io.colabtop.core.cost.CostModel.Cost c = discovery == null ? null : discovery.hourly(host);
                            return c == null
                                    ? null
                                    : new AutostopPlanner.Billing(
                                            discovery.vmName(host), c, fx, discovery.pricesLabel());
                        }
                    },
                    actions);
            // what autostop each host has armed: read when it connects and every minute, on the
            // scheduler; reads run on a pool of their own, so an action never waits for one
            AutostopPlace place = AutostopPlace.DEFAULT;
            AutostopWatch autostops = new AutostopWatch(
                    own,
                    clock,
                    autostopReads,
                    Duration.ofMinutes(1),
                    (host, now) -> {
                        HostShell sh = shellFor(host);
                        return sh == null ? null : AutostopPlanner.status(sh, place, now);
                    },
                    (host, trigger) -> {
                        HostShell sh = shellFor(host);
                        if (sh == null) {
                            throw new io.colabtop.core.HostException("colabtop cannot read " + host);
                        }
                        return sh.runAsUser(
                                io.colabtop.ssh.HostScripts.autostopCheck(trigger, place), Duration.ofSeconds(30));
                    },
                    (host, state) -> {
                        session[0].post(v -> v.autostops().set(host, state));
                        if (state.fired() != null || state.lastLog() != null) {
                            try {
                                AutostopPlanner.recordFired(gate.audit(), host, state, clock);
                            } catch (IOException e) {
                                session[0].offerMessage(
                                        "the audit log could not record that autostop fired on " + host);
                            }
                        }
                    });
            session[0].enableAutostop(autostops);
            autostops.start();
            session[0].view().vms().setMoney(fx, idleAfter);
            session[0].mono(mono
                    || (System.getenv("NO_COLOR") != null
                            && !System.getenv("NO_COLOR").isEmpty()));
            session[0].ascii(ascii);
            session[0].onSuspend(() -> suspend(screen));
            if (warnings != null) {
                warnings.listen(w -> session[0].offerMessage("warning: " + w));
            }
            terminal.addResizeListener((t, size) -> session[0].resized());
            Thread keys = new Thread(
                    () -> {
                        try {
                            while (!session[0].quit()) {
                                KeyStroke k = screen.readInput();
                                if (k != null) {
                                    session[0].offerKey(k);
                                }
                            }
                        } catch (IOException | RuntimeException closed) {
                            // the terminal went away: the loop ends on its own or with the screen
                        }
                    },
                    "colabtop-keys");
            keys.setDaemon(true);
            keys.start();
            FootprintMeter meter = new FootprintMeter();
            own.every(
                    () -> {
                        io.colabtop.core.Footprint f = meter.read();
                        if (f != null) {
                            session[0].post(v -> v.setOwn(f));
                        }
                    },
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(5));
            poller.start(interval, guarded(gate, actions, session[0]));
            if (discovery != null) {
                discovery.start(session[0]); // after the first frame: creating the client takes about a second
            }
            session[0].runUntilQuit(); // draws the first frame before any host answers
            return session[0].exitCode();
        } finally {
            own.close();
            actions.shutdownNow();
            autostopReads.shutdownNow();
            screen.stopScreen();
        }
    }

    /**
     * Ctrl-Z: gives the terminal back to the shell and stops this process as the shell's own Ctrl-Z
     * would; when {@code fg} continues it, the screen is taken again and drawn whole.
     */
    private static void suspend(Screen screen) {
        try {
            screen.stopScreen();
            System.out.flush();
            new ProcessBuilder(
                            "kill",
                            "-STOP",
                            Long.toString(ProcessHandle.current().pid()))
                    .inheritIO()
                    .start()
                    .waitFor();
            // stopped here until the shell's fg sends SIGCONT
            screen.startScreen();
            screen.setCursorPosition(null);
        } catch (IOException e) {
            java.util.logging.Logger.getLogger("colabtop").warning("suspend failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** For TERM=dumb: the status table every interval, plain text, until interrupted. */
    private int plain() throws InterruptedException {
        java.util.concurrent.ConcurrentHashMap<String, io.colabtop.core.HostState> states =
                new java.util.concurrent.ConcurrentHashMap<>();
        poller.sources().forEach(s -> states.put(s.name(), io.colabtop.core.HostState.pending(s.name())));
        poller.start(
                interval,
                u -> states.compute(
                        u.host(), (k, v) -> u.applyTo(v == null ? io.colabtop.core.HostState.pending(k) : v)));
        while (true) {
            Thread.sleep(interval.toMillis());
            List<io.colabtop.core.HostState> rows = new java.util.ArrayList<>(states.values());
            rows.sort(java.util.Comparator.comparing(io.colabtop.core.HostState::name));
            System.out.print("--- " + java.time.LocalTime.now().withNano(0) + "\n"
                    + io.colabtop.app.output.StatusTable.write(rows, 5));
            System.out.flush();
        }
    }

    /** The session's sink, seen first by the swap guard when it is on; what the guard does is posted loudly. */
    private Consumer<io.colabtop.core.HostUpdate> guarded(
            ActionGate gate, ExecutorService actions, TuiSession session) {
        if (guardThreshold == null) {
            return session::offer;
        }
        SwapGuard guard = new SwapGuard(
                guardThreshold,
                gate,
                this::shellFor,
                SwapGuard.EMERGENCY_SWAP,
                actions,
                clock,
                new SwapGuard.Listener() {
                    @Override
                    public void started(String host, String what) {
                        session.post(v -> v.actions().started(host, what));
                    }

                    @Override
                    public void finished(SwapGuard.Outcome o) {
                        session.post(v -> {
                            v.actions().finished(o.host(), "guard: " + o.text());
                            v.actions().guarded(o.host(), new ActionLog.GuardNote(o.text(), !o.made(), o.at()));
                            v.setMessage("GUARD on " + o.host() + ": " + o.text());
                        });
                        poller.pollNow(o.host(), session::offer);
                    }
                });
        session.offerMessage(
                "swap guard on: a host with no swap gets the emergency swap when its OOM forecast is under "
                        + io.colabtop.core.ByteFormat.age(guardThreshold));
        return guard.watching(session::offer);
    }

    private HostSource source(String host) {
        return poller.sources().stream()
                .filter(s -> s.name().equals(host))
                .findFirst()
                .orElse(null);
    }

    private HostShell shellFor(String host) {
        HostSource s = source(host);
        return s == null ? null : fleet.hosts().shellOf(s);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
