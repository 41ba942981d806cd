package io.colabtop.core.action;

import java.time.Duration;
import java.util.List;

/**
 * A script that runs on a host as root (fed to {@code sh -s} through the host's transport).
 *
 * @param host      the host's name in colabtop
 * @param name      short name for the audit log: swap-on, swap-off, pin, mount, umount
 * @param summary   what the user confirms: the commands and sizes, one line each
 * @param script    the sh script that does it (values validated and quoted into its header)
 * @param dangerous whether it can hurt a running job (swapoff, umount): shown in red, typed confirmation
 */
public record HostScript(
        String host, String name, List<String> summary, String script, boolean dangerous, Duration timeout)
        implements Action {
    public HostScript {
        summary = Action.safeSummary(summary);
    }
}
