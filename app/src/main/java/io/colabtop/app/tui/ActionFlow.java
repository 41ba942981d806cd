package io.colabtop.app.tui;

import io.colabtop.app.action.AutostopPlanner;
import io.colabtop.app.action.RescuePlanner;
import io.colabtop.app.tui.dialog.InputDialog;
import io.colabtop.app.tui.dialog.PlanDialog;
import io.colabtop.app.tui.state.FleetView;
import io.colabtop.core.HostException;
import io.colabtop.core.ProcessInfo;
import io.colabtop.core.action.Action;
import io.colabtop.core.action.AutostopRule;
import io.colabtop.core.action.AutostopState;
import io.colabtop.core.action.Confirmation;
import io.colabtop.core.action.HostShell;
import io.colabtop.core.action.InputRules;
import io.colabtop.core.action.ShellResult;
import io.colabtop.core.action.VmPower;
import io.colabtop.core.cost.VmInfo;
import java.io.IOException;
import java.time.Duration;
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

    private io.colabtop.app.fleet.AutostopWatch autostopWatch;

    /** What reads autostop back from the hosts and keeps the --from-here watches. */
    void autostopWatch(io.colabtop.app.fleet.AutostopWatch w) {
        this.autostopWatch = w;
    }

    /** What the user chose for autostop: the rule, and whether this colabtop keeps it (from here) or the VM does. */
    record AutostopChoice(AutostopRule rule, boolean here) {}

    static final String CANCEL_IT = "cancel it";
    static final String ARM_AGAIN = "arm another (it replaces this one)";
    static final String LEAVE_IT = "leave it as it is";

    /**
     * a: autostop for the selected host: on an armed one, cancel or re-arm it; else choose when
     * (in a host view the selected process's exit comes first), see the plan, y. Three keys.
     */
    void autostop(FleetView view) {
        String host = view.hosts().selected();
        HostShell shell = shellOrSay(view, host);
        if (shell == null) {
            return;
        }
        ProcessInfo selected =
                view.mode() == FleetView.Mode.DETAIL ? view.hosts().selectedProcess() : null;
        io.colabtop.core.HostState hs = view.hosts().get(host);
        ProcessInfo top = hs == null || hs.latest() == null ? null : hs.latest().topOomCandidate();
        boolean vm = view.vms().vm(host) != null;
        AutostopState now = view.autostops().get(host);
        if (now != null && now.armed()) {
            open.accept(new io.colabtop.app.tui.dialog.ChoiceDialog(
                    now.describe(clock.instant()) + " on " + view.vms().label(host),
                    List.of(CANCEL_IT, ARM_AGAIN, LEAVE_IT),
                    choice -> {
                        if (choice.equals(CANCEL_IT)) {
                            cancelAutostop(host, now);
                        } else if (choice.equals(ARM_AGAIN)) {
                            chooseAutostop(host, shell, selected, top, vm);
                        }
                    }));
            return;
        }
        chooseAutostop(host, shell, selected, top, vm);
    }

    /** When: the selected (or top) process exits, idle 30m, no process matches a regex, a PID typed. */
    private void chooseAutostop(String host, HostShell shell, ProcessInfo selected, ProcessInfo top, boolean vm) {
        java.util.Map<String, Runnable> options = new java.util.LinkedHashMap<>();
        ProcessInfo p = selected != null ? selected : top;
        if (p != null) {
            options.put(
                    "when " + (selected != null ? "" : "the top process, ") + "PID " + p.pid() + " exits: "
                            + io.colabtop.core.SafeText.clip(p.displayCommand(), 60),
                    () -> planAutostop(
                            host,
                            shell,
                            new AutostopChoice(
                                    AutostopRule.of(
                                            new AutostopRule.Exits(p.pid(), p.startTimeTicks(), p.displayCommand()),
                                            AutostopRule.DEFAULT_GRACE),
                                    false),
                            vm));
        }
        AutostopRule.Idle idle = new AutostopRule.Idle(AutostopRule.DEFAULT_IDLE);
        options.put(
                "when idle " + AutostopRule.duration(idle.window()) + ": CPU and GPUs at most " + idle.cpuMax()
                        + " %, nobody on an SSH terminal",
                () -> planAutostop(host, shell, new AutostopChoice(AutostopRule.of(idle, Duration.ZERO), false), vm));
        options.put(
                "when no process matches a regex (grep -E, typed next)",
                () -> open.accept(new InputDialog(
                        "autostop " + host + " when no command line matches (grep -E)",
                        "",
                        regex -> planAutostop(
                                host,
                                shell,
                                new AutostopChoice(
                                        AutostopRule.of(new AutostopRule.Match(regex), AutostopRule.DEFAULT_GRACE),
                                        false),
                                vm))));
        options.put(
                "when a PID exits (typed next)",
                () -> open.accept(new InputDialog("autostop " + host + " when this PID exits", "", pid -> {
                    int n;
                    try {
                        n = Integer.parseInt(pid);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("'" + pid + "' is not a PID");
                    }
                    planAutostop(
                            host,
                            shell,
                            new AutostopChoice(
                                    AutostopRule.of(new AutostopRule.Exits(n, 0, ""), AutostopRule.DEFAULT_GRACE),
                                    false),
                            vm);
                })));
        open.accept(new io.colabtop.app.tui.dialog.ChoiceDialog(
                "autostop " + host + ": stop the VM",
                List.copyOf(options.keySet()),
                c -> options.get(c).run()));
    }

    /** The plan (reads the host first: the process's start time, what a regex matches now, what is armed). */
    private void planAutostop(String host, HostShell shell, AutostopChoice choice, boolean vm) {
        post.accept(v -> v.setMessage("planning autostop on " + host + "…"));
        io.colabtop.ssh.HostScripts.AutostopPlace place = desk.autostopPlace();
        background.execute(() -> {
            try {
                AutostopRule rule = AutostopPlanner.resolve(choice.rule().withPeriod(desk.autostopPeriod()), shell);
                List<String> matched = rule.trigger() instanceof AutostopRule.Match m
                        ? AutostopPlanner.matchesNow(m, shell, place)
                        : null;
                AutostopPlanner.Billing billing = desk.billing(host);
                Action plan;
                if (choice.here()) {
                    if (!vm) {
                        throw new IllegalArgumentException("from here, colabtop stops the VM through the Compute API: "
                                + host + " is not a GCE VM colabtop found (start colabtop with --project)");
                    }
                    plan = AutostopPlanner.armHere(host, rule, billing, matched, () -> armHere(host, rule));
                } else {
                    AutostopState now = null;
                    try {
                        now = AutostopPlanner.status(shell, place, clock.instant());
                    } catch (HostException unreadable) {
                        // the arm itself says what it needs (root, sudo)
                    }
                    plan = AutostopPlanner.arm(host, rule, AutostopPlanner.newId(), place, billing, now, matched);
                }
                AutostopChoice resolved = new AutostopChoice(rule, choice.here());
                post.accept(v -> open.accept(new PlanDialog(
                        plan, "grace, hook, stop command, where", () -> editAutostop(host, shell, resolved, vm))));
            } catch (Exception e) {
                String why = HostException.describe(e);
                post.accept(v -> v.setMessage("autostop on " + host + ": " + why));
            }
        });
    }

    /** e in the plan: grace, --before hook, stop command, and where the watch is kept; then the plan again. */
    private void editAutostop(String host, HostShell shell, AutostopChoice was, boolean vm) {
        AutostopRule r = was.rule();
        open.accept(new InputDialog(
                "grace: how long the condition must hold before the stop (e.g. 10m, 0)",
                AutostopRule.duration(r.grace()),
                grace -> {
                    AutostopRule g = r.withGrace(AutostopRule.parseDuration("grace", grace));
                    open.accept(new InputDialog(
                            "--before: run this first, an absolute path and its arguments (empty: nothing)",
                            String.join(" ", r.before()),
                            hook -> {
                                AutostopRule h = g.withBefore(
                                        hook.isEmpty() ? List.of() : AutostopRule.command("--before", hook),
                                        r.beforeTimeout());
                                open.accept(new InputDialog(
                                        "stop command on the VM (an absolute path and its arguments)",
                                        String.join(" ", r.stop()),
                                        stop -> {
                                            AutostopRule st = h.withStop(AutostopRule.command("--stop-command", stop));
                                            open.accept(new io.colabtop.app.tui.dialog.ChoiceDialog(
                                                    "who keeps the watch",
                                                    List.of(
                                                            "the VM (works with colabtop closed; needs root there)",
                                                            "this colabtop (only while it runs; stops through the "
                                                                    + "Compute API)"),
                                                    was.here() ? 1 : 0,
                                                    where -> planAutostop(
                                                            host,
                                                            shell,
                                                            new AutostopChoice(st, where.startsWith("this")),
                                                            vm)));
                                        }));
                            }));
                }));
    }

    /** Removes what the host has armed (its watcher, its state), or the watch kept here. */
    private void cancelAutostop(String host, AutostopState now) {
        if (now.fromHere()) {
            open.accept(new PlanDialog(new io.colabtop.core.action.LocalWatch(
                    host,
                    "autostop-here-cancel",
                    List.of(
                            "stop watching " + host + " from here: " + now.describe(clock.instant()),
                            "nothing stops the VM after this"),
                    Duration.ofSeconds(10),
                    () -> {
                        boolean was = autostopWatch != null && autostopWatch.cancelHere(host);
                        return ShellResult.of(List.of(), List.of(was ? "cancelled" : "nothing was watched here"));
                    })));
            return;
        }
        open.accept(new PlanDialog(AutostopPlanner.cancel(host, desk.autostopPlace(), now)));
    }

    /** The LocalWatch's start: colabtop keeps the rule, and stops the VM through the API when it holds. */
    private ShellResult armHere(String host, AutostopRule rule) throws HostException {
        if (autostopWatch == null) {
            throw new HostException("autostop from here is not available in this view");
        }
        java.time.Instant armedAt = clock.instant();
        autostopWatch.armHere(host, rule, (h, reason) -> fireHere(h, reason, armedAt));
        return ShellResult.of(
                List.of("watching " + host + " every " + AutostopRule.duration(rule.period())),
                List.of("armed here: " + rule.describe()));
    }

    /** A watch kept here held: the VM's stop, planned from the API now, run through the gate as armed earlier. */
    private void fireHere(String host, String reason, java.time.Instant armedAt) {
        background.execute(() -> {
            try {
                VmPower p = desk.vmPower(
                        host, true, status -> post.accept(v -> v.vms().status(host, status)));
                if (p == null) {
                    post.accept(v -> v.setMessage("autostop fired on " + host + " (" + reason
                            + "), but colabtop cannot stop it: stop it yourself"));
                    return;
                }
                List<String> summary = new java.util.ArrayList<>();
                summary.add("autostop (from here) fired: " + reason);
                summary.addAll(p.summary());
                VmPower stop = new VmPower(p.host(), p.vmName(), true, summary, p.timeout(), p.power());
                post.accept(v ->
                        run(v, stop, new Confirmation.Armed("autostop from here, armed at " + armedAt + " (tui)")));
            } catch (Exception e) {
                String why = HostException.describe(e);
                post.accept(v -> v.setMessage("autostop fired on " + host + " (" + reason + "), but: " + why));
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
            if (autostopWatch != null && plan.name().startsWith("autostop")) {
                autostopWatch.refresh(plan.host()); // the row says what is armed now
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
