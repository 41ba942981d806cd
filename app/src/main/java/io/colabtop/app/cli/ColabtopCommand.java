package io.colabtop.app.cli;

import io.colabtop.app.config.AppPaths;
import io.colabtop.app.config.UsageError;
import io.colabtop.app.fleet.Fleet;
import io.colabtop.app.fleet.FleetPoller;
import io.colabtop.app.tui.TuiApp;
import java.io.IOException;
import java.io.InputStream;
import java.time.InstantSource;
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
            CostCommand.class,
            GceCommands.Vms.class,
            GceCommands.Stop.class,
            GceCommands.Start.class,
            ActionCommands.Swap.class,
            ActionCommands.Pin.class,
            ActionCommands.Mount.class,
            ActionCommands.Umount.class,
            ActionCommands.Audit.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:a host could not be read", "2:bad command line", "3:colabtop itself failed"})
public class ColabtopCommand implements Callable<Integer> {
    @Mixin
    FleetOptions fleet;

    @Override
    public Integer call() throws Exception {
        java.time.Duration guard = fleet.guardThreshold();
        Fleet f = fleet.open(AppPaths.fromEnvironment(), InstantSource.system(), false);
        io.colabtop.core.cost.Fx fx = fleet.currency.fx();
        try (FleetPoller poller = f.poller();
                io.colabtop.app.gce.GceDiscovery discovery = fleet.discovery(f, poller, InstantSource.system())) {
            return new TuiApp(f, poller, fleet.interval, InstantSource.system(), discovery, fx, fleet.idleAfter)
                    .warnings(f.warnings())
                    .guard(guard)
                    .run();
        }
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new ColabtopCommand());
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
