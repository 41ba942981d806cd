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
 * LocalSource), which pin --match knows as colabtop's own. With {@link ProbeEngine#PERL_WHERE_PRESENT}
 * the command line ends in {@code perl} and probe.pl follows on stdin the same way (its length, then
 * its bytes): probe.sh starts it where the host has perl, as its child (so still colabtop's own for
 * pin --match), and skips those bytes where it has not.
 */
public final class RemoteScript {
    /** The most the bootstrap reads (the probe is a few KiB): a garbled length line cannot make it read on and on. */
    static final int MAX_SCRIPT_BYTES = 1 << 20;
    /** Reads the length line, checks it is a number in range, reads that many bytes and runs them; $1 is N. */
    static final String BOOTSTRAP =
            "read -r n || exit 1; [ \"$n\" -gt 0 ] 2>/dev/null && [ \"$n\" -le " + MAX_SCRIPT_BYTES
                    + " ] || exit 1; s=$(dd bs=1 count=\"$n\" 2>/dev/null) || exit 1; exec /bin/sh -c \"$s\" colabtop-probe \"$1\" ${2+\"$2\"}";

    private static final String SCRIPT = load("probe.sh");
    private static final String PERL = load("probe.pl");
    private static final byte[] STDIN = framed(SCRIPT);
    private static final byte[] PERL_STDIN = framed(PERL);

    private RemoteScript() {}

    /** The whole exec command for the sh probe; {@code topProcesses} is range-checked, the rest is constant. */
    public static String command(int topProcesses) {
        return command(topProcesses, ProbeEngine.SH);
    }

    /** The whole exec command; {@code topProcesses} is range-checked, the rest is constant. */
    public static String command(int topProcesses, ProbeEngine engine) {
        checkTop(topProcesses);
        return "exec /bin/sh -c '" + BOOTSTRAP + "' colabtop-probe " + topProcesses + engineArgument(engine);
    }

    /** What goes to the sh probe's stdin before the first request: the script's length, then the script. */
    public static byte[] stdin() {
        return STDIN.clone();
    }

    /** What goes to the command's stdin before the first request: probe.sh framed, then probe.pl framed for perl. */
    public static byte[] stdin(ProbeEngine engine) {
        return engine == ProbeEngine.SH ? STDIN.clone() : concat(STDIN, PERL_STDIN);
    }

    /** probe.sh's second argument: " perl" (probe.pl follows on stdin) or nothing. */
    static String engineArgument(ProbeEngine engine) {
        return engine == ProbeEngine.SH ? "" : " perl";
    }

    /** What the local probe (probe.sh run directly, no bootstrap) reads first: probe.pl framed, or nothing. */
    static byte[] localPreamble(ProbeEngine engine) {
        return engine == ProbeEngine.SH ? new byte[0] : PERL_STDIN.clone();
    }

    /** probe.sh as written. */
    public static String script() {
        return SCRIPT;
    }

    /** probe.pl as written. */
    public static String perlScript() {
        return PERL;
    }

    /** "LENGTH\n" then the script's bytes: what the bootstrap and probe.sh's perl start read exactly. */
    static byte[] framed(String script) {
        byte[] body = script.getBytes(StandardCharsets.UTF_8);
        return concat((body.length + "\n").getBytes(StandardCharsets.US_ASCII), body);
    }

    static void checkTop(int topProcesses) {
        if (topProcesses < 1 || topProcesses > 500) {
            throw new IllegalArgumentException("topProcesses out of range: " + topProcesses);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static String load(String name) {
        try (InputStream in = RemoteScript.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " missing from the jar");
            }
            byte[] b = in.readAllBytes();
            if (b.length == 0 || b.length > MAX_SCRIPT_BYTES) {
                throw new IllegalStateException(name + " is " + b.length + " bytes");
            }
            return new String(b, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
