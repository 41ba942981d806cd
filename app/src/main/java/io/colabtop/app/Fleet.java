package io.colabtop.app;

import io.colabtop.app.fleet.FleetPoller;
import io.colabtop.app.local.LocalSource;
import io.colabtop.core.HostSource;
import io.colabtop.ssh.ConfigWarnings;
import io.colabtop.ssh.KnownHostsVerifier;
import io.colabtop.ssh.RemoteSource;
import io.colabtop.ssh.SshTarget;
import io.colabtop.ssh.SshTargetResolver;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hosts one run watches, resolved from the command line, the config file and ssh_config.
 * Hosts on the command line replace the config's; with neither, the local machine.
 */
public final class Fleet {
    /** How long a dead host waits at most between reconnection attempts. */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final List<HostSource> sources;
    private final InstantSource clock;
    private final FleetOptions options;
    private final SshTargetResolver resolver;
    private final ConfigWarnings warnings;

    private Fleet(List<HostSource> sources, InstantSource clock, FleetOptions options, SshTargetResolver resolver,
                  ConfigWarnings warnings) {
        this.sources = sources;
        this.clock = clock;
        this.options = options;
        this.resolver = resolver;
        this.warnings = warnings;
    }

    /** What ssh_config and known_hosts made colabtop skip, each once: the CLI prints them, the TUI shows them. */
    public ConfigWarnings warnings() {
        return warnings;
    }

    /** VM discovery for --project, or null without projects. */
    public io.colabtop.app.gce.GceDiscovery discovery(FleetPoller poller) {
        if (options.projects.isEmpty()) {
            return null;
        }
        io.colabtop.core.cost.CostModel model = new io.colabtop.core.cost.CostModel(PriceCatalogFile.load(options.prices));
        return new io.colabtop.app.gce.GceDiscovery(new io.colabtop.app.gce.GceDiscovery.Settings(List.copyOf(options.projects),
                null, options.internalIp, Duration.ofSeconds(60), options.processes, options.deadline), model, resolver, poller, clock);
    }

    /** Currency code and rate for the TUI; validated here so a bad pair is a usage error before the screen opens. */
    public String currency() {
        try {
            return options.currency.code();
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
    }

    public double fx() {
        try {
            return options.currency.rate();
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
    }

    public Duration idleAfter() {
        return options.idleAfter;
    }

    static Fleet build(FleetOptions o, AppPaths paths, InstantSource clock) {
        return build(o, paths, clock, false);
    }

    static Fleet build(FleetOptions o, AppPaths paths, InstantSource clock, boolean acceptNew) {
        ColabtopConfig cfg = o.config != null ? ColabtopConfig.load(o.config, true)
                : ColabtopConfig.load(paths.defaultConfigFile(), false);
        o.applyConfig(cfg);
        Path sshConfig = o.sshConfig != null ? o.sshConfig
                : cfg.sshConfig() != null ? expand(cfg.sshConfig(), paths.home()) : paths.sshDir().resolve("config");
        if (o.sshConfig != null && !java.nio.file.Files.isRegularFile(o.sshConfig)) {
            throw new UsageError("ssh config " + o.sshConfig + " does not exist");
        }
        Map<String, ColabtopConfig.HostEntry> wanted = new LinkedHashMap<>();
        if (!o.hosts.isEmpty()) {
            o.hosts.forEach(h -> wanted.putIfAbsent(h, new ColabtopConfig.HostEntry(h, h, null)));
        } else {
            for (ColabtopConfig.HostEntry h : cfg.hosts()) {
                String name = h.name() != null && !h.name().isBlank() ? h.name() : h.target();
                if (wanted.putIfAbsent(name, h) != null) {
                    throw new UsageError("two hosts are named '" + name + "' in the config");
                }
            }
        }
        if (wanted.isEmpty() && o.projects.isEmpty()) {
            wanted.put(LocalSource.NAME, new ColabtopConfig.HostEntry(LocalSource.NAME, LocalSource.NAME, null));
        }
        ConfigWarnings warnings = new ConfigWarnings();
        SshTargetResolver resolver = new SshTargetResolver(sshConfig, paths.home(), System.getProperty("user.name"),
                Duration.ofSeconds(10), warnings);
        List<HostSource> sources = new ArrayList<>();
        for (Map.Entry<String, ColabtopConfig.HostEntry> e : wanted.entrySet()) {
            ColabtopConfig.HostEntry h = e.getValue();
            if (h.target().equals(LocalSource.NAME)) {
                sources.add(new LocalSource(o.processes, clock));
                continue;
            }
            SshTarget t;
            try {
                t = resolver.resolve(h.target()).withName(e.getKey());
            } catch (IllegalArgumentException ex) {
                throw new UsageError(ex.getMessage());
            }
            if (h.identity() != null && !h.identity().isBlank()) {
                List<Path> ids = new ArrayList<>();
                ids.add(expand(h.identity(), paths.home()));
                ids.addAll(t.identities());
                t = t.withIdentities(ids);
            }
            if (acceptNew) {
                t = t.withPolicy(KnownHostsVerifier.Policy.ACCEPT_NEW);
            }
            sources.add(new RemoteSource(t, o.processes, o.deadline, MAX_BACKOFF, clock));
        }
        return new Fleet(sources, clock, o, resolver, warnings);
    }

    static Path expand(String p, Path home) {
        return p.startsWith("~/") ? home.resolve(p.substring(2)) : Path.of(p);
    }

    public List<HostSource> sources() {
        return sources;
    }

    public FleetPoller poller() {
        int expected = options.projects.isEmpty() ? sources.size() : Math.max(16, sources.size());
        return new FleetPoller(sources, options.deadline, FleetPoller.defaultPoolSize(expected), clock);
    }
}
