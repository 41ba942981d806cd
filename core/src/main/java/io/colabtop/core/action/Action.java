package io.colabtop.core.action;

import io.colabtop.core.SafeText;
import java.time.Duration;
import java.util.List;

/**
 * An action as data: what will happen where, shown to the user before it happens, confirmed and
 * audited by one gate, whatever kind it is. Adding an action is one case here (and, for a script,
 * one script file); everything that confirms, audits and reports works on this type.
 */
public sealed interface Action permits HostScript, VmPower, LocalWatch {
    /** The host's name in colabtop (a VM's is NAME.ZONE.PROJECT). */
    String host();

    /** Short name for the audit log and messages: swap-on, pin, vm-stop… */
    String name();

    /** What the user confirms, one line each: the exact commands, sizes, what it saves. */
    List<String> summary();

    /** Whether it can hurt a running job: shown in red, confirmed by typing {@link #confirmName()}. */
    boolean dangerous();

    /** The longest it may take before it counts as failed. */
    Duration timeout();

    /** What to type to confirm it when it is dangerous. */
    default String confirmName() {
        return host();
    }

    /** A summary quotes host text (a process's command line, a path): it is shown safely. */
    static List<String> safeSummary(List<String> summary) {
        return summary.stream().map(SafeText::shown).toList();
    }
}
