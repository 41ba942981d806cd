package io.colabtop.core.oom;

import io.colabtop.core.HostText;
import io.colabtop.core.MemInfo;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether systemd-oomd can kill a process, and how close the rule that covers it is. oomd kills
 * cgroups below the ones it monitors (a monitored cgroup itself is not a candidate): a process is
 * covered by a pressure rule when its cgroup is under a cgroup with
 * {@code ManagedOOMMemoryPressure=kill}, by the swap rule when it is under one with
 * {@code ManagedOOMSwap=kill} ({@code /} on Fedora-like defaults). A job started from an SSH login
 * lives in {@code /user.slice/user-1000.slice/session-3.scope}: outside {@code user@1000.service},
 * so Ubuntu's 50 %/20 s pressure rule does not cover it; one started with {@code systemd-run --user}
 * or from a desktop terminal does.
 *
 * @param rule       which rule covers it
 * @param monitored  the monitored cgroup of that rule, or null
 * @param words      for the host view: "oomd: full 12.0% of 50% limit on user@1000.service (for > 20s)"
 */
public record OomdCoverage(Rule rule, HostText monitored, Double fullAvg10, Double limitPercent, String words) {

    /** JSON writes {@link #label()}. */
    public enum Rule {
        PRESSURE("pressure"),
        SWAP("swap"),
        NONE("none"),
        /** oomd's state or the process's cgroup was not read (yet). */
        UNKNOWN("unknown");

        private final String label;

        Rule(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private static final Pattern SESSION =
            Pattern.compile("^/user\\.slice/user-(\\d+)\\.slice/session-[^/]+\\.scope(/.*)?$");

    /**
     * @param cgroup the process's cgroup path (from /proc/PID/cgroup), or null when unknown
     * @param memory the host's memory now, for how close the swap rule is
     */
    public static OomdCoverage of(OomdState oomd, String cgroup, MemInfo memory) {
        if (oomd == null) {
            return new OomdCoverage(Rule.UNKNOWN, null, null, null, "oomd: not read yet");
        }
        if (!oomd.active()) {
            return new OomdCoverage(
                    Rule.NONE,
                    null,
                    null,
                    null,
                    oomd.status() == OomdState.Status.ABSENT ? "no systemd-oomd here" : "systemd-oomd is not running");
        }
        if (cgroup == null || cgroup.isEmpty()) {
            return new OomdCoverage(Rule.UNKNOWN, null, null, null, "oomd: cgroup not read");
        }
        OomdState.Monitored best = null;
        for (OomdState.Monitored m : oomd.pressureMonitored()) {
            if (under(cgroup, m.path().exact())
                    && (best == null
                            || m.path().exact().length() > best.path().exact().length())) {
                best = m;
            }
        }
        if (best != null) {
            Duration d = oomd.durationOf(best);
            return new OomdCoverage(
                    Rule.PRESSURE,
                    best.path(),
                    best.fullAvg10(),
                    best.limitPercent(),
                    String.format(
                            Locale.ROOT,
                            "oomd: full %.1f%% of %s limit on %s (for > %ds)",
                            best.fullAvg10(),
                            pct(best.limitPercent()),
                            leaf(best.path().shown()),
                            d.toSeconds()));
        }
        for (HostText s : oomd.swapMonitored()) {
            if (under(cgroup, s.exact())) {
                return new OomdCoverage(Rule.SWAP, s, null, oomd.swapUsedLimitPercent(), swapWords(oomd, s, memory));
            }
        }
        Matcher session = SESSION.matcher(cgroup);
        String userService = session.matches() ? "user@" + session.group(1) + ".service" : null;
        boolean userWatched = userService != null
                && oomd.pressureMonitored().stream()
                        .anyMatch(m -> m.path().exact().endsWith("/" + userService));
        return new OomdCoverage(
                Rule.NONE,
                null,
                null,
                null,
                userWatched
                        ? "oomd: not covered (a login's session scope, outside " + userService + "'s pressure rule)"
                        : "oomd: not covered (no rule watches its cgroup)");
    }

    /** Whether {@code cgroup} is strictly below {@code monitored} ({@code /} is above every other cgroup). */
    static boolean under(String cgroup, String monitored) {
        if (monitored.equals("/")) {
            return !cgroup.equals("/");
        }
        return cgroup.startsWith(monitored.endsWith("/") ? monitored : monitored + "/");
    }

    private static String swapWords(OomdState oomd, HostText on, MemInfo m) {
        double limit = oomd.swapUsedLimitPercent() == null ? 90 : oomd.swapUsedLimitPercent();
        if (m == null) {
            return "oomd: swap rule on " + on.shown() + " (memory and swap both over " + pct(limit) + ")";
        }
        if (m.swapTotalBytes() == 0) {
            return "oomd: swap rule on " + on.shown() + ", never fires without swap";
        }
        double mem = 100.0 * m.usedBytes() / Math.max(1, m.totalBytes());
        double swap = 100.0 * m.swapUsedBytes() / m.swapTotalBytes();
        return String.format(
                Locale.ROOT,
                "oomd: swap rule on %s: memory %.0f%%, swap %.0f%% used, acts when both > %s",
                on.shown(),
                mem,
                swap,
                pct(limit));
    }

    static String pct(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f%%", v) : String.format(Locale.ROOT, "%.2f%%", v);
    }

    private static String leaf(String path) {
        int slash = path.lastIndexOf('/');
        return slash >= 0 && slash < path.length() - 1 ? path.substring(slash + 1) : path;
    }
}
