package io.colabtop.app.gce;

import com.google.cloud.compute.v1.Operation;
import io.colabtop.core.action.ActionPlan;
import io.colabtop.core.action.HostShell;
import io.colabtop.core.action.ShellResult;
import io.colabtop.core.cost.CostModel;
import io.colabtop.core.cost.Fx;
import io.colabtop.core.cost.VmInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Stopping and starting a VM: the plan the user confirms, and what does it. */
public final class VmPowerPlans {
    private VmPowerPlans() {
    }

    /** A plan and what runs it. */
    public record Planned(ActionPlan plan, HostShell shell) {
    }

    /** What a stop or start will do, and what it saves or costs per hour. */
    public static ActionPlan plan(VmInfo v, CostModel model, boolean stop, Fx fx) {
        List<String> summary = new ArrayList<>();
        String where = v.name() + " (" + v.zone() + ", project " + v.project() + ", " + v.machineType()
                + (v.gpus().isEmpty() ? "" : " + " + v.gpus().get(0).count() + "x " + v.gpus().get(0).type()) + ")";
        try {
            CostModel.Cost c = model.hourly(v.shape());
            if (stop) {
                summary.add("stop " + where + ": now " + v.status());
                summary.add("saves " + fx.format(c.savedByStopping()) + "/h ("
                        + fx.format(c.savedByStopping().times(CostModel.HOURS_PER_MONTH))
                        + "/month); its disks keep billing " + fx.format(c.stopped().total()) + "/h");
                summary.add("anything running on it stops; a spot or local-SSD VM loses its local data");
            } else {
                summary.add("start " + where + ": now " + v.status());
                summary.add("it will bill " + fx.format(c.total()) + "/h while running");
            }
        } catch (IllegalArgumentException e) {
            summary.add((stop ? "stop " : "start ") + where + " (cost unknown: " + e.getMessage() + ")");
        }
        // the host is the VM's identity (a name may repeat in other zones); the user types its name
        return new ActionPlan(v.hostName(), stop ? "vm-stop" : "vm-start", summary, "", stop, Duration.ofMinutes(5), v.name());
    }

    /**
     * The Compute API as a HostShell, so stop/start go through the same gate (confirmation, audit).
     * {@code progress} receives the VM's status: STOPPING or STAGING, then what the API says after DONE.
     */
    public static HostShell shell(ComputeApi api, String project, String zone, String vm, boolean stop,
                                  java.util.function.Consumer<String> progress) {
        return (script, timeout) -> {
            StringBuilder out = new StringBuilder();
            Operation op = api.power(project, zone, vm, stop);
            out.append("colabtop-step: ").append(stop ? "stop" : "start").append(" requested (operation ").append(op.getName())
                    .append(")\n");
            progress.accept(stop ? "STOPPING" : "STAGING"); // the VM's state while the operation runs
            // the operation's own states (RUNNING, DONE) are not the VM's: only the VM's final state is reported
            api.await(project, zone, op, timeout, Duration.ofSeconds(2), s -> {
            });
            VmInfo after = api.get(project, zone, vm);
            progress.accept(after.status());
            out.append("colabtop-step: operation DONE\n");
            out.append("colabtop-result: ").append(after.status()).append('\n');
            return ShellResult.parse(0, out.toString(), "");
        };
    }

}
