package io.colabtop.ssh;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The scripts colabtop runs on hosts, checked like code: {@code shellcheck -s sh} (POSIX sh, as
 * dash is /bin/sh on Debian and Ubuntu) and {@code dash -n} (parses without running). A missing
 * tool skips the test, except under {@code CI=true}, where it fails: CI must check the scripts.
 */
public final class ShellLint {
    private ShellLint() {}

    /** The tool's path on PATH; skips the test when absent, fails it when CI=true. */
    public static Path require(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        if ("true".equals(System.getenv("CI"))) {
            fail(tool + " is not installed, and CI=true: the host scripts must be checked (apt-get install " + tool
                    + ")");
        }
        assumeTrue(false, tool + " is not installed (apt-get install " + tool + "; run-tests does)");
        throw new AssertionError("unreachable");
    }

    /**
     * shellcheck's findings ({@code file:line:col: level: text [SCnnnn]}) for {@code text} saved
     * as {@code name} in {@code dir}; empty when it is clean.
     */
    public static String shellcheckText(Path dir, String name, String text, String... excluded)
            throws IOException, InterruptedException {
        Path f = Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
        return shellcheck(f, excluded);
    }

    public static String shellcheck(Path file, String... excluded) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(require("shellcheck").toString(), "-s", "sh", "-f", "gcc"));
        if (excluded.length > 0) {
            cmd.add("-e");
            cmd.add(String.join(",", excluded));
        }
        cmd.add(file.toString());
        return run(cmd);
    }

    /** dash's complaint when it cannot parse the file, empty when it can. */
    public static String dashParse(Path file) throws IOException, InterruptedException {
        return run(List.of(require("dash").toString(), "-n", file.toString()));
    }

    /** The worker as the shell sees it: the single-quoted value of worker='...' with '\'' unquoted. */
    public static String worker(String swapOn) {
        int i = swapOn.indexOf("\nworker='") + "\nworker='".length();
        StringBuilder w = new StringBuilder();
        while (true) {
            if (swapOn.startsWith("'\\''", i)) {
                w.append('\'');
                i += 4;
            } else if (swapOn.charAt(i) == '\'') {
                return w.toString();
            } else {
                w.append(swapOn.charAt(i++));
            }
        }
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timeout: " + cmd);
        if (p.exitValue() != 0 && out.isBlank()) {
            return cmd + " exited " + p.exitValue();
        }
        return p.exitValue() == 0 ? "" : out;
    }
}
