package io.colabtop.app.tui;

import io.colabtop.app.cli.ExitCodes;
import io.colabtop.app.fleet.FleetPoller;
import com.googlecode.lanterna.screen.Screen;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.DefaultTerminalFactory;
import com.googlecode.lanterna.terminal.Terminal;
import io.colabtop.core.HostSource;
import io.colabtop.ssh.KnownHostsVerifier;
import io.colabtop.ssh.RemoteSource;
import io.colabtop.ssh.SshTarget;
import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;

/** The full-screen fleet table on the real terminal. */
public final class TuiApp {
    private final FleetPoller poller;
    private final Duration interval;
    private final InstantSource clock;

    private final io.colabtop.app.gce.GceDiscovery discovery;
    private final io.colabtop.core.cost.Fx fx;
    private final Duration idleAfter;
    private io.colabtop.ssh.ConfigWarnings warnings;

    private final io.colabtop.app.fleet.Fleet fleet;

    public TuiApp(io.colabtop.app.fleet.Fleet fleet, FleetPoller poller, Duration interval, InstantSource clock,
                  io.colabtop.app.gce.GceDiscovery discovery, io.colabtop.core.cost.Fx fx, Duration idleAfter) {
        this.fleet = fleet;
        this.poller = poller;
        this.interval = interval;
        this.clock = clock;
        this.discovery = discovery;
        this.fx = fx;
        this.idleAfter = idleAfter;
    }

    /** Warnings about ssh_config / known_hosts, shown on the message line as they come. */
    public TuiApp warnings(io.colabtop.ssh.ConfigWarnings w) {
        this.warnings = w;
        return this;
    }

    public int run() throws IOException, InterruptedException {
        Terminal terminal;
        try {
            terminal = new DefaultTerminalFactory().setForceTextTerminal(true).createTerminal();
        } catch (IOException e) {
            System.err.println("colabtop: cannot open the terminal (" + e.getMessage()
                    + "); use 'colabtop status' for a one-shot table without a terminal");
            return ExitCodes.INTERNAL;
        }
        Screen screen = new TerminalScreen(terminal);
        screen.startScreen();
        screen.setCursorPosition(null);
        try {
            List<String> names = poller.sources().stream().map(HostSource::name).toList();
            TuiSession[] session = new TuiSession[1];
            session[0] = new TuiSession(screen, names, interval, clock,
                    () -> poller.sources().forEach(src -> poller.pollNow(src.name(), u -> session[0].offer(u))),
                    (host, key) -> {
                        HostSource src = poller.sources().stream().filter(s -> s.name().equals(host)).findFirst()
                                .orElseThrow(() -> new IOException("no host named " + host));
                        io.colabtop.app.fleet.Hosts.trust(src, key);
                        poller.pollNow(host, session[0]::offer);
                    });
            java.util.concurrent.ExecutorService actions = java.util.concurrent.Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "colabtop-action");
                t.setDaemon(true);
                return t;
            });
            io.colabtop.app.action.ActionGate gate = new io.colabtop.app.action.ActionGate(
                    new io.colabtop.app.action.AuditLog(io.colabtop.app.config.AppPaths.fromEnvironment().auditFile()), clock,
                    host -> poller.sources().stream().filter(s -> s.name().equals(host)).findFirst()
                            .map(s -> fleet.hosts().shellOf(s)).orElse(null));
            session[0].enableActions(new ActionDesk() {
                @Override
                public io.colabtop.core.action.HostShell shellFor(String host) {
                    return poller.sources().stream().filter(s -> s.name().equals(host)).findFirst()
                            .map(s -> fleet.hosts().shellOf(s)).orElse(null);
                }

                @Override
                public io.colabtop.app.action.ActionGate gate() {
                    return gate;
                }

                @Override
                public io.colabtop.core.action.VmPower vmPower(String host, boolean stop,
                                                                        java.util.function.Consumer<String> progress) throws Exception {
                    return discovery == null ? null : discovery.vmPower(host, stop, progress);
                }

                @Override
                public void rediscover() {
                    if (discovery != null) {
                        discovery.rediscover();
                    }
                }
            }, actions);
            session[0].view().setMoney(fx, idleAfter);
            if (warnings != null) {
                warnings.listen(w -> session[0].offerMessage("warning: " + w));
            }
            // the first frame comes before any host answers: collection never delays the screen
            session[0].step();
            poller.start(interval, session[0]::offer);
            if (discovery != null) {
                discovery.start(session[0]); // after the first frame: creating the client takes about a second
            }
            while (!session[0].quit()) {
                if (!session[0].step()) {
                    Thread.sleep(25);
                }
            }
            return ExitCodes.OK;
        } finally {
            screen.stopScreen();
        }
    }
}
