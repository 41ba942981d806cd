package io.colabtop.app.cli;

import io.colabtop.app.config.AppPaths;
import io.colabtop.app.config.UsageError;
import io.colabtop.app.fleet.Fleet;
import io.colabtop.app.fleet.FleetPoller;
import io.colabtop.app.tui.TuiApp;
import java.io.IOException;
import java.io.InputStream;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code colabtop}: with no subcommand, the full-screen fleet table. */
@Command(
        name = "colabtop",
        mixinStandardHelpOptions = true,
        versionProvider = ColabtopCommand.Version.class,
        description = {
            "htop for a fleet of Linux VMs: RAM, swap, memory pressure, likely OOM victims and GPU memory "
                    + "per host, over SSH.",
            "With no subcommand, opens the full-screen table (keys: ? for help, q to quit)."
        },
        subcommands = {
            StatusCommand.class,
            ServeCommand.class,
            CostCommand.class,
            PricesCommand.class,
            GceCommands.Vms.class,
            GceCommands.Stop.class,
            GceCommands.Start.class,
            ActionCommands.Swap.class,
            ActionCommands.Pin.class,
            ActionCommands.Mount.class,
            ActionCommands.Umount.class,
            AutostopCommand.class,
            ActionCommands.Audit.class,
            CommandLine.HelpCommand.class,
            VersionCommand.class,
            CompletionCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:a host could not be read", "2:bad command line", "3:colabtop itself failed"})
public class ColabtopCommand implements Callable<Integer> {
    @Mixin
    FleetOptions fleet;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @picocli.CommandLine.Option(
            names = "--mono",
            description = "no colours (also when NO_COLOR is set): severity shows as bold, underline and reverse")
    boolean mono;

    @picocli.CommandLine.Option(
            names = "--ascii",
            description = "draw graphs, meters and marks in ASCII only (the default where the locale is not UTF-8, "
                    + "as htop does)")
    boolean ascii;

    @Override
    public Integer call() throws Exception {
        refuseMistypedCommands();
        java.time.Duration guard = fleet.guardThreshold();
        Fleet f = fleet.open(AppPaths.fromEnvironment(), InstantSource.system(), false);
        io.colabtop.core.cost.Fx fx = fleet.currency.fx();
        try (FleetPoller poller = f.poller();
                io.colabtop.app.gce.GceDiscovery discovery = fleet.discovery(f, poller, InstantSource.system())) {
            return new TuiApp(f, poller, fleet.interval, InstantSource.system(), discovery, fx, fleet.idleAfter)
                    .warnings(f.warnings())
                    .mono(mono)
                    .ascii(ascii || !TuiApp.unicodeLocale(System.getenv()))
                    .guard(guard)
                    .run();
        }
    }

    /**
     * A bare word one or two typos from a subcommand ({@code colabtop stauts}) is almost surely not
     * a host: say so, with the suggestion, instead of trying to ssh to it. A host that really has
     * such a name can be given after {@code --}.
     */
    void refuseMistypedCommands() {
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        int dashes = args.indexOf("--");
        List<String> commands = new ArrayList<>(spec.subcommands().keySet());
        for (String host : fleet.hosts) {
            int at = args.indexOf(host);
            if (!host.matches("[A-Za-z][A-Za-z0-9_-]{0,30}") || host.equals("local") || (dashes >= 0 && at > dashes)) {
                continue;
            }
            String best = null;
            int bestDistance = 3;
            for (String c : commands) {
                int d = editDistance(host.toLowerCase(java.util.Locale.ROOT), c);
                if (d < bestDistance || (d == bestDistance && best == null && c.startsWith(host))) {
                    best = c;
                    bestDistance = d;
                }
            }
            if (best != null && bestDistance <= Math.max(1, Math.min(2, host.length() / 3))) {
                throw new UsageError("unknown command '" + host + "': did you mean '" + best
                        + "'? (to watch a host named " + host + ", give it after --: colabtop -- " + host + ")");
            }
        }
    }

    /** Levenshtein distance, with a swap of two neighbours counting as one edit (stauts/status). */
    static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new ColabtopCommand());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> failed(ex, cmd.getErr()));
        return cl;
    }

    /**
     * The last word on a failure: a usage error is the user's to fix (exit 2); anything else is
     * colabtop's own failure, logged with its stack first (the TUI has restored the terminal by
     * now, and the log is where a bug report starts), then one safe line on stderr (exit 3).
     */
    public static int failed(Exception ex, java.io.PrintWriter err) {
        if (ex instanceof UsageError) {
            err.println("colabtop: " + io.colabtop.core.SafeText.shown(ex.getMessage()));
            return ExitCodes.USAGE;
        }
        java.util.logging.Logger.getLogger("colabtop").log(java.util.logging.Level.SEVERE, "colabtop failed", ex);
        err.println("colabtop: " + io.colabtop.core.SafeText.clip(ex.toString(), 1000) + " (details in "
                + AppPaths.fromEnvironment().logFile() + ")");
        return ExitCodes.INTERNAL;
    }

    /** The version, from the build (filtered resource). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = ColabtopCommand.class.getResourceAsStream("/io/colabtop/app/version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {
                "colabtop " + p.getProperty("version", "unknown"), "Java " + System.getProperty("java.version")
            };
        }
    }
}
