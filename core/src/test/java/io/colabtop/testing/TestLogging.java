package io.colabtop.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * The test JVM logs as colabtop does (Main, LogFile): to a file, not to the terminal. Every
 * java.util.logging record (sshj's through slf4j-jdk14, Google's client's, ArchUnit's) and every
 * exception that ends a background thread go to {@value #FILE} under the module's directory, so
 * the expected errors of tests that attack hosts (a refused host key, a dropped connection) do not
 * bury the build's output; a failing test's assertion still shows there, its log is in the file, and
 * a red run ends with the file's path.
 * Registered by {@code META-INF/services/org.junit.platform.launcher.LauncherSessionListener} (set
 * up before the first test) and {@code ...TestExecutionListener} (puts the file back before each
 * test when a test that installs colabtop's own LogFile has taken the root logger's handlers away).
 */
public final class TestLogging implements LauncherSessionListener, TestExecutionListener {
    static final String FILE = "target/test-logs/tests.log";
    private static final String FORMAT = "java.util.logging.SimpleFormatter.format";
    private static Handler handler;
    private volatile boolean failed;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        open();
    }

    @Override
    public void executionStarted(TestIdentifier id) {
        reattach();
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.FAILED) {
            failed = true;
        }
    }

    /** On a red run, says where the logs went (on a green one, nothing). */
    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        if (failed) {
            System.out.println(
                    "[test logs] what the tests logged: " + Path.of(FILE).toAbsolutePath());
        }
    }

    private static synchronized void open() {
        if (handler != null) {
            return;
        }
        try {
            Path file = Path.of(FILE).toAbsolutePath();
            Files.createDirectories(file.getParent());
            LogManager.getLogManager().reset(); // drops the default ConsoleHandler (stderr)
            if (System.getProperty(FORMAT) == null) {
                // one line per record, then the stack if any: "2026-11-23T15:34:52.107 INFO net.schmizz...TransportImpl
                // - ..."
                System.setProperty(FORMAT, "%1$tFT%1$tT.%1$tL %4$s %3$s - %5$s%6$s%n");
            }
            handler = new FileHandler(file.toString(), false);
            handler.setFormatter(new SimpleFormatter());
            handler.setLevel(Level.ALL);
            reattach();
            Logger.getLogger("colabtop.test")
                    .info("logs of the tests run from " + Path.of("").toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + FILE, e);
        }
        // as Main does: a thread that dies is logged, not printed over the build's output
        Thread.setDefaultUncaughtExceptionHandler(
                (t, e) -> Logger.getLogger("colabtop.test").log(Level.SEVERE, "uncaught in thread " + t.getName(), e));
    }

    private static synchronized void reattach() {
        // a root logger with a handler of a test's own (LogFileTest's LogFile) is left alone: its records are what it
        // checks
        Logger root = Logger.getLogger("");
        if (handler != null && root.getHandlers().length == 0) {
            root.setLevel(Level.INFO);
            root.addHandler(handler);
        }
    }
}
