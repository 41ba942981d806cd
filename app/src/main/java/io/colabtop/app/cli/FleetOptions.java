package io.colabtop.app.cli;

import io.colabtop.app.config.AppPaths;
import io.colabtop.app.config.ColabtopConfig;
import io.colabtop.app.config.PriceCatalogFile;
import io.colabtop.app.config.UsageError;
import io.colabtop.app.fleet.Fleet;
import io.colabtop.app.fleet.FleetPoller;
import io.colabtop.app.gce.GceDiscovery;
import io.colabtop.core.cost.CostModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Options every fleet-reading command shares (the TUI and status). */
public class FleetOptions {
    @Parameters(
            paramLabel = "HOST",
            arity = "0..*",
            description = "Hosts to watch: 'local', user@host[:port], or an alias from ~/.ssh/config. "
                    + "Default: the hosts in the config file, else the local machine.")
    List<String> hosts = new ArrayList<>();

    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);
    static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(5);
    static final int DEFAULT_PROCESSES = 20;

    // no picocli defaults: an option given on the command line beats the config file, which
    // beats the built-in default (applyConfig)
    @Option(
            names = {"-i", "--interval"},
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Refresh interval (default: 2s). Examples: 2s, 500ms, 1m.")
    Duration interval;

    @Option(
            names = "--deadline",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Longest one poll of a host may take before it counts as unreachable (default: 5s).")
    Duration deadline;

    @Option(
            names = {"-n", "--processes"},
            paramLabel = "N",
            description = "Processes read per host, the likeliest OOM victims first (default: 20).")
    Integer processes;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Config file (default: $XDG_CONFIG_HOME/colabtop/config.toml).")
    java.nio.file.Path config;

    @Option(
            names = "--ssh-config",
            paramLabel = "FILE",
            description = "ssh_config to resolve host aliases (default: ~/.ssh/config).")
    java.nio.file.Path sshConfig;

    @Option(
            names = {"-p", "--project"},
            paramLabel = "PROJECT",
            arity = "0..1",
            fallbackValue = FROM_GCLOUD,
            description = "GCP project whose VMs join the table (repeatable; also 'projects' in the config); "
                    + "--project alone: gcloud's (CLOUDSDK_CORE_PROJECT, then the active configuration)")
    List<String> projects = new ArrayList<>();

    /** What picocli puts in projects for a --project without a value (an empty fallback would be ignored). */
    static final String FROM_GCLOUD = "@gcloud";

    /** Where a project taken from gcloud came from, for the discovery line; null when none was. */
    String projectsFrom;

    @Option(names = "--internal-ip", description = "reach discovered VMs at their internal IP (VPN, bastion)")
    boolean internalIp;

    @Option(
            names = "--idle-after",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "flag a running VM whose CPU and GPU stayed near zero this long (default: 30m)")
    Duration idleAfter;

    @Option(names = "--prices", paramLabel = "FILE", description = "price catalog instead of the shipped one")
    java.nio.file.Path prices;

    @Option(
            names = "--guard",
            paramLabel = "swap",
            description = "Opt-in: when a host with no swap is forecast to run out of memory within --guard-under, "
                    + "make the emergency swap there on its own (the w plan: 2x RAM, never past the disk's reserve), "
                    + "audited as confirmed by the guard, at most once per host per run. Off by default.")
    String guard;

    @Option(
            names = "--guard-under",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "the forecast under which --guard acts (default: 5m)")
    Duration guardUnder;

    /** The forecast under which the swap guard acts, or null when it is off; a bad value is a usage error. */
    Duration guardThreshold() {
        if (guard == null) {
            if (guardUnder != null) {
                throw new UsageError("--guard-under needs --guard swap");
            }
            return null;
        }
        if (!guard.equals("swap")) {
            throw new UsageError("--guard takes 'swap' (the only guard there is), not '" + guard + "'");
        }
        Duration d = guardUnder == null ? io.colabtop.app.guard.SwapGuard.DEFAULT_THRESHOLD : guardUnder;
        if (d.compareTo(Duration.ofSeconds(30)) < 0 || d.compareTo(Duration.ofHours(2)) > 0) {
            throw new UsageError("--guard-under must be between 30s and 2h (the forecast's horizon), not " + d);
        }
        return d;
    }

    @picocli.CommandLine.Mixin
    CurrencyOptions currency = new CurrencyOptions();

    /**
     * Reads the config file, fills what the command line left open, and opens the fleet: the
     * command line's hosts, else the config's, else this machine.
     */
    Fleet open(AppPaths paths, InstantSource clock, boolean acceptNew) {
        ColabtopConfig cfg = config != null
                ? ColabtopConfig.load(config, true)
                : ColabtopConfig.load(paths.defaultConfigFile(), false);
        applyConfig(cfg);
        if (sshConfig != null && !Files.isRegularFile(sshConfig)) {
            throw new UsageError("ssh config " + sshConfig + " does not exist");
        }
        Path ssh = sshConfig != null
                ? sshConfig
                : cfg.sshConfig() != null
                        ? expand(cfg.sshConfig(), paths.home())
                        : paths.sshDir().resolve("config");
        List<ColabtopConfig.HostEntry> entries = hosts.isEmpty()
                ? cfg.hosts()
                : hosts.stream()
                        .distinct()
                        .map(h -> new ColabtopConfig.HostEntry(h, h, null))
                        .toList();
        return Fleet.open(
                new Fleet.Settings(entries, ssh, interval, deadline, processes, acceptNew, !projects.isEmpty()),
                paths,
                clock);
    }

    /** VM discovery for --project, or null without projects. */
    GceDiscovery discovery(Fleet fleet, FleetPoller poller, InstantSource clock) {
        if (projects.isEmpty()) {
            return null;
        }
        return new GceDiscovery(
                        new GceDiscovery.Settings(List.copyOf(projects), null, internalIp, Duration.ofSeconds(60)),
                        new CostModel(PriceCatalogFile.load(prices)),
                        currency.fx(),
                        fleet.hosts(),
                        poller,
                        clock)
                .colab(io.colabtop.app.config.ColabUnitsFile.load(null, AppPaths.fromEnvironment()))
                .projectsFrom(projectsFrom);
    }

    static Path expand(String p, Path home) {
        return p.startsWith("~/") ? home.resolve(p.substring(2)) : Path.of(p);
    }

    /** Fills what the command line left open from the config file, then from the defaults. */
    void applyConfig(ColabtopConfig cfg) {
        try {
            if (interval == null) {
                interval = cfg.interval() != null ? DurationConverter.parse(cfg.interval()) : DEFAULT_INTERVAL;
            }
            if (deadline == null) {
                deadline = cfg.deadline() != null ? DurationConverter.parse(cfg.deadline()) : DEFAULT_DEADLINE;
            }
        } catch (picocli.CommandLine.TypeConversionException e) {
            throw new UsageError("config: " + e.getMessage());
        }
        if (processes == null) {
            processes = cfg.processes() != null ? cfg.processes() : DEFAULT_PROCESSES;
        }
        try {
            if (idleAfter == null) {
                idleAfter = cfg.idleAfter() != null
                        ? DurationConverter.parse(cfg.idleAfter())
                        : java.time.Duration.ofMinutes(30);
            }
        } catch (picocli.CommandLine.TypeConversionException e) {
            throw new UsageError("config idle_after: " + e.getMessage());
        }
        if (projects.isEmpty()) {
            projects = new ArrayList<>(cfg.projects());
        }
        internalIp |= Boolean.TRUE.equals(cfg.internalIp());
        if (currency.currency == null && cfg.currency() != null) {
            currency.currency = cfg.currency();
            currency.fx = currency.fx != null ? currency.fx : cfg.fx();
        }
        if (prices == null && cfg.pricesFile() != null) {
            prices = java.nio.file.Path.of(cfg.pricesFile());
        }
        if (projects.contains(FROM_GCLOUD)) {
            io.colabtop.app.gce.GcloudConfig.Value g =
                    io.colabtop.app.gce.GcloudConfig.fromEnvironment().project();
            if (g == null) {
                throw new UsageError("--project without a value takes gcloud's project, and gcloud has none "
                        + "(gcloud config set project P, or CLOUDSDK_CORE_PROJECT)");
            }
            projects.replaceAll(p -> p.equals(FROM_GCLOUD) ? g.value() : p);
            projectsFrom = g.value() + " from " + g.from();
        }
        projects.forEach(p -> GceCommands.check(GceCommands.PROJECT, "project", p));
        if (processes < 1 || processes > 500) {
            throw new UsageError("processes must be between 1 and 500, not " + processes);
        }
    }
}
