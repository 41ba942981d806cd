package io.colabtop.app.fleet;

import io.colabtop.app.config.AppPaths;
import io.colabtop.app.config.ColabtopConfig;
import io.colabtop.app.config.UsageError;
import io.colabtop.core.HostSource;
import io.colabtop.ssh.ConfigWarnings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hosts one run watches, resolved from the command line, the config file and ssh_config.
 * Hosts on the command line replace the config's; with neither (and no project to discover), the
 * local machine.
 */
public final class Fleet {
    /**
     * What a run watches and how, after the command line and the config file were combined.
     *
     * @param hosts       the hosts, by name; a target of {@code local} is this machine
     * @param discovering whether VMs will join later (--project): the poll pool is sized for them
     */
    public record Settings(
            List<ColabtopConfig.HostEntry> hosts,
            Path sshConfig,
            Duration interval,
            Duration deadline,
            int processes,
            boolean acceptNew,
            boolean discovering) {
        public Settings {
            hosts = List.copyOf(hosts);
        }
    }

    private final Settings settings;
    private final Hosts hosts;
    private final List<HostSource> sources;
    private final ConfigWarnings warnings;
    private final InstantSource clock;

    private Fleet(
            Settings settings, Hosts hosts, List<HostSource> sources, ConfigWarnings warnings, InstantSource clock) {
        this.settings = settings;
        this.hosts = hosts;
        this.sources = sources;
        this.warnings = warnings;
        this.clock = clock;
    }

    /** @throws UsageError when a host cannot be resolved (says which and why) */
    public static Fleet open(Settings s, AppPaths paths, InstantSource clock) {
        Map<String, ColabtopConfig.HostEntry> wanted = new LinkedHashMap<>();
        for (ColabtopConfig.HostEntry h : s.hosts()) {
            String name = h.name() != null && !h.name().isBlank() ? h.name() : h.target();
            if (wanted.putIfAbsent(name, h) != null) {
                throw new UsageError("two hosts are named '" + name + "'");
            }
        }
        if (wanted.isEmpty() && !s.discovering()) {
            wanted.put(Hosts.LOCAL, new ColabtopConfig.HostEntry(Hosts.LOCAL, Hosts.LOCAL, null));
        }
        ConfigWarnings warnings = new ConfigWarnings();
        Hosts hosts = Hosts.open(s.sshConfig(), paths, Timeouts.withPoll(s.deadline()), s.processes(), clock, warnings);
        List<HostSource> sources = new ArrayList<>();
        for (Map.Entry<String, ColabtopConfig.HostEntry> e : wanted.entrySet()) {
            try {
                sources.add(hosts.source(
                        e.getKey(), e.getValue().target(), e.getValue().identity(), s.acceptNew()));
            } catch (IllegalArgumentException ex) {
                throw new UsageError(ex.getMessage());
            }
        }
        return new Fleet(s, hosts, sources, warnings, clock);
    }

    /** What ssh_config and known_hosts made colabtop skip, each once: the CLI prints them, the TUI shows them. */
    public ConfigWarnings warnings() {
        return warnings;
    }

    public Hosts hosts() {
        return hosts;
    }

    public List<HostSource> sources() {
        return sources;
    }

    public FleetPoller poller() {
        int expected = settings.discovering() ? Math.max(16, sources.size()) : sources.size();
        return new FleetPoller(sources, settings.deadline(), FleetPoller.defaultPoolSize(expected), clock);
    }
}
