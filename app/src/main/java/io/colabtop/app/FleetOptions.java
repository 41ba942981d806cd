package io.colabtop.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Options every fleet-reading command shares (the TUI and status). */
public class FleetOptions {
    @Parameters(paramLabel = "HOST", arity = "0..*",
            description = "Hosts to watch: 'local', user@host[:port], or an alias from ~/.ssh/config. "
                    + "Default: the hosts in the config file, else the local machine.")
    List<String> hosts = new ArrayList<>();

    @Option(names = {"-i", "--interval"}, paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Refresh interval (default: ${DEFAULT-VALUE}). Examples: 2s, 500ms, 1m.", defaultValue = "2s")
    Duration interval;

    @Option(names = "--deadline", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Longest one poll of a host may take before it counts as unreachable (default: ${DEFAULT-VALUE}).",
            defaultValue = "5s")
    Duration deadline;

    @Option(names = {"-n", "--processes"}, paramLabel = "N", defaultValue = "20",
            description = "Processes read per host, the likeliest OOM victims first (default: ${DEFAULT-VALUE}).")
    int processes;

    @Option(names = "--config", paramLabel = "FILE", description = "Config file (default: $XDG_CONFIG_HOME/colabtop/config.toml).")
    java.nio.file.Path config;

    @Option(names = "--ssh-config", paramLabel = "FILE", description = "ssh_config to resolve host aliases (default: ~/.ssh/config).")
    java.nio.file.Path sshConfig;

    void validate(picocli.CommandLine.Model.CommandSpec spec) {
        if (processes < 1 || processes > 500) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--processes must be between 1 and 500");
        }
    }
}
