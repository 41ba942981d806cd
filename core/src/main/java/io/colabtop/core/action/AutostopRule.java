package io.colabtop.core.action;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * When a VM stops itself: a condition ({@link Trigger}), how long it must hold before the stop
 * ({@code grace}), an optional hook run first with a time-out, and the command that stops the
 * machine. Every value that reaches a host's shell is checked here, when the rule is made: a rule
 * that exists is one colabtop will send.
 *
 * @param grace         how long the condition must keep holding before the stop; for idle, on
 *                      top of the idle window
 * @param before        a program and its arguments run before the stop (checkpoints to a bucket),
 *                      empty for none
 * @param beforeTimeout how long the hook may run before it is stopped (the VM stops anyway)
 * @param stop          the program and arguments that stop the machine
 * @param period        how often the condition is checked
 */
public record AutostopRule(
        Trigger trigger,
        Duration grace,
        List<String> before,
        Duration beforeTimeout,
        List<String> stop,
        Duration period) {

    /** {@code shutdown -h now}: a guest shutdown makes a GCE VM TERMINATED, which stops compute billing. */
    public static final List<String> DEFAULT_STOP = List.of("/sbin/shutdown", "-h", "now");

    public static final Duration DEFAULT_PERIOD = Duration.ofMinutes(1);
    public static final Duration DEFAULT_GRACE = Duration.ofMinutes(5);
    public static final Duration DEFAULT_IDLE = Duration.ofMinutes(30);
    public static final Duration DEFAULT_BEFORE_TIMEOUT = Duration.ofMinutes(10);
    /** CPU busy share and GPU utilisation at most which a host counts as idle, as the table's IDLE flag. */
    public static final int DEFAULT_CPU_MAX = 5;

    public static final int DEFAULT_GPU_MAX = 5;

    /** What makes the VM stop. */
    public sealed interface Trigger permits Exits, Match, Idle {
        /** "exits", "match" or "idle": the watcher's name for it. */
        String kind();

        /** "when PID 4242 exits", "when no process matches 'train\.py'", "idle 30m". */
        String describe();
    }

    /**
     * Process {@code pid} is gone: the one that started at {@code startTicks} (field 22 of
     * /proc/PID/stat), so a reused pid does not count as it.
     *
     * @param command its command line as seen when armed, for the plan (host text)
     */
    public record Exits(int pid, long startTicks, String command) implements Trigger {
        public Exits {
            AutostopRule.pid(pid);
            if (startTicks < 0) {
                throw new IllegalArgumentException("a process start time is not negative");
            }
            command = command == null ? "" : command;
        }

        @Override
        public String kind() {
            return "exits";
        }

        @Override
        public String describe() {
            return "when PID " + pid + " exits";
        }
    }

    /** No process's command line (its arguments joined by spaces) matches {@code regex}, a POSIX ERE. */
    public record Match(String regex) implements Trigger {
        public Match {
            AutostopRule.regex(regex);
        }

        @Override
        public String kind() {
            return "match";
        }

        @Override
        public String describe() {
            return "when no process matches '" + regex + "'";
        }
    }

    /**
     * CPU busy at most {@code cpuMax} %, every GPU at most {@code gpuMax} % and no SSH terminal
     * open, for {@code window}.
     */
    public record Idle(Duration window, int cpuMax, int gpuMax) implements Trigger {
        public Idle {
            AutostopRule.duration("--when-idle", window, Duration.ofSeconds(1), Duration.ofDays(7));
            percent("CPU threshold", cpuMax);
            percent("GPU threshold", gpuMax);
        }

        public Idle(Duration window) {
            this(window, DEFAULT_CPU_MAX, DEFAULT_GPU_MAX);
        }

        @Override
        public String kind() {
            return "idle";
        }

        @Override
        public String describe() {
            return "idle " + AutostopRule.duration(window);
        }
    }

    public AutostopRule {
        if (trigger == null) {
            throw new IllegalArgumentException("autostop needs a condition: --when-exits, --when-match or --when-idle");
        }
        duration("--grace", grace, Duration.ZERO, Duration.ofDays(1));
        duration("--before's time-out", beforeTimeout, Duration.ofSeconds(1), Duration.ofHours(6));
        duration("the check period", period, Duration.ofSeconds(1), Duration.ofMinutes(10));
        before = List.copyOf(before == null ? List.of() : before);
        stop = List.copyOf(stop == null ? DEFAULT_STOP : stop);
        checkArgv("--before", before, true);
        checkArgv("--stop-command", stop, false);
    }

    /** A rule with the defaults: no hook, {@code shutdown -h now}, checked every minute. */
    public static AutostopRule of(Trigger trigger, Duration grace) {
        return new AutostopRule(trigger, grace, List.of(), DEFAULT_BEFORE_TIMEOUT, DEFAULT_STOP, DEFAULT_PERIOD);
    }

    /** The default grace: 5 minutes after a process exits or stops matching; none on top of an idle window. */
    public static Duration defaultGrace(Trigger t) {
        return t instanceof Idle ? Duration.ZERO : DEFAULT_GRACE;
    }

    /** How long after the condition starts to hold the VM stops: the grace, and for idle the window too. */
    public Duration waitAfterHolding() {
        return trigger instanceof Idle i ? i.window().plus(grace) : grace;
    }

    /** "when PID 4242 exits, then 5m of grace". */
    public String describe() {
        return trigger.describe() + (grace.isZero() ? "" : ", then " + duration(grace) + " of grace");
    }

    public AutostopRule withGrace(Duration g) {
        return new AutostopRule(trigger, g, before, beforeTimeout, stop, period);
    }

    public AutostopRule withBefore(List<String> hook, Duration timeout) {
        return new AutostopRule(trigger, grace, hook, timeout, stop, period);
    }

    public AutostopRule withStop(List<String> command) {
        return new AutostopRule(trigger, grace, before, beforeTimeout, command, period);
    }

    public AutostopRule withPeriod(Duration p) {
        return new AutostopRule(trigger, grace, before, beforeTimeout, stop, p);
    }

    // ---- the rules for each value that reaches a host

    /** Linux's highest possible pid (PID_MAX_LIMIT, 2^22). */
    static final int PID_MAX = 4_194_304;

    private static final Pattern ARG = Pattern.compile("[A-Za-z0-9._/+@%=:,-]+");
    private static final int MAX_REGEX = 200;
    private static final int MAX_COMMAND = 512;

    /** A pid that can exit: not init (1), not the kernel's threads' parent (2), within Linux's range. */
    public static int pid(int pid) {
        if (pid <= 2 || pid > PID_MAX) {
            throw new IllegalArgumentException("--when-exits: " + pid
                    + " is not a process that can exit (pids run 3 to " + PID_MAX + "; 1 is init)");
        }
        return pid;
    }

    /**
     * A POSIX extended regex as {@code grep -E} takes it on the host: 1 to 200 printable ASCII
     * characters (no control character or newline can reach the host's shell), one Java can also
     * parse (unbalanced brackets are said here, not there), and none of the Perl escapes ERE lacks.
     */
    public static String regex(String r) {
        if (r == null || r.isBlank()) {
            throw new IllegalArgumentException("--when-match needs a regular expression");
        }
        if (r.length() > MAX_REGEX) {
            throw new IllegalArgumentException(
                    "--when-match: at most " + MAX_REGEX + " characters (got " + r.length() + ")");
        }
        for (char c : r.toCharArray()) {
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("--when-match: only printable ASCII characters (got "
                        + String.format(Locale.ROOT, "U+%04X", (int) c) + ")");
            }
        }
        for (String perl : List.of("\\d", "\\D", "(?", "\\p", "\\h")) {
            if (r.contains(perl)) {
                throw new IllegalArgumentException("--when-match: the host runs grep -E (POSIX ERE), which has no "
                        + perl + (perl.equals("\\d") || perl.equals("\\D") ? " (use [0-9] or [^0-9])" : ""));
            }
        }
        try {
            Pattern.compile(r);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("--when-match: not a regular expression: " + e.getDescription());
        }
        return r;
    }

    /** A duration within [min, max]. */
    public static Duration duration(String what, Duration d, Duration min, Duration max) {
        if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException(what + " must be between " + duration(min) + " and " + duration(max)
                    + (d == null ? "" : " (got " + duration(d) + ")"));
        }
        if (d.getNano() != 0) {
            throw new IllegalArgumentException(what + " is counted in whole seconds (got " + d + ")");
        }
        return d;
    }

    static void percent(String what, int p) {
        if (p < 0 || p > 100) {
            throw new IllegalArgumentException(what + " must be 0 to 100 %, not " + p);
        }
    }

    /**
     * A command as a user types it, {@code /usr/bin/gsutil -m rsync -r /ckpt gs://b/ckpt}, into
     * its words. The host runs it without a shell (the words split on spaces, no glob), so what
     * is refused is what a shell would make more of: quotes, $, ;, |, &, *, ~, a space inside a
     * word; and a program that is not an absolute path (the watcher's PATH is not the user's).
     */
    public static List<String> command(String what, String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(what + " is empty");
        }
        List<String> words = List.of(text.strip().split(" +"));
        checkArgv(what, words, false);
        return words;
    }

    private static void checkArgv(String what, List<String> argv, boolean mayBeEmpty) {
        if (argv.isEmpty()) {
            if (mayBeEmpty) {
                return;
            }
            throw new IllegalArgumentException(what + " is empty");
        }
        int length = String.join(" ", argv).length();
        if (length > MAX_COMMAND) {
            throw new IllegalArgumentException(what + " is " + length + " characters; at most " + MAX_COMMAND
                    + " (put a longer one in a script on the VM and give its path)");
        }
        for (String w : argv) {
            if (w == null || !ARG.matcher(w).matches()) {
                throw new IllegalArgumentException(what + ": '" + io.colabtop.core.Printable.clip(String.valueOf(w), 60)
                        + "' has characters colabtop does not send: the host runs the command without a shell, so "
                        + "each word is letters, digits and . _ / + @ % = : , - only (no quotes, $, ;, |, &, *, ~ or "
                        + "spaces inside a word); for more, put it in a script on the VM and give its path");
            }
        }
        try {
            InputRules.path(what + "'s program", argv.get(0));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": the program must be an absolute path such as /sbin/shutdown "
                    + "(the watcher's PATH is not yours), got '" + io.colabtop.core.Printable.clip(argv.get(0), 60)
                    + "'");
        }
    }

    /** "30m", "90s", "1h", "1h30m", "0" as a user types them; whole seconds. */
    public static Duration parseDuration(String what, String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        java.util.regex.Matcher m = Pattern.compile("(?:(\\d{1,4})h)?(?:(\\d{1,5})m)?(?:(\\d{1,6})s?)?")
                .matcher(t);
        if (t.isEmpty() || !m.matches()) {
            throw new IllegalArgumentException(what + ": '" + io.colabtop.core.Printable.clip(t, 30)
                    + "' is not a duration like 30m, 90s or 1h30m");
        }
        long s = 0;
        if (m.group(1) != null) {
            s += Long.parseLong(m.group(1)) * 3600;
        }
        if (m.group(2) != null) {
            s += Long.parseLong(m.group(2)) * 60;
        }
        if (m.group(3) != null) {
            s += Long.parseLong(m.group(3));
        }
        return Duration.ofSeconds(s);
    }

    /** "30m", "1h30m", "90s", "0s". */
    public static String duration(Duration d) {
        long s = d.toSeconds();
        if (s == 0) {
            return "0s";
        }
        StringBuilder b = new StringBuilder();
        if (s >= 86400 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s >= 3600) {
            b.append(s / 3600).append('h');
            s %= 3600;
        }
        if (s >= 60) {
            b.append(s / 60).append('m');
            s %= 60;
        }
        if (s > 0) {
            b.append(s).append('s');
        }
        return b.toString();
    }
}
