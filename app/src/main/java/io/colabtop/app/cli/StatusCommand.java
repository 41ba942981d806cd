package io.colabtop.app.cli;

import io.colabtop.app.config.AppPaths;
import io.colabtop.app.fleet.Fleet;
import io.colabtop.app.fleet.FleetPoller;
import io.colabtop.app.output.SnapshotJson;
import io.colabtop.app.output.StatusTable;
import io.colabtop.core.HostState;
import io.colabtop.core.HostUpdate;
import java.io.PrintWriter;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code colabtop status}: one snapshot of each host, as a table or JSON. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description =
                "Print one snapshot of each host and exit. With no HOST: the local machine (or the config's hosts).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every host was read", "1:at least one host could not be read", "2:bad command line"})
public class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    FleetOptions fleet;

    @Mixin
    OutputOptions output;

    @Option(
            names = "--accept-new",
            description = "Trust and record the key of a host not yet in known_hosts "
                    + "(like StrictHostKeyChecking=accept-new). A changed key is refused regardless.")
    boolean acceptNew;

    @Override
    public Integer call() throws Exception {
        if (fleet.guard != null || fleet.guardUnder != null) {
            throw new io.colabtop.app.config.UsageError(
                    "--guard works in the full-screen table, which watches hosts over time; status reads each host once");
        }
        Fleet f = fleet.open(AppPaths.fromEnvironment(), InstantSource.system(), acceptNew);
        PrintWriter warn = spec.commandLine().getErr();
        f.warnings().listen(w -> {
            if (!output.quiet) {
                warn.println("colabtop: warning: " + w);
                warn.flush();
            }
        });
        List<HostState> states = new ArrayList<>();
        try (FleetPoller poller = f.poller()) {
            for (HostUpdate u : poller.round()) {
                states.add(u.applyTo(HostState.pending(u.host())));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(
                switch (output.format()) {
                    case JSON -> SnapshotJson.write(states) + "\n";
                    case CSV -> StatusTable.csv(states);
                    case TABLE -> StatusTable.write(states, fleet.processes, Terminal.columns());
                });
        out.flush();
        boolean allOk = states.stream().allMatch(HostState::reachable);
        // each error once: in the JSON, or here on stderr (the table only says UNREACHABLE)
        if (!allOk && output.format() != OutputOptions.Format.JSON) {
            PrintWriter err = spec.commandLine().getErr();
            states.stream()
                    .filter(s -> !s.reachable())
                    .forEach(s -> err.println("colabtop: " + s.name() + ": " + s.error()));
            err.flush();
        }
        return allOk ? ExitCodes.OK : ExitCodes.HOST_FAILED;
    }
}
