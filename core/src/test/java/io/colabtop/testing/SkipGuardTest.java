package io.colabtop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.Extension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestExecutionResult.Status;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs small test classes that skip through the real JUnit launcher, with the extensions and
 * configuration this build registers (junit-platform.properties and the service files on the
 * classpath, nothing added here), once as on CI and once as on a laptop.
 */
class SkipGuardTest {

    /** The fixtures. Static nested classes: surefire skips them (its excludes hold every {@code *$*}). */
    static class SkipsInATest {
        @Test
        void needsAUnicorn() {
            assumeTrue(false, "needs a unicorn");
        }

        @Test
        void passes() {}

        @Test
        void fails() {
            throw new AssertionError("a real failure");
        }

        @Nested
        class WithSetUp {
            @BeforeEach
            void setUp() {
                assumeTrue(false, "setup needs root");
            }

            @Test
            void afterSetUp() {}
        }
    }

    static class SkipsAtClassSetUp {
        @BeforeAll
        static void server() {
            assumeTrue(false, "needs OpenSSH server");
        }

        @Test
        void one() {}

        @Test
        void two() {}
    }

    /** Outcome of each test and container by display name ("needsAUnicorn()", "SkipGuardTest$SkipsAtClassSetUp"). */
    private static Map<String, TestExecutionResult> run(boolean ci, TestExecutionListener... more) {
        // no listeners from service files: the SkipReport of this very run must not print about the fixtures
        Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
                .enableTestExecutionListenerAutoRegistration(false)
                .enableLauncherSessionListenerAutoRegistration(false)
                .build());
        Map<String, TestExecutionResult> results = new LinkedHashMap<>();
        TestExecutionListener collect = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                results.put(id.getDisplayName(), result);
            }
        };
        launcher.execute(
                LauncherDiscoveryRequestBuilder.request()
                        .selectors(selectClass(SkipsInATest.class), selectClass(SkipsAtClassSetUp.class))
                        .configurationParameter(SkipPolicy.FAIL_ON_SKIP, Boolean.toString(ci))
                        .build(),
                concat(collect, more));
        return results;
    }

    private static TestExecutionListener[] concat(TestExecutionListener first, TestExecutionListener... more) {
        TestExecutionListener[] all = new TestExecutionListener[more.length + 1];
        all[0] = first;
        System.arraycopy(more, 0, all, 1, more.length);
        return all;
    }

    private static String message(TestExecutionResult r) {
        return r.getThrowable().orElseThrow().getMessage();
    }

    @Test
    void onCiEverySkipFailsWithItsReason() {
        Map<String, TestExecutionResult> r = run(true);
        for (Map.Entry<String, String> e : Map.of(
                        "needsAUnicorn()",
                        "needs a unicorn",
                        "afterSetUp()",
                        "setup needs root",
                        "SkipGuardTest$SkipsAtClassSetUp",
                        "needs OpenSSH server")
                .entrySet()) {
            TestExecutionResult result = r.get(e.getKey());
            assertEquals(Status.FAILED, result.getStatus(), e.getKey());
            assertInstanceOf(AssertionError.class, result.getThrowable().orElseThrow(), e.getKey());
            assertTrue(
                    message(result).startsWith("skipped on CI")
                            && message(result).contains(e.getValue()),
                    message(result));
        }
        assertEquals(Status.SUCCESSFUL, r.get("passes()").getStatus());
        assertEquals("a real failure", message(r.get("fails()")), "a failure stays what it was");
    }

    @Test
    void offCiASkipStaysASkip() {
        Map<String, TestExecutionResult> r = run(false);
        assertEquals(Status.ABORTED, r.get("needsAUnicorn()").getStatus());
        assertEquals(Status.ABORTED, r.get("afterSetUp()").getStatus());
        assertEquals(Status.ABORTED, r.get("SkipGuardTest$SkipsAtClassSetUp").getStatus());
        assertFalse(r.containsKey("one()"), "nothing of a class whose setup skipped runs");
        assertEquals(Status.SUCCESSFUL, r.get("passes()").getStatus());
        assertEquals(Status.FAILED, r.get("fails()").getStatus());
    }

    @Test
    void theReportListsEverySkippedTestWithItsReason() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        run(false, new SkipReport(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(
                lines.contains(" SKIPPED: 4 of 6 tests did not run here, so they proved nothing:"),
                String.join("\n", lines));
        assertTrue(
                lines.contains("  - SkipGuardTest$SkipsInATest > needsAUnicorn(): Assumption failed: needs a unicorn"),
                String.join("\n", lines));
        assertTrue(
                lines.contains(
                        "  - SkipGuardTest$SkipsInATest > WithSetUp > afterSetUp(): Assumption failed: setup needs root"),
                String.join("\n", lines));
        assertTrue(
                lines.contains(
                        "  - SkipGuardTest$SkipsAtClassSetUp (2 tests; at class setup): Assumption failed: needs OpenSSH server"),
                String.join("\n", lines));
        assertEquals(7, lines.size(), String.join("\n", lines));
    }

    @Test
    void theReportIsOneLineWhenNothingIsSkipped() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        run(true, new SkipReport(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        assertEquals("[skip report] no test skipped (4 tests)\n", bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void bothAreRegisteredByServiceFilesForEveryModule() {
        assertTrue(ServiceLoader.load(Extension.class).stream().anyMatch(p -> p.type() == SkipGuard.class));
        assertTrue(
                ServiceLoader.load(TestExecutionListener.class).stream().anyMatch(p -> p.type() == SkipReport.class));
    }
}
