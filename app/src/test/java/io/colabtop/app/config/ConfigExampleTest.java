package io.colabtop.app.config;

import static org.junit.jupiter.api.Assertions.*;

import io.colabtop.app.cli.CliTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config/config.example.toml is what users copy: it must parse, optional keys included. */
class ConfigExampleTest {
    static final Path EXAMPLE = Path.of("../config/config.example.toml");

    @Test
    void theExampleParses() {
        ColabtopConfig c = ColabtopConfig.load(EXAMPLE, true);
        assertEquals(3, c.hosts().size());
        assertEquals("local", c.hosts().get(0).target());
        assertEquals("~/.ssh/google_compute_engine", c.hosts().get(1).identity());
    }

    @Test
    void everyOptionalKeyParsesWhenUncommented(@TempDir Path tmp) throws Exception {
        String text = Files.readString(EXAMPLE)
                .replaceAll("(?m)^# (projects|internal_ip|idle_after|currency|fx|prices_file|ssh_config) =", "$1 =");
        ColabtopConfig c = ColabtopConfig.load(Files.writeString(tmp.resolve("all.toml"), text), true);
        assertEquals(java.util.List.of("my-ml-project"), c.projects());
        assertEquals("JPY", c.currency());
        assertEquals(150.0, c.fx());
        assertEquals("30m", c.idleAfter());
        assertEquals(Boolean.FALSE, c.internalIp());
        assertEquals("/path/to/my-prices.json", c.pricesFile());
    }

    @Test
    void aHostNameWithEscapesIsRefusedAndShownSafely(@TempDir Path tmp) throws Exception {
        // a TOML basic string may carry any control character; the name would be painted in every frame
        Path cfg = Files.writeString(
                tmp.resolve("evil.toml"), "[[hosts]]\nname = \"box\\u001b[2J\\u202e\"\ntarget = \"local\"\n");
        UsageError e = assertThrows(UsageError.class, () -> ColabtopConfig.load(cfg, true));
        assertTrue(e.getMessage().contains("box\\x1b[2J\\u202e"), e.getMessage());
        assertFalse(e.getMessage().contains("\u001b"), e.getMessage());
        CliTest.Run r = CliTest.run("status", "--config", cfg.toString());
        assertEquals(2, r.code());
        assertFalse(r.err().contains("\u001b"), r.err());
    }
}
