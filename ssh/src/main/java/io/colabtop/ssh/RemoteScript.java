package io.colabtop.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/**
 * The remote probe (probe.sh beside this class) and the one command line that starts it.
 * The script holds no single quote and no backslash pair, and is joined into one line, so
 * {@code exec /bin/sh -c '...'} means the same to bash, zsh, fish and csh as login shells.
 */
public final class RemoteScript {
    private static final String SCRIPT = load();

    private RemoteScript() {
    }

    /** The whole exec command; {@code topProcesses} is range-checked, the script is constant. */
    public static String command(int topProcesses) {
        if (topProcesses < 1 || topProcesses > 500) {
            throw new IllegalArgumentException("topProcesses out of range: " + topProcesses);
        }
        return "exec /bin/sh -c '" + SCRIPT + "' colabtop-probe " + topProcesses;
    }

    public static String script() {
        return SCRIPT;
    }

    private static String load() {
        try (InputStream in = RemoteScript.class.getResourceAsStream("probe.sh")) {
            if (in == null) {
                throw new IllegalStateException("probe.sh missing from the jar");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String joined = text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .collect(Collectors.joining(" "));
            if (joined.indexOf('\'') >= 0 || joined.contains("\\\\")) {
                throw new IllegalStateException("probe.sh must not contain single quotes or backslash pairs");
            }
            return joined;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
