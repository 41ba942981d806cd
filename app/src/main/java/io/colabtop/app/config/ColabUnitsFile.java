package io.colabtop.app.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.colabtop.core.SafeText;
import io.colabtop.core.cost.ColabUnits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Colab's compute units per hour, from a dated data file: the user's (--colab-units FILE, else
 * colab-units.json in colabtop's config directory) or the one shipped in the jar
 * (config/colab-units.json). A sample:
 * <pre>
 *   {"date": "2026-03", "source": "…", "usdPer100Units": 9.99,
 *    "runtimes": {"T4": {"unitsPerHour": 1.19, "gpu": "nvidia-tesla-t4"}}, "caveats": ["…"]}
 * </pre>
 */
public final class ColabUnitsFile {
    static final String SHIPPED = "/io/colabtop/app/colab-units.json";
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ColabUnitsFile() {}

    /** The units to compare with: {@code userFile}, else the config directory's file, else the shipped one. */
    public static ColabUnits load(Path userFile, AppPaths paths) {
        if (userFile != null) {
            if (!Files.isRegularFile(userFile)) {
                throw new UsageError("Colab units file " + userFile + " does not exist");
            }
            return read(userFile);
        }
        Path own = paths.configDir().resolve("colab-units.json");
        if (Files.isRegularFile(own)) {
            return read(own);
        }
        try (InputStream in = ColabUnitsFile.class.getResourceAsStream(SHIPPED)) {
            if (in == null) {
                throw new IllegalStateException("colab-units.json missing from the build");
            }
            return JSON.readValue(in, ColabUnits.class).validate();
        } catch (IOException e) {
            throw new IllegalStateException("the shipped Colab units are unreadable", e);
        }
    }

    static ColabUnits read(Path file) {
        try {
            return JSON.readValue(file.toFile(), ColabUnits.class).validate();
        } catch (UnrecognizedPropertyException e) {
            throw new UsageError(
                    "Colab units file " + file + ": unknown key '" + SafeText.clip(e.getPropertyName(), 60) + "'");
        } catch (IOException e) {
            throw new UsageError("cannot read Colab units file " + file + ": " + SafeText.clip(e.getMessage(), 300));
        } catch (IllegalArgumentException e) {
            throw new UsageError("Colab units file " + file + ": " + SafeText.clip(e.getMessage(), 300));
        }
    }
}
