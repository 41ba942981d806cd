package io.colabtop.app.cli;

import io.colabtop.app.config.AppPaths;
import io.colabtop.app.config.UsageError;
import io.colabtop.app.fleet.Fleet;
import io.colabtop.app.fleet.FleetPoller;
import io.colabtop.app.gce.GceDiscovery;
import io.colabtop.app.serve.HostReading;
import io.colabtop.app.serve.ListenAddress;
import io.colabtop.app.serve.MetricsServer;
import io.colabtop.app.serve.ServeSession;
import io.colabtop.app.serve.ServeState;
import io.colabtop.core.HostSource;
import io.colabtop.core.cost.Fx;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code colabtop serve}: the fleet for Prometheus, headless, until stopped. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Export the fleet to Prometheus: the same hosts, poller, discovery and costs as the table, headless,"
                    + " at http://ADDRESS/metrics (OpenMetrics when asked), /probe?target=HOST, /-/healthy and"
                    + " /-/ready. Read-only. Runs until stopped (Ctrl-C, SIGTERM).",
            "Shows the --top processes of each host by oom_score with their command lines (--no-command-lines"
                    + " leaves those out), nothing of other processes."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped", "2:bad command line, or the address or a file cannot be used"})
public class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    FleetOptions fleet;

    @Option(
            names = "--listen",
            paramLabel = "HOST:PORT",
            defaultValue = ListenAddress.DEFAULT,
            description = "Address to serve on (default: ${DEFAULT-VALUE}, this machine only; :9473 for every"
                    + " interface; port 0 picks a free one)")
    String listen;

    @Option(
            names = "--top",
            paramLabel = "N",
            defaultValue = "5",
            description = "Processes exported per host, the likeliest OOM victims first (default: ${DEFAULT-VALUE};"
                    + " at most -n)")
    int top;

    @Option(names = "--no-command-lines", description = "Export the top processes' names but not their command lines")
    boolean noCommandLines;

    @Option(
            names = "--basic-auth",
            paramLabel = "FILE",
            description = "Ask for a user and password: an htpasswd file of bcrypt entries (htpasswd -nB USER)")
    Path basicAuth;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "Serve HTTPS with this PEM certificate chain")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "The unencrypted PEM private key of --tls-cert")
    Path tlsKey;

    @Option(
            names = "--probe-any",
            description = "Let /probe?target= poll hosts outside the fleet (user@host[:port] or an ssh_config alias"
                    + " with a known host key), for a Prometheus job that owns discovery")
    boolean probeAny;

    @Option(
            names = "--accept-new",
            description = "Trust and record the key of a host of the fleet not yet in known_hosts"
                    + " (like StrictHostKeyChecking=accept-new); never for /probe")
    boolean acceptNew;

    @Override
    public Integer call() throws Exception {
        InetSocketAddress address;
        HostReading.Exposure exposure;
        try {
            address = ListenAddress.parse(listen);
            exposure = new HostReading.Exposure(top, !noCommandLines);
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
        InstantSource clock = InstantSource.system();
        Fleet f = fleet.open(AppPaths.fromEnvironment(), clock, acceptNew);
        if (top > fleet.processes) {
            if (spec.commandLine().getParseResult().hasMatchedOption("--top")) {
                throw new UsageError("--top " + top + " is more than the " + fleet.processes
                        + " processes read per host (-n): raise -n or lower --top");
            }
            exposure = new HostReading.Exposure(fleet.processes, !noCommandLines); // -n (or the config) asked for fewer
        }
        Fx fx = fleet.currency.fx();
        PrintWriter err = spec.commandLine().getErr();
        f.warnings().listen(w -> {
            err.println("colabtop: warning: " + w);
            err.flush();
        });
        FleetPoller poller = f.poller();
        GceDiscovery discovery = null;
        ServeSession session;
        try {
            discovery = fleet.discovery(f, poller, clock);
            ServeState state = new ServeState(
                    poller.sources().stream().map(HostSource::name).toList(), clock, fx, exposure);
            session = ServeSession.start(
                    new ServeSession.Settings(
                            new MetricsServer.Settings(address, basicAuth, tlsCert, tlsKey),
                            fleet.interval,
                            fleet.deadline,
                            probeAny,
                            8,
                            256),
                    state,
                    f,
                    poller,
                    discovery,
                    clock);
        } catch (IllegalArgumentException e) {
            close(discovery, poller);
            throw new UsageError(e.getMessage());
        } catch (IOException e) {
            close(discovery, poller);
            throw new UsageError("cannot serve on " + listen + ": " + e.getMessage());
        } catch (RuntimeException e) {
            close(discovery, poller);
            throw e;
        }
        if (ListenAddress.exposed(address) && basicAuth == null) {
            err.println("colabtop: warning: serving on " + listen + " to other machines without --basic-auth:"
                    + " whoever reaches the port reads the fleet's metrics, process names and command lines");
        }
        if (ListenAddress.exposed(address) && basicAuth != null && tlsCert == null) {
            err.println("colabtop: warning: --basic-auth without --tls-cert sends the password in clear text");
        }
        err.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(session::close, "colabtop-serve-stop"));
        PrintWriter out = spec.commandLine().getOut();
        int hosts = session.polled().size();
        out.println("colabtop serve: " + session.url() + "/metrics (" + hosts + (hosts == 1 ? " host" : " hosts")
                + (discovery != null ? " and the VMs of " + String.join(",", fleet.projects) : "")
                + "); Ctrl-C stops");
        out.flush();
        session.awaitClose();
        return ExitCodes.OK;
    }

    private static void close(GceDiscovery discovery, FleetPoller poller) {
        if (discovery != null) {
            discovery.close();
        }
        poller.close();
    }
}
