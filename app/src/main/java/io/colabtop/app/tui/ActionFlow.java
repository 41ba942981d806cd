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
    private final java.time.InstantSource clock;

    ActionFlow(
            ActionDesk desk,
            Executor background,
            Consumer<Consumer<FleetView>> post,
            Consumer<io.colabtop.app.tui.dialog.Dialog> open,
            Runnable refreshNow,
            java.time.InstantSource clock) {
        this.clock = clock;
        this.desk = desk;
        this.background = background;
        this.post = post;
        this.open = open;
        this.refreshNow = refreshNow;
    }

    /** w: the emergency swap plan of the selected host (reads its RAM and disk first); e in the plan changes it. */
    void swap(FleetView view) {
        String host = view.hosts().selected();
        HostShell shell = shellOrSay(view, host);
        if (shell == null) {
            return;
        }
        planSwap(view, host, shell, new SwapChoice("", RescuePlanner.DEFAULT_SWAP, false));
    }

    /** What the user chose for a swap: size as typed (empty: 2x RAM, capped), path, whether fstab keeps it. */
    record SwapChoice(String size, String path, boolean persist) {
        long bytes() {
            return size.isEmpty() ? 0 : InputRules.size(size);
        }
    }

    private void planSwap(FleetView view, String host, HostShell shell, SwapChoice choice) {
        view.setMessage("planning swap on " + host + "…");
        background.execute(() -> {
            try {
                Action plan = RescuePlanner.swapOn(
                        host, shell, choice.bytes(), choice.path(), choice.persist(), RescuePlanner.FSTAB);
                post.accept(v ->
                        open.accept(new PlanDialog(plan, "size, path, reboot", () -> editSwap(host, shell, choice))));
            } catch (Exception e) {
                String why = HostException.describe(e);
                // the planner's own refusals name the host already ("no swap on vm-1: ...")
                post.accept(v -> v.setMessage(why.contains(" on " + host) ? why : "swap on " + host + ": " + why));
            }
        });
    }

    /** Asks for the size, the path and whether to keep it after reboot (each checked as typed), then plans again. */
    private void editSwap(String host, HostShell shell, SwapChoice was) {
        open.accept(new InputDialog(
                "swap size on " + host + " (e.g. 16G, 512M; empty: 2x RAM, capped to keep the disk's reserve)",
                was.size(),
                size -> {
                    if (!size.isEmpty()) {
                        InputRules.size(size); // a bad size is said now, before the next question
                    }
                    open.accept(new InputDialog("swap file path", was.path(), path -> {
                        InputRules.path("swap path", path);
                        open.accept(new io.colabtop.app.tui.dialog.ChoiceDialog(
                                "after a reboot",
                                List.of(
                                        "gone (nothing written to " + RescuePlanner.FSTAB + ")",
                                        "kept (one line added to " + RescuePlanner.FSTAB + ")"),
                                was.persist() ? 1 : 0,
                                keep -> post.accept(v -> planSwap(
                                        v, host, shell, new SwapChoice(size, path, keep.startsWith("kept"))))));
                    }));
                }));
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

    /** A signal chosen for a process of the host view: its plan (pid checked against the start time seen). */
    void signal(FleetView view, ProcessInfo p, String signal) {
        String host = view.hosts().selected();
        if (shellOrSay(view, host) == null) {
            return;
        }
        open.accept(new PlanDialog(RescuePlanner.signal(
                host, new RescuePlanner.Found(p.pid(), p.startTimeTicks(), p.displayCommand()), signal)));
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
        java.util.concurrent.atomic.AtomicBoolean cancel =
                view.actions().started(plan.host(), plan.name()).cancelFlag();
        view.setMessage(plan.name() + " on " + plan.host() + "…");
        io.colabtop.core.action.ProgressRate rate = new io.colabtop.core.action.ProgressRate(clock);
        io.colabtop.core.action.ShellWatch watch = new io.colabtop.core.action.ShellWatch() {
            @Override
            public void progress(io.colabtop.core.action.Progress p) {
                io.colabtop.core.action.ProgressRate.Estimate e = rate.update(p);
                post.accept(v -> v.actions().progress(plan.host(), e));
            }

            @Override
            public boolean cancelled() {
                return cancel.get();
            }
        };
        background.execute(() -> {
            long t0 = System.nanoTime();
            String outcome;
            try {
                ShellResult r = desk.gate().run(plan, confirmation, watch);
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
            } catch (io.colabtop.core.action.ActionCancelledException e) {
                outcome = plan.name() + " " + HostException.describe(e);
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

    /** c: asks the action running on the selected host to stop (a swap file being made is removed). */
    void cancel(FleetView view) {
        String host = view.hosts().selected();
        if (host == null) {
            return;
        }
        if (view.actions().cancel(host)) {
            view.setMessage("cancelling " + view.actions().running(host) + " on "
                    + view.vms().label(host) + "…");
        } else {
            view.setMessage("nothing is running on " + view.vms().label(host));
        }
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
