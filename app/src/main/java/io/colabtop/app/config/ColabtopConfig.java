package io.colabtop.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.colabtop.core.SafeText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * colabtop's config file (TOML, read with jackson-dataformat-toml). Example: config/config.example.toml.
 * Unknown keys are errors: a misspelt key silently ignored is a setting the user thinks they have.
 */
public record ColabtopConfig(
        String interval,
        String deadline,
        Integer processes,
        @JsonProperty("ssh_config") String sshConfig,
        List<HostEntry> hosts,
        List<String> projects,
        String currency,
        Double fx,
        @JsonProperty("prices_file") String pricesFile,
        @JsonProperty("idle_after") String idleAfter,
        @JsonProperty("internal_ip") Boolean internalIp) {

    /** One [[hosts]] table. */
    public record HostEntry(String name, String target, String identity) {}

    public static final ColabtopConfig EMPTY =
            new ColabtopConfig(null, null, null, null, List.of(), List.of(), null, null, null, null, null);

    public ColabtopConfig {
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
        projects = projects == null ? List.of() : List.copyOf(projects);
    }

    /** Reads {@code file}; a missing default file is an empty config, a missing explicit one an error. */
    public static ColabtopConfig load(Path file, boolean explicit) {
        if (!Files.exists(file)) {
            if (explicit) {
                throw new UsageError("config file " + file + " does not exist");
            }
            return EMPTY;
        }
        TomlMapper mapper = TomlMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
        try {
            ColabtopConfig c = mapper.readValue(file.toFile(), ColabtopConfig.class);
            for (HostEntry h : c.hosts()) {
                if (h.target() == null || h.target().isBlank()) {
                    throw new UsageError(
                            file + ": every [[hosts]] needs a target (user@host[:port] or an ssh_config alias)");
                }
                // a name is shown in every frame and written to the audit log: plain, visible, short
                if (h.name() != null
                        && (!SafeText.isSafe(h.name())
                                || h.name().codePointCount(0, h.name().length()) > 64)) {
                    throw new UsageError(file + ": host name '" + SafeText.clip(h.name(), 80) + "' must be at most 64 "
                            + "visible characters (no control, bidi or invisible characters)");
                }
            }
            return c;
        } catch (UnrecognizedPropertyException e) {
            throw new UsageError(file + ": unknown key '" + SafeText.clip(e.getPropertyName(), 80) + "' (known: "
                    + e.getKnownPropertyIds() + ")");
        } catch (JsonMappingException e) {
            throw new UsageError(file + ": " + SafeText.clip(e.getOriginalMessage(), 500));
        } catch (IOException e) {
            throw new UsageError("cannot read " + file + ": " + SafeText.clip(e.getMessage(), 500));
        }
    }
}
