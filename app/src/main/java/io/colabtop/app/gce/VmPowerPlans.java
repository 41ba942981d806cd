package io.colabtop.app.gce;

import com.google.cloud.compute.v1.Operation;
import io.colabtop.core.HostException;
import io.colabtop.core.action.ShellResult;
import io.colabtop.core.action.VmPower;
import io.colabtop.core.cost.CostModel;
import io.colabtop.core.cost.Fx;
import io.colabtop.core.cost.VmInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Stopping and starting a VM: the plan the user confirms, and what does it. */
public final class VmPowerPlans {
    /** How long a stop or start may take before colabtop stops following it (it goes on at Google). */
    static final Duration OPERATION_LIMIT = Duration.ofMinutes(5);

    private VmPowerPlans() {}

    /**
     * What a stop or start of {@code v} will do and what flips it: the Compute API, followed to DONE
     * (bounded); {@code progress} receives the VM's status (STOPPING or STAGING, then what the API
     * says after DONE).
     */
    public static VmPower plan(
            VmInfo v, CostModel model, boolean stop, Fx fx, ComputeApi api, Consumer<String> progress) {
        List<String> summary = new ArrayList<>();
        String where = v.name() + " (" + v.zone() + ", project " + v.project() + ", " + v.machineType()
                + (v.gpus().isEmpty()
                        ? ""
                        : " + " + v.gpus().get(0).count() + "x "
                                + v.gpus().get(0).type()) + ")";
        try {
            CostModel.Cost c = model.hourly(v.shape());
            if (stop) {
                summary.add("stop " + where + ": now " + v.status());
                summary.add("saves " + fx.format(c.savedByStopping()) + "/h ("
                        + fx.format(c.savedByStopping().times(CostModel.HOURS_PER_MONTH))
                        + "/month); its disks keep billing "
                        + fx.format(c.stopped().total()) + "/h");
                summary.add("anything running on it stops; a spot or local-SSD VM loses its local data");
            } else {
                summary.add("start " + where + ": now " + v.status());
                summary.add("it will bill " + fx.format(c.total()) + "/h while running");
            }
        } catch (IllegalArgumentException e) {
            summary.add((stop ? "stop " : "start ") + where + " (cost unknown: " + e.getMessage() + ")");
        }
        // the host is the VM's identity (a name may repeat in other zones); the user types its name
        return new VmPower(
                v.hostName(),
                v.name(),
                stop,
                summary,
                OPERATION_LIMIT,
                timeout -> flip(api, v.project(), v.zone(), v.name(), stop, timeout, progress));
    }

    private static ShellResult flip(
            ComputeApi api,
            String project,
            String zone,
            String vm,
            boolean stop,
            Duration timeout,
            Consumer<String> progress)
            throws HostException {
        List<String> steps = new ArrayList<>();
        Operation op = api.power(project, zone, vm, stop);
        steps.add((stop ? "stop" : "start") + " requested (operation " + op.getName() + ")");
        progress.accept(stop ? "STOPPING" : "STAGING"); // the VM's state while the operation runs
        // the operation's own states (RUNNING, DONE) are not the VM's: only the VM's final state is reported
        api.await(project, zone, op, timeout, s -> {});
        VmInfo after = api.get(project, zone, vm);
        progress.accept(after.status());
        steps.add("operation DONE");
        return ShellResult.of(steps, List.of(after.status()));
    }
}
