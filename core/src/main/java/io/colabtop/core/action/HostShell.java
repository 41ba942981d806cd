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
}
