package io.colabtop.core.action;

import io.colabtop.core.HostException;
import java.time.Duration;
import java.util.List;

/**
 * Stopping or starting a cloud VM. The power switch is what flips it (the Compute API, in the app);
 * a stop is dangerous and confirmed by typing the VM's own name.
 *
 * @param host   the VM's host name in colabtop, NAME.ZONE.PROJECT
 * @param vmName the VM's own name, what the user types to confirm a stop
 */
public record VmPower(String host, String vmName, boolean stop, List<String> summary, Duration timeout, Switch power)
        implements Action {

    /** What flips the power and follows it to the end, reporting steps and the VM's final state. */
    @FunctionalInterface
    public interface Switch {
        ShellResult flip(Duration timeout) throws HostException;
    }

    public VmPower {
        summary = Action.safeSummary(summary);
    }

    @Override
    public String name() {
        return stop ? "vm-stop" : "vm-start";
    }

    @Override
    public boolean dangerous() {
        return stop;
    }

    @Override
    public String confirmName() {
        return vmName;
    }
}
