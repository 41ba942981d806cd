package io.colabtop.testing;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints, at the end of a module's test run, every test that did not run and why, so a skip is
 * never silent:
 * <pre>
 * ==================================================================================
 *  SKIPPED: 9 of 104 tests did not run here, so they proved nothing:
 *   - RemoteSourceTest (8 tests; at class setup): Assumption failed: needs OpenSSH server (run-tests installs it)
 *   - ActionCliTest > swapThroughTheCliThenAuditShowsIt(): Assumption failed: swap needs root
 *  ./run-tests as root installs what they need; with CI=true a skipped test fails the build.
 * ==================================================================================
 * </pre>
 * Registered with the JUnit launcher by {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener};
 * surefire shows what it prints in the build's output.
 */
public final class SkipReport implements TestExecutionListener {
    private static final String RULE = "=".repeat(90);

    private final PrintStream out;
    private final List<String> skipped = new ArrayList<>();
    private int testsSeen;
    private int testsSkipped;
    private TestPlan plan;

    public SkipReport() {
        this(System.out);
    }

    SkipReport(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
        skipped.clear();
        testsSeen = 0;
        testsSkipped = 0;
    }

    @Override
    public synchronized void executionSkipped(TestIdentifier id, String reason) {
        // disabled (@Disabled, @EnabledIf...): nothing below it runs
        record(id, "disabled: " + reason);
    }

    @Override
    public synchronized void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            record(id, result.getThrowable().map(SkipReport::reason).orElse("aborted"));
        } else if (id.isTest()) {
            testsSeen++;
        }
    }

    /** A test, or a container whose tests never started (its tests are counted). */
    private void record(TestIdentifier id, String reason) {
        int tests = id.isTest()
                ? 1
                : (int) plan.getDescendants(id).stream()
                        .filter(TestIdentifier::isTest)
                        .count();
        testsSeen += tests;
        testsSkipped += tests;
        String what = id.isTest()
                ? path(id)
                : path(id) + " (" + tests + (tests == 1 ? " test" : " tests") + "; at class setup)";
        skipped.add(what + ": " + reason);
    }

    private static String reason(Throwable t) {
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m.replace('\n', ' ');
    }

    /** "RemoteSourceTest > pollsARealHost()": display names from the class down. */
    private String path(TestIdentifier id) {
        StringBuilder sb = new StringBuilder(id.getDisplayName());
        Optional<TestIdentifier> parent = plan.getParent(id);
        while (parent.isPresent() && parent.get().getParentIdObject().isPresent()) {
            sb.insert(0, parent.get().getDisplayName() + " > ");
            parent = plan.getParent(parent.get());
        }
        return sb.toString();
    }

    @Override
    public synchronized void testPlanExecutionFinished(TestPlan testPlan) {
        if (skipped.isEmpty()) {
            out.println("[skip report] no test skipped (" + testsSeen + " tests)");
        } else {
            out.println(RULE);
            out.println(" SKIPPED: " + testsSkipped + " of " + testsSeen
                    + " tests did not run here, so they proved nothing:");
            skipped.forEach(s -> out.println("  - " + s));
            out.println(" ./run-tests as root installs what they need; with CI=true a skipped test fails the build"
                    + (SkipPolicy.failOnSkip(testPlan.getConfigurationParameters()::get)
                            ? " (these are disabled, not assumptions, so they could not be failed)"
                            : "")
                    + ".");
            out.println(RULE);
        }
        out.flush();
    }
}
