package io.colabtop.app.gce;

import com.google.cloud.compute.v1.Operation;
import io.colabtop.core.HostException;
import io.colabtop.core.action.ShellResult;
import io.colabtop.core.action.VmPower;
import io.colabtop.core.cost.CostModel;
import io.colabtop.core.cost.Fx;
import io.colabtop.core.cost.Money;
import io.colabtop.core.cost.VmInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** Stopping and starting a VM: the plan the user confirms, and what does it. */
public final class VmPowerPlans {
    /** How long a stop or start may take before colabtop stops following it (it goes on at Google). */
    static final Duration OPERATION_LIMIT = Duration.ofMinutes(5);

    /** States a stop makes sense in: the VM bills compute and is not already on its way down. */
    static final Set<String> STOPPABLE = Set.of("PROVISIONING", "STAGING", "RUNNING", "REPAIRING", "SUSPENDED");

    private VmPowerPlans() {}

    /**
     * A stop or start that is not planned because of the VM's state. {@link #alreadyDone()}: the
     * VM is already where the user wants it (stopped, or running); else it is on its way
     * somewhere (STOPPING, STAGING) and the user should wait.
     */
    public static final class Refused extends HostException {
        private final boolean alreadyDone;

        Refused(String message, boolean alreadyDone) {
            super(message);
            this.alreadyDone = alreadyDone;
        }

        public boolean alreadyDone() {
            return alreadyDone;
        }
    }

    /**
     * What a stop or start of {@code v} will do and what flips it: the Compute API, followed to DONE
     * (bounded); {@code progress} receives the VM's status (STOPPING or STAGING, then what the API
     * says after DONE). Money is in {@code fx}, the run's one currency; the plan names the catalog
     * its prices come from.
     *
     * @throws Refused when the VM's state makes the action pointless or wrong: a stop of a stopped
     *         VM (it would save nothing), a start of a running one
     */
    public static VmPower plan(
            VmInfo v, CostModel model, boolean stop, Fx fx, ComputeApi api, Consumer<String> progress) throws Refused {
        String where = v.name() + " (" + v.zone() + ", project " + v.project() + ", " + v.machineType()
                + (v.gpus().isEmpty()
                        ? ""
                        : " + " + v.gpus().get(0).count() + "x "
                                + v.gpus().get(0).type()) + (v.spot() ? ", spot" : "") + ")";
        CostModel.Cost c = model.hourly(v.shape());
        CostModel.Cost disks = c.stopped();
        String prices = "prices: " + model.catalog().info().label();
        if (stop && !STOPPABLE.contains(v.status())) {
            boolean stopped = v.status().equals("TERMINATED");
            throw new Refused(
                    stopped
                            ? v.name() + " is already stopped (TERMINATED): stopping it again saves nothing; its disks"
                                    + " keep billing " + money(fx, disks.total(), disks.complete()) + "/h until they"
                                    + " are deleted (" + prices + ")"
                            : v.name() + " is " + v.status() + ": nothing to stop now (wait for it to settle)",
                    stopped);
        }
        if (!stop && !v.status().equals("TERMINATED")) {
            boolean running = v.status().equals("RUNNING");
            throw new Refused(
                    running
                            ? "start refused: " + v.name() + " is already RUNNING, billing "
                                    + money(fx, c.total(), c.complete()) + "/h (" + prices + ")"
                            : "start refused: " + v.name() + " is " + v.status()
                                    + (v.status().equals("SUSPENDED")
                                            ? " (resume it with gcloud compute instances resume)"
                                            : " (start it once it has stopped)"),
                    running);
        }
        List<String> summary = new ArrayList<>();
        if (stop) {
            summary.add("stop " + where + ": now " + v.status());
            CostModel.Cost saved = c;
            summary.add("saves " + money(fx, c.savedByStopping(), saved.complete()) + "/h ("
                    + money(fx, c.savedByStopping().times(CostModel.HOURS_PER_MONTH), saved.complete())
                    + " per 730 h at list price); its disks keep billing "
                    + money(fx, disks.total(), disks.complete()) + "/h");
            summary.add("anything running on it stops; a spot or local-SSD VM loses its local data");
        } else {
            summary.add("start " + where + ": now " + v.status());
            summary.add("it will bill " + money(fx, c.total(), c.complete()) + "/h while running");
        }
        for (String m : c.missing()) {
            summary.add("not priced: " + m);
        }
        summary.add(prices);
        // the host is the VM's identity (a name may repeat in other zones); the user types its name
        return new VmPower(
                v.hostName(),
                v.name(),
                stop,
                summary,
                OPERATION_LIMIT,
                timeout -> flip(api, v.project(), v.zone(), v.name(), stop, timeout, progress));
    }

    /** "$2.86", or "≥ $2.86" when something in it has no price. */
    static String money(Fx fx, Money m, boolean complete) {
        return (complete ? "" : "≥ ") + fx.format(m);
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
