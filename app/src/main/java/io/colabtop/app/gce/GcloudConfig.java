package io.colabtop.app.gce;

import io.colabtop.core.SafeText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The user's gcloud defaults, found as gcloud finds them: a property's environment variable
 * ({@code CLOUDSDK_CORE_PROJECT}, {@code CLOUDSDK_COMPUTE_ZONE}) first, then the active
 * configuration ({@code CLOUDSDK_ACTIVE_CONFIG_NAME}, else the name in {@code active_config},
 * else "default") in {@code CLOUDSDK_CONFIG} or {@code ~/.config/gcloud}. Each value says where
 * it came from, so a command can tell the user which project it is about to act on.
 *
 * <p>A configuration file is INI, e.g. {@code ~/.config/gcloud/configurations/config_default}:
 * <pre>
 *   [core]
 *   account = sarah@example.com
 *   project = my-project
 *
 *   [compute]
 *   zone = us-west1-b
 * </pre>
 */
public final class GcloudConfig {
    /** A value and where it came from: "CLOUDSDK_CORE_PROJECT" or "gcloud configuration 'default' (PATH)". */
    public record Value(String value, String from) {}

    private final Map<String, String> env;
    private final Path home;

    public GcloudConfig(Map<String, String> env, Path home) {
        this.env = env;
        this.home = home;
    }

    /** From this process's environment; HOME first, as AppPaths reads it (tests point it at a temp folder). */
    public static GcloudConfig fromEnvironment() {
        return new GcloudConfig(
                System.getenv(),
                io.colabtop.app.config.AppPaths.fromEnvironment().home());
    }

    public Value project() {
        return property("core", "project");
    }

    public Value zone() {
        return property("compute", "zone");
    }

    /** A property, or null when neither the environment nor the active configuration sets it. */
    public Value property(String section, String name) {
        String var = "CLOUDSDK_" + section.toUpperCase(Locale.ROOT) + "_" + name.toUpperCase(Locale.ROOT);
        String v = env.get(var);
        if (v != null && !v.isBlank()) {
            return new Value(v.strip(), var);
        }
        Path dir = configDir();
        String active = env.get("CLOUDSDK_ACTIVE_CONFIG_NAME");
        String activeFrom = "CLOUDSDK_ACTIVE_CONFIG_NAME";
        if (active == null || active.isBlank()) {
            active = "default";
            activeFrom = null;
            Path f = dir.resolve("active_config");
            try {
                if (Files.isRegularFile(f) && Files.size(f) < 4096) {
                    String named = Files.readString(f).strip();
                    if (!named.isEmpty()) {
                        active = named;
                    }
                }
            } catch (IOException unreadable) {
                // gcloud itself falls back to "default"
            }
        }
        if (!active.matches("[a-z][-a-z0-9]{0,62}")) {
            return null; // gcloud's configuration names are lowercase letters, digits and dashes
        }
        Path file = dir.resolve("configurations").resolve("config_" + active);
        String found;
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > 1 << 20) {
                return null;
            }
            found = parse(Files.readString(file)).get(section + "/" + name);
        } catch (IOException unreadable) {
            return null;
        }
        if (found == null || found.isBlank()) {
            return null;
        }
        return new Value(
                found.strip(),
                "gcloud configuration '" + active + "'" + (activeFrom == null ? "" : " (" + activeFrom + ")") + ", "
                        + file);
    }

    /** {@code CLOUDSDK_CONFIG}, else {@code ~/.config/gcloud}. */
    Path configDir() {
        String c = env.get("CLOUDSDK_CONFIG");
        return c != null && !c.isBlank() ? Path.of(c) : home.resolve(".config/gcloud");
    }

    /** INI as gcloud writes it: [section], key = value, # and ; comments; keys as section/key. */
    static Map<String, String> parse(String ini) {
        Map<String, String> out = new HashMap<>();
        String section = "";
        for (String raw : ini.split("\r?\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1).strip().toLowerCase(Locale.ROOT);
                continue;
            }
            int eq = line.indexOf('=');
            if (eq > 0) {
                String key = line.substring(0, eq).strip().toLowerCase(Locale.ROOT);
                out.put(
                        section + "/" + key,
                        SafeText.clip(line.substring(eq + 1).strip(), 200));
            }
        }
        return out;
    }
}
