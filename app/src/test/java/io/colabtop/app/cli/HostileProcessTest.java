package io.colabtop.app.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import io.colabtop.app.config.AppPaths;
import io.colabtop.app.fleet.FleetPoller;
import io.colabtop.app.tui.TuiSession;
import io.colabtop.core.HostSource;
import io.colabtop.core.HostUpdate;
import io.colabtop.core.SafeText;
import io.colabtop.ssh.KnownHostsVerifier;
import io.colabtop.ssh.RemoteSource;
import io.colabtop.ssh.TestSshd;
import io.colabtop.testing.HostTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An unprivileged user on a watched VM names a process with terminal escapes. Today's main crashed
 * the whole fleet TUI on it (exit 3, "Cannot create a TextCharacter from a control character") and
 * `colabtop status` wrote the raw escape sequence to the operator's terminal. Real processes on a
 * real sshd host: perl sets its own kernel name (/proc/self/comm) and blanks its command line.
 */
@HostTest
class HostileProcessTest {
    static final String EVIL_COMM = "\u001b[31mEVIL\u0007";
    static final String EVIL_ARGV = "\u202etxt.exe \u001b]0;pwned\u0007 训练データ";
    static TestSshd sshd;
    static Process blank;
    static Process titled;
    static Path ssh;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(TestSshd.available(), "needs OpenSSH server (run-tests installs it)");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/perl")), "needs perl (perl-base is Essential on Debian)");
        sshd = TestSshd.start();
        // empty argv ("[comm]" is shown) and an ESC in comm; oom_score_adj 1000 makes it the top victim
        blank = new ProcessBuilder(
                        "/usr/bin/perl",
                        "-e",
                        "$0 = ''; open(my $f, '>', '/proc/self/comm') or die; "
                                + "print $f \"\\e[31mEVIL\\a\"; close $f; sleep 120")
                .start();
        titled = new ProcessBuilder("/usr/bin/perl", "-CSDA", "-e", "$0 = $ARGV[0]; sleep 120", EVIL_ARGV).start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.readString(Path.of("/proc/" + blank.pid() + "/comm")).startsWith("\u001b")
                || !Files.readString(Path.of("/proc/" + titled.pid() + "/cmdline"))
                        .startsWith("\u202e")) {
            assertTrue(System.nanoTime() < until, "perl did not rename itself");
            Thread.sleep(20);
        }
        Files.writeString(Path.of("/proc/" + blank.pid() + "/oom_score_adj"), "1000");
        Files.writeString(Path.of("/proc/" + titled.pid() + "/oom_score_adj"), "999");
        AppPaths paths = AppPaths.fromEnvironment();
        ssh = paths.sshDir();
        Files.createDirectories(ssh);
        Path key = ssh.resolve("id_ed25519");
        Files.copy(TestSshd.clientKey(), key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        TestSshd.knownHosts(ssh.resolve("known_hosts"), sshd);
    }

    @AfterAll
    static void stop() throws Exception {
        for (Process p : new Process[] {blank, titled}) {
            if (p != null) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        }
        if (sshd != null) {
            sshd.close();
        }
        if (ssh != null) {
            try (Stream<Path> files = Files.walk(ssh)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static String spec() {
        return System.getProperty("user.name") + "@127.0.0.1:" + sshd.port();
    }

    @Test
    void statusShowsTheEscapeAndNeverWritesIt() {
        CliTest.Run r = CliTest.run("status", "--deadline", "10s", spec());
        assertEquals(0, r.code(), r.err());
        assertTrue(SafeText.isSafe(r.out().replace("\n", "")), "raw control characters reached the terminal");
        assertTrue(r.out().contains("[\\x1b[31mEVIL\\x07]"), r.out());
        assertTrue(r.out().contains("\\u202etxt.exe \\x1b]0;pwned\\x07 训练データ"), r.out());
    }

    @Test
    void jsonKeepsTheExactTextEscaped() throws Exception {
        CliTest.Run r = CliTest.run("status", "--json", "--deadline", "10s", spec());
        assertEquals(0, r.code(), r.err());
        assertFalse(r.out().contains("\u001b"), "JSON escapes control characters");
        assertFalse(r.out().contains("\u202e"), "and bidi overrides, so that cat of it cannot reorder a line");
        assertTrue(r.out().contains("\\u202etxt.exe"), r.out());
        JsonNode procs =
                new ObjectMapper().readTree(r.out()).get("hosts").get(0).get("processes");
        JsonNode evil = null;
        JsonNode argv = null;
        for (JsonNode p : procs) {
            if (p.get("pid").asLong() == blank.pid()) {
                evil = p;
            } else if (p.get("pid").asLong() == titled.pid()) {
                argv = p;
            }
        }
        assertNotNull(evil, procs.toString());
        assertEquals(EVIL_COMM, evil.get("comm").asText());
        assertEquals("[" + EVIL_COMM + "]", evil.get("command").asText());
        assertNotNull(argv, procs.toString());
        assertEquals(EVIL_ARGV, argv.get("command").asText());
    }

    @Test
    void theFleetScreenSurvivesAndShowsItSafely() throws Exception {
        Path kh = ssh.resolve("known_hosts");
        List<HostSource> sources = List.of(new RemoteSource(
                sshd.target("vm", kh, KnownHostsVerifier.Policy.STRICT),
                20,
                Duration.ofSeconds(10),
                Duration.ofSeconds(1),
                InstantSource.system()));
        DefaultVirtualTerminal vt = new DefaultVirtualTerminal(new TerminalSize(200, 30));
        TerminalScreen screen = new TerminalScreen(vt);
        screen.startScreen();
        TuiSession session =
                new TuiSession(screen, List.of("vm"), Duration.ofSeconds(2), InstantSource.system(), () -> {});
        try (FleetPoller poller = new FleetPoller(sources, Duration.ofSeconds(10), 2, InstantSource.system())) {
            for (HostUpdate u : poller.round()) {
                assertNotNull(u.snapshot(), u.error());
                session.offer(u);
            }
        }
        session.step();
        String table = screenText(vt);
        assertTrue(table.contains(blank.pid() + " [\\x1b[31mEVIL\\x07]"), table);
        vt.addInput(new KeyStroke(KeyType.Enter));
        session.step();
        String detail = screenText(vt);
        assertTrue(detail.contains("[\\x1b[31mEVIL\\x07]"), detail);
        assertTrue(detail.contains("\\u202etxt.exe"), detail);
        for (String row : detail.split("\n")) {
            assertTrue(SafeText.isSafe(row), row);
        }
    }

    static String screenText(DefaultVirtualTerminal vt) {
        List<String> rows = new ArrayList<>();
        for (int r = 0; r < vt.getTerminalSize().getRows(); r++) {
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < vt.getTerminalSize().getColumns(); c++) {
                sb.append(vt.getCharacter(c, r).getCharacterString());
            }
            rows.add(sb.toString());
        }
        return String.join("\n", rows);
    }
}
