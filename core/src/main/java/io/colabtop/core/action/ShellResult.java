package io.colabtop.core.action;

import java.util.ArrayList;
import java.util.List;

/**
 * What an action script printed, read back from its {@code colabtop-step:}, {@code colabtop-result:}
 * and {@code colabtop-error:} lines.
 */
public record ShellResult(int exitCode, List<String> steps, List<String> results, String error, String stdout,
                          String stderr) {

    public boolean ok() {
        return exitCode == 0 && error == null;
    }

    public static ShellResult parse(int exitCode, String stdout, String stderr) {
        List<String> steps = new ArrayList<>();
        List<String> results = new ArrayList<>();
        String error = null;
        for (String line : stdout.split("\n")) {
            if (line.startsWith("colabtop-step: ")) {
                steps.add(line.substring(15));
            } else if (line.startsWith("colabtop-result: ")) {
                results.add(line.substring(17));
            } else if (line.startsWith("colabtop-error: ")) {
                error = line.substring(16);
            }
        }
        if (exitCode != 0 && error == null) {
            String err = stderr == null ? "" : stderr.strip();
            error = "exited with " + exitCode + (err.isEmpty() ? "" : ": " + err.lines().limit(3).reduce((a, b) -> a + " / " + b).orElse(""));
        }
        return new ShellResult(exitCode, List.copyOf(steps), List.copyOf(results), error, stdout, stderr == null ? "" : stderr);
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
