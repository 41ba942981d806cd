package io.colabtop.core.action;

import io.colabtop.core.HostException;
import java.time.Duration;

/**
 * Runs an action script on one host as root: directly when already root, else through
 * {@code sudo -n} (never a prompt on the host). Fails with a HostException naming what is needed
 * when neither is possible.
 */
public interface HostShell {
    /**
     * The stdin of the script's process is the script; stdout and stderr are read to their end, of
     * each at most its first MiB and last 64 KiB come back (a line says what was cut).
     */
    ShellResult runAsRoot(String script, Duration timeout) throws HostException;

    /**
     * The same, watched: each {@link Progress} line the script prints is handed to {@code watch}
     * as it comes, and when {@code watch} says cancelled the script is stopped (its connection
     * closed or its process ended; a swap script then undoes on the host) and
     * {@link ActionCancelledException} is thrown. Transports that cannot stream run unwatched.
     */
    default ShellResult runAsRoot(String script, Duration timeout, ShellWatch watch) throws HostException {
        return runAsRoot(script, timeout);
    }

    /**
     * The same script as the login user, without root or sudo: for reads that need no privilege
     * (autostop --from-here's readings, on hosts where colabtop has no root). Transports that
     * cannot tell the two apart run it as root.
     */
    default ShellResult runAsUser(String script, Duration timeout) throws HostException {
        return runAsRoot(script, timeout);
    }
}
