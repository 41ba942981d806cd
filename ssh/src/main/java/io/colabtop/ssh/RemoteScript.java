package io.colabtop.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The probe (probe.sh beside this class), sent as written, and the one command line that starts
 * it on a host. The login shell of the remote user (bash, zsh, fish, csh, tcsh...) parses that
 * command line, and they agree on little: so it is a constant with no newline (tcsh refuses one
 * inside quotes), no single quote inside its single quotes, no backslash (fish reads {@code \\}
 * and {@code \'} inside single quotes) and no {@code !} (csh history). It only starts
 * {@code /bin/sh}, which reads the script from stdin:
 * <pre>
 * 5123            the script's length in bytes, one line
 * # colabtop's... exactly that many bytes: probe.sh
 * </pre>
 * {@code read} and {@code dd bs=1} take no byte more than asked, so the requests that follow on
 * stdin (sent only after the probe's hello) are the probe's to read. The script then runs as
 * {@code /bin/sh -c SCRIPT colabtop-probe N}, the same command line as the local probe (see
 * LocalSource), which pin --match knows as colabtop's own.
 */
public final class RemoteScript {
    /** The most the bootstrap reads (the probe is a few KiB): a garbled length line cannot make it read on and on. */
    static final int MAX_SCRIPT_BYTES = 1 << 20;
    /** Reads the length line, checks it is a number in range, reads that many bytes and runs them; $1 is N. */
    static final String BOOTSTRAP =
            "read -r n || exit 1; [ \"$n\" -gt 0 ] 2>/dev/null && [ \"$n\" -le " + MAX_SCRIPT_BYTES
                    + " ] || exit 1; s=$(dd bs=1 count=\"$n\" 2>/dev/null) || exit 1; exec /bin/sh -c \"$s\" colabtop-probe \"$1\"";

    private static final String SCRIPT = load();
    private static final byte[] STDIN = stdin(SCRIPT);

    private RemoteScript() {}

    /** The whole exec command; {@code topProcesses} is range-checked, the rest is constant. */
    public static String command(int topProcesses) {
        checkTop(topProcesses);
        return "exec /bin/sh -c '" + BOOTSTRAP + "' colabtop-probe " + topProcesses;
    }

    /** What goes to the command's stdin before the first request: the script's length, then the script. */
    public static byte[] stdin() {
        return STDIN.clone();
    }

    /** probe.sh as written. */
    public static String script() {
        return SCRIPT;
    }

    static void checkTop(int topProcesses) {
        if (topProcesses < 1 || topProcesses > 500) {
            throw new IllegalArgumentException("topProcesses out of range: " + topProcesses);
        }
    }

    private static byte[] stdin(String script) {
        byte[] body = script.getBytes(StandardCharsets.UTF_8);
        byte[] head = (body.length + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    private static String load() {
        try (InputStream in = RemoteScript.class.getResourceAsStream("probe.sh")) {
            if (in == null) {
                throw new IllegalStateException("probe.sh missing from the jar");
            }
            byte[] b = in.readAllBytes();
            if (b.length == 0 || b.length > MAX_SCRIPT_BYTES) {
                throw new IllegalStateException("probe.sh is " + b.length + " bytes");
            }
            return new String(b, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
