package io.colabtop.app.gce;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gcloud's property lookup order, on real files under a temp HOME and CLOUDSDK_CONFIG. */
class GcloudConfigTest {
    @TempDir
    Path home;

    Path write(Path dir, String name, String ini) throws Exception {
        Files.createDirectories(dir.resolve("configurations"));
        return Files.writeString(dir.resolve("configurations/config_" + name), ini);
    }

    @Test
    void environmentThenActiveConfigurationThenDefault() throws Exception {
        Path dflt = write(
                home.resolve(".config/gcloud"),
                "default",
                "# made by gcloud\n[core]\naccount = sarah@example.com\nproject = my-project\n\n[compute]\nzone = us-west1-b\nregion = us-west1\n");
        GcloudConfig plain = new GcloudConfig(Map.of(), home);
        assertEquals(new GcloudConfig.Value("my-project", "gcloud configuration 'default', " + dflt), plain.project());
        assertEquals("us-west1-b", plain.zone().value());
        // a property's environment variable wins, as in gcloud
        GcloudConfig env = new GcloudConfig(Map.of("CLOUDSDK_CORE_PROJECT", "from-env"), home);
        assertEquals(new GcloudConfig.Value("from-env", "CLOUDSDK_CORE_PROJECT"), env.project());
        assertEquals("us-west1-b", env.zone().value());
        // the active configuration is named in active_config, or by CLOUDSDK_ACTIVE_CONFIG_NAME
        Path work = write(home.resolve(".config/gcloud"), "work", "[core]\nproject = work-project\n");
        Files.writeString(home.resolve(".config/gcloud/active_config"), "work");
        assertEquals(new GcloudConfig.Value("work-project", "gcloud configuration 'work', " + work), plain.project());
        assertNull(plain.zone(), "the active configuration has no zone: none, not the default's");
        GcloudConfig named = new GcloudConfig(Map.of("CLOUDSDK_ACTIVE_CONFIG_NAME", "default"), home);
        assertEquals(
                "gcloud configuration 'default' (CLOUDSDK_ACTIVE_CONFIG_NAME), " + dflt,
                named.project().from());
        // CLOUDSDK_CONFIG moves the whole directory
        Path elsewhere = home.resolve("elsewhere");
        write(elsewhere, "default", "[core]\nproject = moved\n");
        assertEquals(
                "moved",
                new GcloudConfig(Map.of("CLOUDSDK_CONFIG", elsewhere.toString()), home)
                        .project()
                        .value());
        // nothing anywhere, or a configuration name that is not one
        assertNull(new GcloudConfig(Map.of(), home.resolve("nobody")).project());
        assertNull(new GcloudConfig(Map.of("CLOUDSDK_ACTIVE_CONFIG_NAME", "../../etc/passwd"), home).project());
    }

    @Test
    void iniAsGcloudWritesIt() {
        Map<String, String> m =
                GcloudConfig.parse("[core]\r\nproject = p-1\n; note\n[Compute]\n  zone=europe-west4-a  \n");
        assertEquals("p-1", m.get("core/project"));
        assertEquals("europe-west4-a", m.get("compute/zone"));
        assertEquals(
                "\\x1b[2J", GcloudConfig.parse("[core]\nproject = \u001b[2J\n").get("core/project"));
    }
}
