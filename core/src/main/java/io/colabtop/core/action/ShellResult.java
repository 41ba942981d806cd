package io.colabtop.core.action;

import io.colabtop.core.SafeText;
import java.util.ArrayList;
import java.util.List;

/**
 * What an action script printed, read back from its {@code colabtop-step:}, {@code colabtop-result:}
 * and {@code colabtop-error:} lines.
 */
public record ShellResult(
        int exitCode, List<String> steps, List<String> results, String error, String stdout, String stderr) {

    public boolean ok() {
        return exitCode == 0 && error == null;
    }

    /** Longest step, result or error line kept (they quote paths, commands and errors of the host). */
    static final int MAX_LINE = 2000;

    /**
     * Steps, results and the error quote what the host printed (an error of swapon, a mount's
     * device), so they are made safe for a terminal here ({@link SafeText}) and bounded; stdout
     * and stderr stay exact, for parsers.
     */
    public static ShellResult parse(int exitCode, String stdout, String stderr) {
        List<String> steps = new ArrayList<>();
        List<String> results = new ArrayList<>();
        String error = null;
        for (String line : stdout.split("\n")) {
            if (line.startsWith("colabtop-step: ")) {
                steps.add(SafeText.clip(line.substring(15), MAX_LINE));
            } else if (line.startsWith("colabtop-result: ")) {
                results.add(SafeText.clip(line.substring(17), MAX_LINE));
            } else if (line.startsWith("colabtop-error: ")) {
                error = SafeText.clip(line.substring(16), MAX_LINE);
            }
        }
        if (exitCode != 0 && error == null) {
            String err = stderr == null ? "" : stderr.strip();
            error = "exited with " + exitCode
                    + (err.isEmpty()
                            ? ""
                            : ": "
                                    + SafeText.clip(
                                            err.lines()
                                                    .limit(3)
                                                    .reduce((a, b) -> a + " / " + b)
                                                    .orElse(""),
                                            MAX_LINE));
        }
        return new ShellResult(
                exitCode, List.copyOf(steps), List.copyOf(results), error, stdout, stderr == null ? "" : stderr);
    }

    /** What an action that is not a script reports (a VM power change): its steps and results, no error. */
    public static ShellResult of(List<String> steps, List<String> results) {
        return new ShellResult(
                0,
                steps.stream().map(s -> SafeText.clip(s, MAX_LINE)).toList(),
                results.stream().map(s -> SafeText.clip(s, MAX_LINE)).toList(),
                null,
                "",
                "");
    }

    /** The value of the first result line starting with {@code key=}, or null. */
    public String value(String key) {
        for (String r : results) {
            if (r.startsWith(key + "=")) {
                return r.substring(key.length() + 1);
            }
        }
        return null;
    }
}
