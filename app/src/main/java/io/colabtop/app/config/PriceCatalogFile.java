package io.colabtop.app.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.colabtop.core.cost.PriceCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a price catalog: the user's file when given, else the one shipped in the jar (config/prices.json). */
public final class PriceCatalogFile {
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private PriceCatalogFile() {}

    public static PriceCatalog load(Path userFile) {
        if (userFile != null) {
            if (!Files.isRegularFile(userFile)) {
                throw new UsageError("price file " + userFile + " does not exist");
            }
            try {
                return JSON.readValue(userFile.toFile(), PriceCatalog.class).validate();
            } catch (IOException e) {
                throw new UsageError("cannot read price file " + userFile + ": "
                        + io.colabtop.core.SafeText.clip(e.getMessage(), 300));
            } catch (IllegalArgumentException e) {
                throw new UsageError(
                        "price file " + userFile + ": " + io.colabtop.core.SafeText.clip(e.getMessage(), 300));
            }
        }
        try (InputStream in = PriceCatalogFile.class.getResourceAsStream("/io/colabtop/app/prices.json")) {
            if (in == null) {
                throw new IllegalStateException("prices.json missing from the build");
            }
            return JSON.readValue(in, PriceCatalog.class).validate();
        } catch (IOException e) {
            throw new IllegalStateException("the shipped price catalog is unreadable", e);
        }
    }
}
