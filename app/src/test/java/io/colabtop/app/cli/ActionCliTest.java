package io.colabtop.app.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.colabtop.app.config.AppPaths;
import io.colabtop.testing.HostTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The action commands as a script uses them: refusals, --yes, exit codes, the audit log. */
class ActionCliTest {
    @TempDir
    Path tmp;

    @Test
    void hostileValuesAreRefusedBeforeAnythingRuns() {
        String[][] attempts = {
            {"swap", "local", "--path", "/tmp/x; touch /tmp/colabtop-pwned", "--yes"},
            {"swap", "local", "--path", "/tmp/$(touch /tmp/colabtop-pwned)", "--yes"},
            {"swap", "local", "--path", "/tmp/`touch /tmp/colabtop-pwned`", "--yes"},
            {"swap", "local", "--path", "/tmp/a\nb", "--yes"},
            {"swap", "local", "--size", "1G; reboot", "--yes"},
            {"swap", "local", "--off", "/tmp/'quoted'", "--yes"},
            {"mount", "local", "$(touch /tmp/colabtop-pwned)", "/content/gcs", "--yes"},
            {"mount", "local", "my-bucket", "/content/gcs;id", "--yes"},
            {"mount", "local", "my-bucket", "/content/gcs", "-o", "allow_other;id", "--yes"},
            {"mount", "local", "b".repeat(300), "/content/gcs", "--yes"},
            {"umount", "local", "/content/../etc", "--yes"},
            {"pin", "local", "--match", "(unclosed", "--yes"},
            {"pin", "local", "--pid", "1", "--adj", "-5000", "--yes"},
            {"swap", "; rm -rf /", "--yes"},
        };
        for (String[] a : attempts) {
            CliTest.Run r = CliTest.run(a);
            assertEquals(2, r.code(), String.join(" ", a) + "\n" + r.out() + r.err());
            assertFalse(r.err().isBlank(), "says why: " + String.join(" ", a));
        }
        assertFalse(Files.exists(Path.of("/tmp/colabtop-pwned")));
    }

    @Test
    @HostTest
    void withoutATerminalOrYesNothingHappensAndTheRefusalIsAudited() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "swap needs root");
        Path dir = rootOnlyDir();
        Path swap = dir.resolve("swap");
        try {
            CliTest.Run r = CliTest.run("swap", "local", "--size", "256M", "--path", swap.toString());
            assertEquals(2, r.code());
            assertTrue(r.err().contains("add --yes"), r.err());
            assertTrue(r.out().contains("create a 256M swap file " + swap), r.out());
            assertFalse(Files.exists(swap));
            CliTest.Run audit = CliTest.run("audit", "--json", "-n", "1");
            assertTrue(audit.out().contains("\"outcome\":\"declined\""), audit.out());
        } finally {
            Files.deleteIfExists(dir);
        }
    }

    @Test
    @HostTest
    void aLongSwapShowsPlainProgressLinesWhenNotOnATerminalAndAFailureLeavesNothing() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "swap needs root");
        try (io.colabtop.app.action.HostFixtures.SlowFs fs = io.colabtop.app.action.HostFixtures.SlowFs.make(64)) {
            Path swap = fs.mount.resolve("swapfile");
            // 256 MiB at 64 MiB/s: dd writes for about 4 s; swapon then refuses a FUSE file, so the
            // script rewrites it once more, fails, and removes it
            CliTest.Run r = CliTest.run("swap", "local", "--size", "256M", "--path", swap.toString(), "--yes");
            assertEquals(1, r.code(), r.out() + r.err());
            List<String> progress =
                    r.err().lines().filter(l -> l.startsWith("  progress: ")).toList();
            assertTrue(
                    progress.stream().anyMatch(l -> l.matches("  progress: writing zeros \\S+/256M \\(\\d+%\\).*")),
                    "bytes written, of how much: " + r.err());
            assertTrue(progress.size() < 20, "a line per phase and every few seconds, not a flood: " + progress);
            assertFalse(r.err().contains("\r"), "no redrawing when not a terminal");
            assertTrue(r.err().contains("failed"), r.err());
            assertFalse(Files.exists(swap), "the failed swap left no file");
        }
    }

    @Test
    @HostTest
    void swapThroughTheCliThenAuditShowsIt() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "swap needs root");
        Path dir = rootOnlyDir();
        Path swap = dir.resolve("cli-swap");
        try {
            CliTest.Run on = CliTest.run("swap", "local", "--size", "256M", "--path", swap.toString(), "--yes");
            assertEquals(0, on.code(), on.out() + on.err());
            assertTrue(on.out().contains("not persistent"), on.out());
            assertTrue(Files.readString(Path.of("/proc/swaps")).contains(swap.toString()));
            CliTest.Run too = CliTest.run(
                    "swap",
                    "local",
                    "--size",
                    "500T",
                    "--path",
                    dir.resolve("big").toString(),
                    "--yes");
            assertEquals(1, too.code());
            assertTrue(too.err().contains("disk cannot hold"), too.err());
            CliTest.Run off = CliTest.run(
                    "swap",
                    "local",
                    "--off",
                    swap.toString(),
                    "--fstab",
                    tmp.resolve("fstab").toString(),
                    "--yes");
            assertEquals(0, off.code(), off.out() + off.err());
            assertFalse(Files.exists(swap));
            CliTest.Run audit = CliTest.run("audit", "-n", "5");
            assertTrue(audit.out().lines().anyMatch(l -> l.contains("swap-on") && l.contains(" ok ")), audit.out());
            assertTrue(audit.out().lines().anyMatch(l -> l.contains("swap-off") && l.contains(" ok ")), audit.out());
        } finally {
            new ProcessBuilder("swapoff", swap.toString()).start().waitFor(30, TimeUnit.SECONDS);
            Files.deleteIfExists(swap);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    @HostTest
    void aReadOnlyStateDirectoryStopsTheActionBeforeItRuns() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "swap and mount need root");
        Path state = AppPaths.fromEnvironment().stateDir();
        Files.createDirectories(state);
        Path dir = rootOnlyDir();
        Path swap = dir.resolve("swap");
        // root ignores file modes, not a read-only file system
        Process m = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", state.toString())
                .redirectErrorStream(true)
                .start();
        assumeTrue(m.waitFor(30, TimeUnit.SECONDS) && m.exitValue() == 0, "cannot mount a tmpfs here");
        try {
            CliTest.Run r = CliTest.run("swap", "local", "--size", "256M", "--path", swap.toString(), "--yes");
            assertEquals(1, r.code(), r.out() + r.err());
            assertTrue(
                    r.err()
                            .contains(
                                    "swap-on on local not run: every action is written to the audit log before it runs, and "
                                            + state.resolve("audit.log") + " cannot be written"),
                    r.err());
            assertFalse(Files.exists(swap), "the host was not touched");
            assertFalse(Files.readString(Path.of("/proc/swaps")).contains(swap.toString()));
        } finally {
            new ProcessBuilder("umount", state.toString()).start().waitFor(30, TimeUnit.SECONDS);
            new ProcessBuilder("swapoff", swap.toString()).start().waitFor(30, TimeUnit.SECONDS);
            Files.deleteIfExists(swap);
            Files.deleteIfExists(dir);
        }
    }

    /** A directory name on the host is host text too: the plan shows it escaped, never as a terminal command. */
    @Test
    @HostTest
    void thePlanShowsAHostsDirectoryNameEscaped() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "swap needs root");
        Path dir = rootOnlyDir();
        try {
            Path evil = Files.createDirectory(dir.resolve("evil\u001b]0;pwned\u0007\u202edir"));
            Path link = Files.createSymbolicLink(dir.resolve("link"), evil);
            CliTest.Run r = CliTest.run(
                    "swap",
                    "local",
                    "--size",
                    "256M",
                    "--path",
                    link.resolve("swap").toString());
            assertEquals(2, r.code(), r.err());
            assertTrue(
                    r.out()
                            .contains(link.resolve("swap") + " is " + dir
                                    + "/evil\\x1b]0;pwned\\x07\\u202edir/swap on local"),
                    r.out());
            assertNoTerminalControls(r.out() + r.err());
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void auditSkipsAndCountsCorruptLinesAndPrintsHostTextSafely() throws Exception {
        Path log = AppPaths.fromEnvironment().stateDir().resolve("audit.log");
        Files.createDirectories(log.getParent());
        Path saved = tmp.resolve("saved-audit.log");
        boolean had = Files.exists(log);
        if (had) {
            Files.move(log, saved);
        }
        try (var out = Files.newOutputStream(log)) {
            String evil = "\\u001b[31mred\\u001b]0;title\\u0007 \\u009b2J \\u202egnp.exe \\u200bzw \\u007f";
            out.write(("{\"time\":\"2024-05-01T10:00:00Z\",\"host\":\"before-the-big-line\",\"action\":\"pin\","
                            + "\"outcome\":\"ok\",\"durationMs\":5}\n")
                    .getBytes(StandardCharsets.UTF_8));
            byte[] big = new byte[10 << 20];
            java.util.Arrays.fill(big, (byte) 'x');
            out.write("{\"pad\":\"".getBytes(StandardCharsets.UTF_8));
            out.write(big);
            out.write("\"}\n".getBytes(StandardCharsets.UTF_8));
            out.write("{\"time\":\"2024-05-01T10:01:00Z\",\"host\":\"h\",\"action\":\"swap-on\",\"outc\n"
                    .getBytes(StandardCharsets.UTF_8)); // cut by a crash
            out.write(
                    new byte[] {'{', '"', 'h', 'o', 's', 't', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}', '\n'});
            out.write("42\n[\"not\",\"an\",\"object\"]\n\n".getBytes(StandardCharsets.UTF_8));
            out.write(("{\"time\":\"2024-05-01T10:02:00Z\",\"host\":\"evil\\u001b[2J\",\"action\":\"swap-on\","
                            + "\"outcome\":\"failed\",\"durationMs\":7,\"message\":\"" + evil + "\"}\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.write(("{\"id\":\"a1\",\"time\":\"2024-05-01T10:03:00Z\",\"host\":\"h\",\"action\":\"umount\","
                            + "\"outcome\":\"started\"}\n{\"id\":\"a1\",\"time\":\"2024-05-01T10:03:00Z\",\"host\":\"h\","
                            + "\"action\":\"umount\",\"outcome\":\"ok\",\"durationMs\":9}\n{\"id\":\"a2\",\"time\":"
                            + "\"2024-05-01T10:04:00Z\",\"host\":\"h\",\"action\":\"swap-on\",\"outcome\":\"started\"}\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        try {
            CliTest.Run r = CliTest.run("audit", "-n", "10");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.err().contains("skipped 5 unreadable lines of " + log), r.err());
            List<String> rows = r.out().lines().toList();
            assertEquals(4, rows.size(), r.out());
            assertTrue(
                    rows.get(0).contains("before-the-big-line"), "entries before a 10 MB line are still read: " + rows);
            assertTrue(
                    rows.get(1).contains("evil\\x1b[2J")
                            && rows.get(1)
                                    .contains("\\x1b[31mred\\x1b]0;title\\x07 \\x9b2J "
                                            + "\\u202egnp.exe \\u200bzw \\x7f"),
                    rows.get(1));
            assertTrue(
                    rows.get(2).contains("umount") && rows.get(2).contains(" ok "),
                    "started+ok folded into one row: " + rows);
            assertTrue(rows.get(3).contains("swap-on") && rows.get(3).contains("no outcome was recorded"), rows.get(3));
            assertNoTerminalControls(r.out());

            CliTest.Run json = CliTest.run("audit", "--json", "-n", "10");
            assertEquals(0, json.code(), json.err());
            assertNoTerminalControls(json.out());
            List<String> lines = json.out().lines().toList();
            assertEquals(5, lines.size(), json.out());
            com.fasterxml.jackson.databind.JsonNode evilEntry =
                    new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines.get(1));
            assertEquals("evil\u001b[2J", evilEntry.get("host").asText(), "the same values, escaped");
            assertTrue(evilEntry.get("message").asText().contains("\u202egnp.exe"));
        } finally {
            Files.deleteIfExists(log);
            if (had) {
                Files.move(saved, log);
            }
        }
    }

    /** No C0 control but newline, no DEL, no C1 control, no Unicode format character reaches the terminal. */
    static void assertNoTerminalControls(String s) {
        s.codePoints()
                .forEach(c -> assertFalse(
                        (c < 0x20 && c != '\n') || (c >= 0x7f && c <= 0x9f) || Character.getType(c) == Character.FORMAT,
                        String.format("U+%04X in %s", c, s)));
    }

    /** A 0700 directory under target/ (the swap script refuses one that others could change, like /tmp). */
    static Path rootOnlyDir() throws Exception {
        Path target = Files.createDirectories(Path.of("target").toAbsolutePath());
        Path d = Files.createTempDirectory(target, "cli-swap");
        Files.setPosixFilePermissions(d, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        return d;
    }

    @Test
    @HostTest
    void mountWithoutGcsfuseGivesTheInstallHint() {
        assumeTrue("root".equals(System.getProperty("user.name")), "actions need root or sudo");
        CliTest.Run r =
                CliTest.run("mount", "local", "my-bucket", tmp.resolve("gcs").toString(), "--yes");
        assertEquals(1, r.code());
        assertTrue(
                r.err().contains("gcsfuse is not installed") && r.err().contains("apt-get install gcsfuse"), r.err());
    }
}
