package io.colabtop.app.config;

import static org.junit.jupiter.api.Assertions.*;

import io.colabtop.app.cli.ColabtopCommand;
import io.colabtop.app.cli.ExitCodes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log survives restarts and crashes, stays small, and is readable by its owner only. */
class LogFileTest {
    @TempDir
    Path home;

    @AfterEach
    void detach() {
        Logger root = LogManager.getLogManager().getLogger("");
        for (var h : root.getHandlers()) {
            if (h instanceof LogFile) {
                root.removeHandler(h);
                h.close();
            }
        }
    }

    AppPaths paths() {
        return AppPaths.from(Map.of("HOME", home.toString()));
    }

    @Test
    void appendedAcrossStartsAndOwnerOnly() throws Exception {
        AppPaths p = paths();
        LogFile.install(p, Level.INFO);
        Logger.getLogger("colabtop").info("first run");
        detach();
        // a second start must not truncate what the first (maybe crashed) run wrote
        LogFile.install(p, Level.INFO);
        Logger.getLogger("colabtop").info("second run \u001b[2J");
        detach();
        String log = Files.readString(p.logFile());
        assertTrue(log.contains("first run") && log.contains("second run"), log);
        assertFalse(log.contains("\u001b"), "a host's text cannot rewrite the terminal of whoever reads the log");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p.logFile())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p.stateDir())));
    }

    @Test
    void rotatesBySizeAndKeepsThree() throws Exception {
        Path f = home.resolve("x.log");
        LogFile h = new LogFile(f, 1000);
        Logger l = Logger.getLogger("rot-test");
        l.setUseParentHandlers(false);
        l.addHandler(h);
        try {
            for (int i = 0; i < 100; i++) {
                l.info("line " + i + " " + "y".repeat(80));
            }
        } finally {
            l.removeHandler(h);
            h.close();
        }
        assertTrue(Files.size(f) <= 1000);
        for (int i = 1; i <= LogFile.KEEP; i++) {
            Path old = home.resolve("x.log." + i);
            assertTrue(Files.exists(old), old.toString());
            assertTrue(Files.size(old) <= 1000);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(old)));
        }
        assertFalse(Files.exists(home.resolve("x.log." + (LogFile.KEEP + 1))));
        assertTrue(Files.readString(f).contains("line 99"));
    }

    @Test
    void aCrashIsLoggedWithItsStackBeforeTheExitMessage() throws Exception {
        AppPaths p = paths();
        LogFile.install(p, Level.INFO);
        StringWriter err = new StringWriter();
        int code = ColabtopCommand.failed(new IllegalStateException("boom"), new PrintWriter(err, true));
        detach();
        assertEquals(ExitCodes.INTERNAL, code);
        String log = Files.readString(p.logFile());
        assertTrue(log.contains("SEVERE colabtop: colabtop failed"), log);
        assertTrue(log.contains("java.lang.IllegalStateException: boom"), log);
        assertTrue(log.contains("at io.colabtop.app.config.LogFileTest.aCrashIsLogged"), "the stack: " + log);
        assertTrue(err.toString().startsWith("colabtop: java.lang.IllegalStateException: boom"), err.toString());
    }

    /** A refused host key, for real: sshj's SEVERE "Dying because ..." lines become one INFO line each, no stacks. */
    @Test
    @io.colabtop.testing.HostTest
    void aRefusedHostKeyIsNotAnErrorInTheLog() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(io.colabtop.ssh.TestSshd.available(), "needs sshd");
        AppPaths p = paths();
        LogFile.install(p, Level.INFO);
        try (io.colabtop.ssh.TestSshd sshd = io.colabtop.ssh.TestSshd.start(java.util.List.of());
                io.colabtop.ssh.RemoteSource src = new io.colabtop.ssh.RemoteSource(
                        sshd.target(
                                "vm", home.resolve("known_hosts"), io.colabtop.ssh.KnownHostsVerifier.Policy.STRICT),
                        20,
                        java.time.Duration.ofSeconds(5),
                        java.time.Duration.ofSeconds(1),
                        java.time.InstantSource.system())) {
            assertThrows(io.colabtop.ssh.HostKeyException.class, src::poll);
            assertThrows(io.colabtop.ssh.HostKeyException.class, src::poll);
        } finally {
            detach();
        }
        String log = Files.readString(p.logFile());
        assertTrue(log.contains("INFO net.schmizz."), "sshj's account is kept, as information: " + log);
        assertFalse(log.contains("SEVERE"), log);
        assertFalse(log.contains("\tat net.schmizz"), "no stacks for an expected failure: " + log);
        // colabtop's own errors keep their level
        LogFile h = new LogFile(home.resolve("own.log"), 1 << 20);
        java.util.logging.LogRecord r = new java.util.logging.LogRecord(Level.SEVERE, "Dying because the disk is full");
        r.setLoggerName("colabtop");
        h.publish(r);
        h.close();
        assertTrue(Files.readString(home.resolve("own.log")).contains("SEVERE colabtop: Dying because"));
    }
}
