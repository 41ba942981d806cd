package io.colabtop.app;

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
@Command(name = "colabtop", mixinStandardHelpOptions = true, versionProvider = ColabtopCommand.Version.class,
        description = {"htop for a fleet of Linux VMs: RAM, swap, memory pressure, likely OOM victims and GPU memory "
                + "per host, over SSH.", "With no subcommand, opens the full-screen table (keys: ? for help, q to quit)."},
        subcommands = {StatusCommand.class, CostCommand.class, GceCommands.Vms.class, GceCommands.Stop.class,
                GceCommands.Start.class, ActionCommands.Swap.class, ActionCommands.Pin.class, ActionCommands.Mount.class,
                ActionCommands.Umount.class, ActionCommands.Audit.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:a host could not be read", "2:bad command line", "3:colabtop itself failed"})
public class ColabtopCommand implements Callable<Integer> {
    @Mixin
    FleetOptions fleet;

    @Override
    public Integer call() throws Exception {
        Fleet f = Fleet.build(fleet, AppPaths.fromEnvironment(), InstantSource.system());
        String currency = f.currency();
        double fx = f.fx();
        try (FleetPoller poller = f.poller(); io.colabtop.app.gce.GceDiscovery discovery = f.discovery(poller)) {
            return new TuiApp(poller, fleet.interval, InstantSource.system(), discovery, currency, fx, f.idleAfter())
                    .warnings(f.warnings()).run();
        }
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new ColabtopCommand());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof UsageError) {
                cmd.getErr().println("colabtop: " + ex.getMessage());
                return ExitCodes.USAGE;
            }
            cmd.getErr().println("colabtop: " + ex);
            return ExitCodes.INTERNAL;
        });
        return cl;
    }

    /** The version, from the build (filtered resource). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = ColabtopCommand.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"colabtop " + p.getProperty("version", "unknown"),
                    "Java " + System.getProperty("java.version")};
        }
    }
}
