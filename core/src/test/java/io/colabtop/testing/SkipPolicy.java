package io.colabtop.testing;

import java.util.Optional;
import java.util.function.Function;

/**
 * Whether a skipped test fails the run. On CI ({@code CI=true}, as {@code .ci/run} exports and
 * GitHub Actions, GitLab and most others set) it does: a test that needs sshd and finds none has
 * proved nothing, and must not pass as green. Locally a skip is allowed and reported. The JUnit
 * configuration parameter {@value #FAIL_ON_SKIP} ({@code true} or {@code false}) overrides the
 * environment, which is how the tests of this mechanism pick a mode.
 */
final class SkipPolicy {
    static final String FAIL_ON_SKIP = "colabtop.failOnSkip";

    private SkipPolicy() {}

    /** @param parameters a JUnit configuration parameter by name */
    static boolean failOnSkip(Function<String, Optional<String>> parameters) {
        return parameters.apply(FAIL_ON_SKIP).map(Boolean::parseBoolean).orElseGet(SkipPolicy::onCi);
    }

    static boolean onCi() {
        String ci = System.getenv("CI");
        return ci != null && (ci.equalsIgnoreCase("true") || ci.equals("1"));
    }
}
