package io.colabtop.app.tui;

import io.colabtop.app.action.RescuePlanner;
import io.colabtop.app.tui.dialog.InputDialog;
import io.colabtop.app.tui.dialog.PlanDialog;
import io.colabtop.app.tui.state.FleetView;
import io.colabtop.core.HostException;
import io.colabtop.core.ProcessInfo;
import io.colabtop.core.action.Action;
import io.colabtop.core.action.Confirmation;
import io.colabtop.core.action.HostShell;
import io.colabtop.core.action.InputRules;
import io.colabtop.core.action.ShellResult;
import io.colabtop.core.action.VmPower;
import io.colabtop.core.cost.VmInfo;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * From a key to an action: plan it (off the UI thread when that reads the host or the API), show
 * the plan for confirmation, run it through the gate, report how it ended. Whatever runs elsewhere
 * reaches the screen's state only through {@code post}.
 */
final class ActionFlow {
    private final ActionDesk desk;
    private final Executor background;
    private final Consumer<Consumer<FleetView>> post;
    private final Consumer<io.colabtop.app.tui.dialog.Dialog> open;
    private final Runnable refreshNow;

    ActionFlow(
            ActionDesk desk,
            Executor background,
            Consumer<Consumer<FleetView>> post,
            Consumer<io.colabtop.app.tui.dialog.Dialog> open,
            Runnable refreshNow) {
        this.desk = desk;
        this.background = background;
        this.post = post;
        this.open = open;
        this.refreshNow = refreshNow;
    }

    /** w: the emergency swap plan of the selected host (reads its RAM and disk first). */
    void swap(FleetView view) {
        String host = view.hosts().selected();
        HostShell shell = shellOrSay(view, host);
        if (shell == null) {
            return;
        }
        view.setMessage("planning swap on " + host + "…");
        background.execute(() -> {
            try {
                Action plan =
                        RescuePlanner.swapOn(host, shell, 0, RescuePlanner.DEFAULT_SWAP, false, RescuePlanner.FSTAB);
                post.accept(v -> open.accept(new PlanDialog(plan)));
            } catch (Exception e) {
                String why = HostException.describe(e);
                post.accept(v -> v.setMessage("swap on " + host + ": " + why));
            }
        });
    }

    /** p in a host view: protect the selected process and its descendants from both OOM killers. */
    void pin(FleetView view) {
        String host = view.hosts().selected();
        if (shellOrSay(view, host) == null) {
            return;
        }
        ProcessInfo p = view.mode() == FleetView.Mode.DETAIL ? view.hosts().selectedProcess() : null;
        if (p == null) {
            view.setMessage("open a host (Enter) and select a process to pin");
            return;
        }
        open.accept(new PlanDialog(RescuePlanner.pin(
                host, List.of(new RescuePlanner.Found(p.pid(), p.startTimeTicks(), p.displayCommand())), -1000, true)));
    }

    /** m: asks for a bucket, then a mount point, then shows the plan. */
    void mount(FleetView view) {
        String host = view.hosts().selected();
        if (shellOrSay(view, host) == null) {
            return;
        }
        open.accept(new InputDialog("gcsfuse: bucket to mount on " + host, "", bucket -> {
            InputRules.bucket(bucket);
            open.accept(new InputDialog(
                    "mount point for " + bucket,
                    "/content/gcs",
                    mp -> open.accept(new PlanDialog(RescuePlanner.mount(host, bucket, mp, List.of())))));
        }));
    }

    /** S: stops a running VM and starts a stopped one (users stop and resume); planned off the UI thread. */
    void power(FleetView view) {
        String host = view.hosts().selected();
        if (host == null) {
            return;
        }
        VmInfo vm = view.vms().vm(host);
        if (vm == null) {
            view.setMessage(view.vms().label(host) + " is not a GCE VM colabtop found (start with --project)");
            return;
        }
        boolean stop = vm.billingCompute();
        if (!stop && !vm.status().equals("TERMINATED")) {
            view.setMessage(vm.name() + " is " + vm.status() + ": nothing to stop or start now");
            return;
        }
        view.setMessage("planning the " + (stop ? "stop" : "start") + " of " + vm.name() + "…");
        background.execute(() -> {
            try {
                VmPower p = desk.vmPower(
                        host, stop, status -> post.accept(v -> v.vms().status(host, status)));
                post.accept(v -> {
                    if (p == null) {
                        v.setMessage("cannot stop " + host);
                    } else {
                        open.accept(new PlanDialog(p));
                    }
                });
            } catch (Exception e) {
                String why = HostException.describe(e);
                post.accept(v -> v.setMessage((stop ? "stop " : "start ") + host + ": " + why));
            }
        });
    }

    /** Runs a confirmed plan through the gate, off the UI thread, and reports how it ended. */
    void run(FleetView view, Action plan, Confirmation confirmation) {
        view.actions().started(plan.host(), plan.name());
        view.setMessage(plan.name() + " on " + plan.host() + "…");
        background.execute(() -> {
            long t0 = System.nanoTime();
            String outcome;
            try {
                ShellResult r = desk.gate().run(plan, confirmation);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                outcome = r.ok()
                        ? plan.name() + " done in " + ms + " ms: "
                                + (plan.name().equals("pin")
                                        ? io.colabtop.app.action.Protection.of(r)
                                                .summary()
                                        : String.join("; ", r.results()))
                        : plan.name() + " failed: " + r.error()
                                + (r.results().contains("missing gcsfuse")
                                        ? "; " + RescuePlanner.GCSFUSE_INSTALL_HINT
                                        : "")
                                + " (host left as it was)";
            } catch (Exception e) {
                outcome = plan.name() + " failed: " + HostException.describe(e);
            }
            String o = outcome;
            post.accept(v -> {
                v.actions().finished(plan.host(), o);
                v.setMessage(plan.host() + ": " + o);
            });
            refreshNow.run();
            if (plan instanceof VmPower) {
                desk.rediscover();
            }
        });
    }

    /** The user said no: audited off the UI thread (a slow disk must not freeze the screen). */
    void declined(FleetView view, Action plan) {
        view.setMessage(plan.name() + " on " + plan.host() + ": cancelled");
        background.execute(() -> {
            try {
                desk.gate().declined(plan, "tui");
            } catch (IOException e) {
                String why = HostException.describe(e);
                post.accept(v -> v.setMessage("cancelled; the audit log could not record it: " + why));
            }
        });
    }

    private HostShell shellOrSay(FleetView view, String host) {
        if (host == null) {
            return null;
        }
        HostShell shell = desk.shellFor(host);
        if (shell == null) {
            view.setMessage("colabtop cannot act on " + view.vms().label(host));
            return null;
        }
        if (view.actions().running(host) != null) {
            view.setMessage(view.actions().running(host) + " is still running on "
                    + view.vms().label(host));
            return null;
        }
        return shell;
    }
}
