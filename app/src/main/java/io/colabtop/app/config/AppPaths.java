package io.colabtop.app.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where colabtop keeps its files, by the XDG base directory spec: config under
 * {@code $XDG_CONFIG_HOME/colabtop} (default {@code ~/.config/colabtop}), state (log, audit)
 * under {@code $XDG_STATE_HOME/colabtop} (default {@code ~/.local/state/colabtop}).
 * HOME is read from the environment first, so tests can point it at a temp folder.
 */
public record AppPaths(Path home, Path configDir, Path stateDir) {

    public static AppPaths fromEnvironment() {
        return from(System.getenv());
    }

    public static AppPaths from(Map<String, String> env) {
        String h = env.get("HOME");
        Path home = Path.of(h != null && !h.isBlank() ? h : System.getProperty("user.home"));
        Path config = xdg(env.get("XDG_CONFIG_HOME"), home.resolve(".config")).resolve("colabtop");
        Path state =
                xdg(env.get("XDG_STATE_HOME"), home.resolve(".local/state")).resolve("colabtop");
        return new AppPaths(home, config, state);
    }

    private static Path xdg(String value, Path dflt) {
        // the spec says a relative path is invalid and must be ignored
        return value != null && value.startsWith("/") ? Path.of(value) : dflt;
    }

    public Path defaultConfigFile() {
        return configDir.resolve("config.toml");
    }

    /** Every action colabtop takes, one JSON line each (see the action package's AuditLog). */
    public Path auditFile() {
        return stateDir.resolve("audit.log");
    }

    public Path logFile() {
        return stateDir.resolve("colabtop.log");
    }

    public Path sshDir() {
        return home.resolve(".ssh");
    }
}
