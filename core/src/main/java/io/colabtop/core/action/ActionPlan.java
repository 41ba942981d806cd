package io.colabtop.core.action;

import java.time.Duration;
import java.util.List;

/**
 * An action as data: what will run where, shown to the user before it runs.
 *
 * @param host      the host's name in colabtop
 * @param action    short name for the audit log: swap-on, swap-off, pin, mount, umount
 * @param summary   what the user confirms: the commands and sizes, one line each
 * @param script    the sh script that does it (see io.colabtop.ssh.HostScripts)
 * @param dangerous whether it can hurt a running job (swapoff, umount): shown in red, typed confirmation
 * @param confirmName what the user types to confirm a dangerous plan: the host's name, or a VM's
 *                    own name where the host is {@code NAME.ZONE.PROJECT}
 */
public record ActionPlan(String host, String action, List<String> summary, String script, boolean dangerous,
                         Duration timeout, String confirmName) {

    public ActionPlan(String host, String action, List<String> summary, String script, boolean dangerous,
                      Duration timeout) {
        this(host, action, summary, script, dangerous, timeout, host);
    }

    public ActionPlan {
        // the summary quotes host text (a matched process's command line, a path): shown safely
        summary = summary.stream().map(io.colabtop.core.SafeText::shown).toList();
    }
}
