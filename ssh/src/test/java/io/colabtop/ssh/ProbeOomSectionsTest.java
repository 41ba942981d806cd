package io.colabtop.ssh;

import static org.junit.jupiter.api.Assertions.*;

import io.colabtop.core.HostSnapshot;
import io.colabtop.core.oom.OomEvent;
import io.colabtop.core.oom.OomReport;
import io.colabtop.core.oom.OomdState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The real probe, run by this machine's /bin/sh, with stand-ins first on PATH for what this machine
 * cannot run (journald, systemd-oomd): journalctl, systemctl and oomctl that print recorded text
 * (core/src/test/resources/oom) and write down how they were called, dmesg and sudo that refuse.
 * It checks which source the probe picks and why it passes the others over, the exact arguments
 * it gives them, and that a plain tick runs none of them.
 */
class ProbeOomSectionsTest {
    @TempDir
    Path tmp;

    static String fixture(String name) throws IOException {
        try (InputStream in = ProbeOomSectionsTest.class.getResourceAsStream("/oom/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private Path tool(Path bin, String name, String body) throws IOException {
        Path f = bin.resolve(name);
        Files.writeString(f, "#!/bin/sh\nprintf '%s %s\\n' \"" + name + "\" \"$*\" >> \"$CALLS\"\n" + body);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        return f;
    }

    private LocalSource probe(Path bin, ProbeEngine engine) {
        return new LocalSource(
                20,
                InstantSource.system(),
                Map.of(
                        "PATH",
                        bin + ":" + System.getenv("PATH"),
                        "CALLS",
                        tmp.resolve("calls").toString()),
                RemoteScript.script(),
                engine);
    }

    private List<String> calls() throws IOException {
        Path c = tmp.resolve("calls");
        return Files.exists(c) ? Files.readAllLines(c) : List.of();
    }

    @ParameterizedTest
    @EnumSource(ProbeEngine.class)
    void theJournalIsReadWithTheMessageIdsAndOomdIsDumped(ProbeEngine engine) throws Exception {
        Path bin = Files.createDirectory(tmp.resolve("bin"));
        Files.writeString(
                tmp.resolve("journal.txt"),
                fixture("kernel-5.15-journal-short-unix.txt") + fixture("oomd-249-swap.txt"));
        tool(bin, "journalctl", """
                case "$*" in
                  "-k -b 0 -n 1 -q --no-pager -o cat") echo 'Linux version 6.8.0-48-generic' ;;
                  *) cat "%s" ;;
                esac
                """.formatted(tmp.resolve("journal.txt")));
        String dump = fixture("oomctl-249.txt");
        Files.writeString(tmp.resolve("dump.txt"), dump.substring(dump.indexOf('\n') + 1));
        tool(bin, "systemctl", "[ \"$*\" = 'is-active systemd-oomd' ] && echo active\n");
        tool(bin, "oomctl", "cat \"" + tmp.resolve("dump.txt") + "\"\n");
        tool(bin, "dmesg", "exit 1\n");
        try (LocalSource src = probe(bin, engine)) {
            HostSnapshot s = src.poll();
            assertEquals(engine == ProbeEngine.SH ? "sh" : "perl", src.engineInUse());
            OomReport r = s.oom();
            assertEquals("journal", r.source());
            assertNull(r.sourceNote(), "the first source worked: nothing passed over");
            assertEquals(2, r.events().size(), r.events().toString());
            OomEvent kernel = r.events().get(0);
            assertEquals(393802, kernel.pid());
            assertEquals("java", kernel.command().exact());
            assertEquals(
                    List.of("session-c2.scope"),
                    kernel.unitsFailed().stream().map(h -> h.exact()).toList());
            assertEquals(OomEvent.Killer.SYSTEMD_OOMD, r.events().get(1).killer());
            assertEquals(OomdState.Status.ACTIVE, r.oomd().status());
            assertEquals(
                    "/user.slice/user-1000.slice/user@1000.service",
                    r.oomd().pressureMonitored().get(0).path().exact());
            assertEquals(
                    List.of(
                            "systemctl is-active systemd-oomd",
                            "oomctl --no-pager dump",
                            "journalctl -k -b 0 -n 1 -q --no-pager -o cat",
                            "journalctl -q --no-pager -o short-unix -n 20000 _TRANSPORT=kernel + SYSLOG_IDENTIFIER=systemd-oomd"
                                    + " + MESSAGE_ID=fe6faa94e7774663a0da52717891d8ef + MESSAGE_ID="
                                    + "d989611b15e44c9dbf31e3c81256e4ed + MESSAGE_ID=d9b373ed55a64feb8242e02dbe79a49c"),
                    calls(),
                    "journald and oomd read once, on connect, dmesg never");
            HostSnapshot next = src.poll();
            assertEquals(4, calls().size(), "a plain tick runs none of them: " + calls());
            assertEquals(r.events(), next.oom().events(), "carried");
            assertSame(r.oomd(), next.oom().oomd());
        }
    }

    @ParameterizedTest
    @EnumSource(ProbeEngine.class)
    void noSourceReadableSaysWhichWereTriedAndWhy(ProbeEngine engine) throws Exception {
        Path bin = Files.createDirectory(tmp.resolve("bin"));
        tool(bin, "journalctl", "echo 'No journal files were found.' >&2\necho '-- No entries --' >&2\n");
        tool(bin, "dmesg", "echo 'dmesg: read kernel buffer failed: Operation not permitted' >&2\nexit 1\n");
        tool(bin, "sudo", "echo 'sudo: a password is required' >&2\nexit 1\n");
        tool(bin, "systemctl", "echo 'System has not been booted with systemd as init system (PID 1).' >&2\nexit 1\n");
        try (LocalSource src = probe(bin, engine)) {
            OomReport r = src.poll().oom();
            assertEquals("none", r.source());
            assertTrue(r.events().isEmpty());
            String note = r.sourceNote();
            assertTrue(note.startsWith("journal: no kernel messages readable"), note);
            if (!Files.exists(Path.of("/var/log/kern.log"))) {
                assertTrue(note.contains("kern.log: /var/log/kern.log does not exist"), note);
            }
            assertTrue(
                    note.endsWith(
                            "dmesg: refused (kernel.dmesg_restrict=1), and sudo -n dmesg too (no passwordless sudo)"),
                    note);
            assertTrue(calls().contains("sudo -n dmesg"), "dmesg through sudo -n, never a prompt: " + calls());
            assertEquals(OomdState.Status.ABSENT, r.oomd().status(), "systemctl without a systemd PID 1");
            assertNotNull(r.killsSinceBoot(), "the counter is there whatever the log");
        }
    }
}
