package io.colabtop.app.cli;

import io.colabtop.app.action.ActionGate;
import io.colabtop.app.action.AuditLog;
import io.colabtop.app.action.AutostopPlanner;
import io.colabtop.app.config.AppPaths;
import io.colabtop.app.config.PriceCatalogFile;
import io.colabtop.app.config.UsageError;
import io.colabtop.app.fleet.AutostopWatch;
import io.colabtop.app.fleet.Scheduler;
import io.colabtop.app.gce.ComputeApi;
import io.colabtop.app.gce.GcloudConfig;
import io.colabtop.app.gce.VmPowerPlans;
import io.colabtop.core.HostException;
import io.colabtop.core.action.AutostopRule;
import io.colabtop.core.action.AutostopState;
import io.colabtop.core.action.Confirmation;
import io.colabtop.core.action.HostShell;
import io.colabtop.core.action.LocalWatch;
import io.colabtop.core.action.ShellResult;
import io.colabtop.core.action.VmPower;
import io.colabtop.core.cost.CostModel;
import io.colabtop.core.cost.Fx;
import io.colabtop.core.cost.VmInfo;
import io.colabtop.ssh.HostScripts;
import io.colabtop.ssh.HostScripts.AutostopPlace;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code colabtop autostop HOST}: the VM stops itself when a run ends or it goes idle. Armed on
 * the VM (a watcher there, which works with colabtop closed) or, with --from-here, kept by this
 * colabtop while it runs; alone it shows what the host has armed; --cancel removes it.
 */
@Command(
        name = "autostop",
        mixinStandardHelpOptions = true,
        description = {
            "Stop the VM when a process exits, when no process matches a regex any more, or when it has been idle "
                    + "(CPU and GPUs near zero, nobody on an SSH terminal). A watcher on the VM does it, so it works with"
                    + " colabtop closed; it installs nothing (a transient systemd unit, or a detached sh) and is gone "
                    + "after a reboot.",
            "With no condition: show what HOST has armed. --cancel removes it; arming again replaces it.",
            "A guest shutdown makes a GCE VM TERMINATED: vCPU, memory and GPU billing stop; disks and a reserved IP "
                    + "keep billing."
        })
public final class AutostopCommand extends ActionCommands.ActionCommand {
    @Parameters(index = "0", paramLabel = "HOST", description = "'local', user@host[:port] or an ssh_config alias")
    String host;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    When when;

    static class When {
        @Option(
                names = "--when-exits",
                paramLabel = "PID",
                description = "when this process exits (checked by its start time)")
        Integer pid;

        @Option(
                names = "--when-match",
                paramLabel = "REGEX",
                description = "when no process's command line matches this grep -E regex (e.g. 'python .*train')")
        String regex;

        @Option(
                names = "--when-idle",
                paramLabel = "DURATION",
                converter = Span.class,
                description = "when CPU and GPUs stayed at most 5 %% and nobody was on an SSH terminal this long "
                        + "(at least 1m; e.g. 30m)")
        Duration idle;

        @Option(names = "--cancel", description = "remove what is armed (the watcher, its state)")
        boolean cancel;

        @Option(names = "--status", description = "show what is armed (the default with no condition)")
        boolean status;
    }

    @Option(
            names = "--grace",
            paramLabel = "DURATION",
            converter = Span.class,
            description = "how long the condition must keep holding before the stop (default: 5m for --when-exits and "
                    + "--when-match, none on top of --when-idle's window)")
    Duration grace;

    @Option(
            names = "--before",
            paramLabel = "CMD",
            description = "run this first, e.g. '/usr/bin/gsutil -m rsync -r /ckpt gs://bucket/ckpt': an absolute "
                    + "program path and its arguments, run without a shell")
    String before;

    @Option(
            names = "--before-timeout",
            paramLabel = "DURATION",
            converter = Span.class,
            description = "stop the --before command after this long; the VM stops anyway (default: 10m)")
    Duration beforeTimeout;

    @Option(
            names = "--stop-command",
            paramLabel = "CMD",
            description = "what stops the machine (default: /sbin/shutdown -h now), e.g. '/usr/bin/gcloud compute "
                    + "instances stop NAME --zone=Z --quiet'")
    String stopCommand;

    @Option(
            names = "--from-here",
            description = "keep the watch in this colabtop instead (no root needed on the host): it stops the VM "
                    + "through the Compute API, and ONLY WHILE THIS COMMAND RUNS; needs --vm")
    boolean fromHere;

    @Option(
            names = "--vm",
            paramLabel = "NAME",
            description = "the GCE VM HOST is: the plan says what stopping saves and what keeps billing; --from-here "
                    + "stops it")
    String vm;

    @Option(
            names = {"-z", "--zone"},
            paramLabel = "ZONE",
            description = "the VM's zone (default: gcloud's compute/zone)")
    String zone;

    @Mixin
    GceCommands.ProjectOptions project = new GceCommands.ProjectOptions();

    @Mixin
    CurrencyOptions currency = new CurrencyOptions();

    @Option(names = "--check-every", hidden = true, converter = Span.class)
    Duration checkEvery;

    @Option(names = "--state-dir", hidden = true)
    String stateDir;

    @Option(names = "--autostop-log", hidden = true)
    String log;

    /** "30m", "90s", "1h30m", "0": whole seconds, as autostop counts them. */
    static final class Span implements picocli.CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return AutostopRule.parseDuration("duration", value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** Where the state, the unit and the log are: the defaults, or (tests) a state directory of their own. */
    AutostopPlace place() {
        if (stateDir == null && log == null) {
            return AutostopPlace.DEFAULT;
        }
        String state = stateDir == null ? AutostopPlace.DEFAULT.state() : stateDir;
        String unit = state.substring(state.lastIndexOf('/') + 1).toLowerCase(java.util.Locale.ROOT);
        return new AutostopPlace(state, unit, log == null ? AutostopPlace.DEFAULT.log() : log, "auto");
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AutostopRule rule;
        AutostopPlace place;
        try {
            place = place();
            rule = rule();
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
        if (fromHere && vm == null) {
            throw new UsageError("--from-here stops the VM through the Compute API: give it with --vm NAME "
                    + "(and --project, --zone unless gcloud has them)");
        }
        HostShell shell = shell(host);
        if (rule == null && !when().cancel) {
            return status(shell, place, out, err);
        }
        AutostopState now = null;
        if (!fromHere) {
            try {
                now = AutostopPlanner.status(shell, place, Instant.now());
            } catch (HostException e) {
                // the arm or cancel says what is wrong (no root, no host) with the plan shown
            }
        }
        if (when().cancel) {
            return execute(AutostopPlanner.cancel(host, place, now), shell);
        }
        ComputeApi api = null;
        try {
            AutostopPlanner.Billing billing = null;
            VmInfo info = null;
            CostModel model = null;
            Fx fx = currency.fx();
            if (vm != null) {
                GceCommands.check(GceCommands.NAME, "instance name", vm);
                String p = project.project(err);
                String z = GceCommands.check(
                        GceCommands.ZONE,
                        "zone",
                        GceCommands.orGcloud(
                                zone, GcloudConfig.fromEnvironment().zone(), "--zone", "zone", err));
                model = new CostModel(PriceCatalogFile.load(project.prices));
                api = ComputeApi.create(null, GceCommands.CALL_TIMEOUT);
                info = api.get(p, z, vm);
                billing = new AutostopPlanner.Billing(
                        info.name(),
                        model.hourly(info.shape()),
                        fx,
                        model.catalog().info().label());
            }
            List<String> matched = null;
            try {
                rule = AutostopPlanner.resolve(rule, shell);
                if (rule.trigger() instanceof AutostopRule.Match m) {
                    matched = AutostopPlanner.matchesNow(m, shell, place);
                }
            } catch (IllegalArgumentException e) {
                throw new UsageError(e.getMessage());
            }
            if (!fromHere) {
                return execute(
                        AutostopPlanner.arm(host, rule, AutostopPlanner.newId(), place, billing, now, matched), shell);
            }
            return here(shell, place, rule, billing, matched, info, model, fx, api, out, err);
        } catch (HostException e) {
            err.println("colabtop: " + ActionCommands.printable(e.getMessage()));
            return ExitCodes.HOST_FAILED;
        } finally {
            if (api != null) {
                api.close();
            }
        }
    }

    private When when() {
        return when == null ? new When() : when;
    }

    /** The rule the options say, or null when they name no condition. */
    AutostopRule rule() {
        When w = when();
        AutostopRule.Trigger t;
        if (w.pid != null) {
            t = new AutostopRule.Exits(w.pid, 0, "");
        } else if (w.regex != null) {
            t = new AutostopRule.Match(w.regex);
        } else if (w.idle != null) {
            if (w.idle.compareTo(Duration.ofMinutes(1)) < 0 && checkEvery == null) {
                throw new IllegalArgumentException("--when-idle must be at least 1m (got "
                        + AutostopRule.duration(whole(w.idle)) + "): the VM would stop between two of your commands");
            }
            t = new AutostopRule.Idle(whole(w.idle));
        } else {
            if (grace != null || before != null || stopCommand != null || fromHere) {
                if (!w.cancel) {
                    throw new IllegalArgumentException(
                            "autostop needs a condition: --when-exits PID, --when-match REGEX or --when-idle 30m");
                }
            }
            return null;
        }
        return new AutostopRule(
                t,
                grace == null ? AutostopRule.defaultGrace(t) : whole(grace),
                before == null ? List.of() : AutostopRule.command("--before", before),
                beforeTimeout == null ? AutostopRule.DEFAULT_BEFORE_TIMEOUT : whole(beforeTimeout),
                stopCommand == null ? AutostopRule.DEFAULT_STOP : AutostopRule.command("--stop-command", stopCommand),
                checkEvery == null ? AutostopRule.DEFAULT_PERIOD : whole(checkEvery));
    }

    private static Duration whole(Duration d) {
        return Duration.ofSeconds(Math.max(0, Math.round(d.toMillis() / 1000.0)));
    }

    private int status(HostShell shell, AutostopPlace place, PrintWriter out, PrintWriter err) {
        AutostopState s;
        try {
            s = AutostopPlanner.status(shell, place, Instant.now());
        } catch (HostException e) {
            err.println("colabtop: " + ActionCommands.printable(e.getMessage()));
            return ExitCodes.HOST_FAILED;
        }
        String line = s.describe(s.readAt());
        out.println(ActionCommands.printable(line == null ? "autostop: nothing armed on " + host : line));
        if (s.armed()) {
            out.println("  how: " + (s.how() == null ? "?" : s.how()) + (s.running() ? ", watcher running" : "")
                    + (s.watchers() > 1 ? " (" + s.watchers() + " watchers!)" : ""));
            if (s.note() != null) {
                out.println("  last check: " + ActionCommands.printable(s.note()));
            }
            out.println("  gone after a reboot; colabtop autostop " + host + " --cancel removes it");
        }
        if (s.lastLog() != null) {
            out.println("  last fired: " + ActionCommands.printable(lastFired(s.lastLog())));
        }
        out.flush();
        recordFired(s);
        return ExitCodes.OK;
    }

    /** "1718000700 6f1c2a fired: ..." with its time readable. */
    static String lastFired(String line) {
        String[] f = line.split(" ", 3);
        if (f.length == 3 && f[0].matches("[0-9]{1,12}")) {
            return Instant.ofEpochSecond(Long.parseLong(f[0])) + " " + f[2];
        }
        return line;
    }

    /** A firing the host did while no colabtop watched goes to the audit log once. */
    private void recordFired(AutostopState s) {
        try {
            AutostopPlanner.recordFired(
                    new AuditLog(AppPaths.fromEnvironment().auditFile()), host, s, InstantSource.system());
        } catch (java.io.IOException e) {
            spec.commandLine()
                    .getErr()
                    .println("colabtop: cannot write the audit log: " + ActionCommands.printable(e.getMessage()));
        }
    }

    /**
     * --from-here: confirm the watch, then keep it until the VM is stopped (exit 0) or the user
     * ends this command (Ctrl-C: the VM keeps running, and says so).
     */
    private int here(
            HostShell shell,
            AutostopPlace place,
            AutostopRule rule,
            AutostopPlanner.Billing billing,
            List<String> matched,
            VmInfo info,
            CostModel model,
            Fx fx,
            ComputeApi api,
            PrintWriter out,
            PrintWriter err)
            throws Exception {
        CountDownLatch ended = new CountDownLatch(1);
        AtomicInteger code = new AtomicInteger(ExitCodes.OK);
        Scheduler scheduler = Scheduler.system("colabtop-autostop");
        ExecutorService io = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "colabtop-autostop-io");
            t.setDaemon(true);
            return t;
        });
        Instant armedAt = Instant.now();
        ActionGate gate =
                new ActionGate(new AuditLog(AppPaths.fromEnvironment().auditFile()), InstantSource.system(), h -> null);
        // when the condition holds: a VM stop of its own, audited with why, confirmed when armed
        AutostopWatch.Firing stopVm = (h, reason) -> {
            try {
                VmInfo fresh = api.get(info.project(), info.zone(), info.name());
                VmPower p = VmPowerPlans.plan(fresh, model, true, fx, api, status -> {});
                List<String> summary = new ArrayList<>();
                summary.add("autostop (from here) fired: " + reason);
                summary.addAll(p.summary());
                ShellResult r = gate.run(
                        new VmPower(p.host(), p.vmName(), true, summary, p.timeout(), p.power()),
                        new Confirmation.Armed("autostop --from-here armed at " + armedAt + " (prompt)"));
                out.println("stopped " + info.name() + " (" + ActionCommands.printable(reason) + "): "
                        + ActionCommands.printable(String.join("; ", r.results())));
            } catch (VmPowerPlans.Refused e) {
                out.println("colabtop: " + ActionCommands.printable(e.getMessage()));
            } catch (Exception e) {
                err.println("colabtop: autostop fired (" + ActionCommands.printable(reason) + ") but the stop failed: "
                        + ActionCommands.printable(HostException.describe(e)));
                code.set(ExitCodes.HOST_FAILED);
            } finally {
                out.flush();
                err.flush();
                ended.countDown();
            }
        };
        AutostopWatch watch = new AutostopWatch(
                scheduler,
                InstantSource.system(),
                io,
                rule.period(),
                (h, t) -> null,
                (h, t) -> shell.runAsUser(HostScripts.autostopCheck(t, place), Duration.ofSeconds(30)),
                (h, s) -> {
                    String line = s.describe(Instant.now());
                    if (line != null) {
                        synchronized (out) {
                            out.println(java.time.LocalTime.now().withNano(0) + "  "
                                    + ActionCommands.printable(
                                            line + (s.note() == null || s.fired() != null ? "" : ": " + s.note())));
                            out.flush();
                        }
                    }
                });
        LocalWatch plan = AutostopPlanner.armHere(host, rule, billing, matched, () -> {
            watch.armHere(host, rule, stopVm);
            return ShellResult.of(List.of("watching " + host + " from here"), List.of("armed here"));
        });
        Thread goodbye = new Thread(
                () -> {
                    if (ended.getCount() > 0) {
                        err.println("colabtop: autostop --from-here ended with this command: nothing stops "
                                + info.name() + " now");
                        err.flush();
                    }
                },
                "colabtop-autostop-end");
        try {
            int rc = ActionCommands.confirmAndRun(spec, common.yes, plan, null, (r, o) -> {});
            if (rc != ExitCodes.OK) {
                return rc;
            }
            out.println("watching " + host + " every " + AutostopRule.duration(rule.period())
                    + "; Ctrl-C ends the watch (and nothing stops the VM then)");
            out.flush();
            Runtime.getRuntime().addShutdownHook(goodbye);
            ended.await();
            return code.get();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(goodbye);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook says the watch ended
            }
            watch.close();
            scheduler.close();
            io.shutdownNow();
        }
    }
}
