package io.colabtop.ssh;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostSpecTest {
    @Test
    void acceptsTheFormsUsersType() {
        assertEquals(new HostSpec("sarah", "34.91.2.3", 2222), HostSpec.parse("sarah@34.91.2.3:2222"));
        assertEquals(new HostSpec(null, "trainer", 0), HostSpec.parse("trainer"));
        assertEquals(
                new HostSpec("sarah_example_com", "vm.europe-west4-a.my-proj", 0),
                HostSpec.parse("sarah_example_com@vm.europe-west4-a.my-proj"));
        assertEquals(new HostSpec("u", "::1", 22), HostSpec.parse("u@[::1]:22"));
    }

    @Test
    void refusesHostileOrMalformedInput() {
        for (String bad : new String[] {
            "; rm -rf /",
            "$(reboot)",
            "`id`",
            "host\nProxyCommand x",
            "a b",
            "'q'",
            "\"q\"",
            "-oProxyCommand=x",
            "user@",
            "@host",
            "host:0",
            "host:70000",
            "host:",
            "h".repeat(300),
            "",
            "u@-host",
            "host;id",
            "a@b@c"
        }) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostSpec.parse(bad), bad);
            assertFalse(e.getMessage().contains("\n"), "message must not carry a newline: " + e.getMessage());
        }
    }

    @Test
    void sshConfigAliasesResolve(@TempDir Path home) throws Exception {
        Path cfg = home.resolve("config");
        Files.writeString(
                cfg,
                String.join(
                        "\n",
                        "Host trainer",
                        "  HostName 10.1.2.3",
                        "  Port 2222",
                        "  User sarah",
                        "  IdentityFile ~/.ssh/google_compute_engine",
                        "  UserKnownHostsFile ~/.ssh/google_compute_known_hosts",
                        "  HostKeyAlias compute.1234567890",
                        "  ConnectTimeout 7",
                        "  StrictHostKeyChecking accept-new",
                        "  ProxyJump bastion",
                        "Host bastion",
                        "  HostName 203.0.113.9",
                        "  User jump",
                        "Host evil",
                        "  HostName x;reboot",
                        ""));
        SshTargetResolver r = new SshTargetResolver(cfg, home, "me", Duration.ofSeconds(10));
        SshTarget t = r.resolve("trainer");
        assertEquals("trainer", t.name());
        assertEquals("10.1.2.3", t.host());
        assertEquals(2222, t.port());
        assertEquals("sarah", t.user());
        assertEquals(Duration.ofSeconds(7), t.connectTimeout());
        assertEquals("compute.1234567890", t.hostKeyAlias());
        assertEquals(KnownHostsVerifier.Policy.ACCEPT_NEW, t.policy());
        assertEquals(home.resolve(".ssh/google_compute_known_hosts"), t.knownHostsAppend());
        assertEquals(
                "google_compute_engine", t.identities().get(0).getFileName().toString());
        assertEquals("203.0.113.9", t.jump().host());
        assertEquals("jump", t.jump().user());

        SshTarget plain = r.resolve("bob@other:2200");
        assertEquals("other", plain.host());
        assertEquals("bob", plain.user());
        assertEquals(2200, plain.port());
        assertEquals(KnownHostsVerifier.Policy.STRICT, plain.policy());
        assertEquals(
                List.of(
                        home.resolve(".ssh/known_hosts"),
                        home.resolve(".ssh/google_compute_known_hosts"),
                        Path.of("/etc/ssh/ssh_known_hosts")),
                plain.knownHosts());
        assertTrue(plain.identities().stream().anyMatch(p -> p.endsWith("google_compute_engine")));
        assertEquals("me", r.resolve("noconfig").user());

        assertThrows(
                IllegalArgumentException.class, () -> r.resolve("evil"), "a HostName from ssh_config is validated too");
    }
}
