package io.colabtop.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.colabtop.app.action.ActionGate;
import io.colabtop.app.action.AuditLog;
import io.colabtop.app.action.RescuePlanner;
import io.colabtop.app.config.AppPaths;
import io.colabtop.app.config.UsageError;
import io.colabtop.app.fleet.Hosts;
import io.colabtop.app.fleet.Timeouts;
import io.colabtop.app.output.SafeJson;
import io.colabtop.core.HostException;
import io.colabtop.core.action.Action;
import io.colabtop.core.action.Confirmation;
import io.colabtop.core.action.HostScript;
import io.colabtop.core.action.HostShell;
import io.colabtop.core.action.InputRules;
import io.colabtop.core.action.ShellResult;
import io.colabtop.ssh.ConfigWarnings;
import java.io.Console;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The rescue actions on the command line: swap, pin, mount, umount, and the audit log. */
public final class ActionCommands {
    private ActionCommands() {}

    /**
     * Shows the plan, gets a confirmation (--yes, or asked on the terminal: y/N, or the host name
     * typed back for a dangerous plan), runs it through the {@link ActionGate} and prints the outcome.
     */
    static int confirmAndRun(
            CommandSpec spec,
            boolean yes,
            Action plan,
            HostShell shell,
            java.util.function.BiConsumer<ShellResult, PrintWriter> report)
            throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ActionGate gate = new ActionGate(
                new AuditLog(AppPaths.fromEnvironment().auditFile()), InstantSource.system(), host -> shell);
        out.println((plan.dangerous() ? "DANGEROUS: " : "") + plan.name() + " on " + plan.host() + ":");
        plan.summary().forEach(l -> out.println("  " + printable(l)));
        out.flush();
        Confirmation confirmation;
        if (yes) {
            confirmation = new Confirmation.YesFlag();
        } else {
            Console console = System.console();
            if (console == null) {
                declined(gate, plan, "no terminal and no --yes", err);
                err.println("colabtop: not confirmed: no terminal to ask on; add --yes to run it");
                return ExitCodes.USAGE;
            }
            String answer = plan.dangerous()
                    ? console.readLine("Type '%s' to confirm: ", plan.confirmName())
                    : console.readLine("Proceed? [y/N] ");
            boolean ok = plan.dangerous()
                    ? plan.confirmName().equals(answer == null ? null : answer.strip())
                    : answer != null && answer.strip().equalsIgnoreCase("y");
            if (!ok) {
                declined(gate, plan, "prompt", err);
                out.println("not done.");
                return ExitCodes.HOST_FAILED;
            }
            confirmation = plan.dangerous()
                    ? new Confirmation.Typed("prompt", answer.strip())
                    : new Confirmation.Answered("prompt");
        }
        long t0 = System.nanoTime();
        ShellResult r;
        ProgressPrinter progress = new ProgressPrinter(
                err,
                System.console() != null,
                io.colabtop.app.tui.TuiApp.unicodeLocale(System.getenv()),
                InstantSource.system());
        // Ctrl-C while it runs: stop the script and wait for the outcome, so the audit log says
        // "cancelled" and the user reads that the host removed the partial file
        java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
        Thread onInterrupt = new Thread(
                () -> {
                    progress.cancel();
                    try {
                        ended.await(15, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "colabtop-cancel");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try {
            r = gate.run(plan, confirmation, progress);
        } catch (io.colabtop.core.action.ActionCancelledException e) {
            progress.finish();
            err.println("colabtop: " + plan.name() + " on " + plan.host() + " " + printable(e.getMessage()));
            err.flush();
            return ExitCodes.HOST_FAILED;
        } catch (HostException e) {
            progress.finish();
            err.println("colabtop: " + plan.name() + " on " + plan.host() + " failed: " + printable(e.getMessage()));
            return ExitCodes.HOST_FAILED;
        } catch (java.io.IOException e) {
            // the audit log could not take the intent: nothing ran
            err.println("colabtop: " + plan.name() + " on " + plan.host() + " " + printable(e.getMessage()));
            return ExitCodes.HOST_FAILED;
        } finally {
            progress.finish();
            ended.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C came: the hook is running and waits for this to end
            }
        }
        r.steps().forEach(st -> out.println("  - " + printable(st)));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (!r.ok()) {
            String hint = r.results().contains("missing gcsfuse") ? "; " + RescuePlanner.GCSFUSE_INSTALL_HINT : "";
            err.println("colabtop: " + plan.name() + " on " + plan.host() + " failed: " + printable(r.error()) + hint
                    + " (the host was left as it was)");
            return ExitCodes.HOST_FAILED;
        }
        out.println("done in " + ms + " ms: " + printable(String.join("; ", r.results())));
        report.accept(r, out);
        out.flush();
        return ExitCodes.OK;
    }

    /** A refusal is audited too; a log that cannot take it is said, and the refusal stands. */
    private static void declined(ActionGate gate, Action plan, String how, PrintWriter err) {
        try {
            gate.declined(plan, how);
        } catch (java.io.IOException e) {
            err.println(
                    "colabtop: cannot write the audit log " + gate.audit().file() + ": " + printable(e.getMessage()));
        }
    }

    /** Text from a host or the audit log made safe for a terminal ({@link io.colabtop.core.SafeText}). */
    static String printable(String s) {
        return s == null ? "" : io.colabtop.core.SafeText.shown(s);
    }

    /** Options every action shares. */
    public static class ActionOptions {
        @Option(
                names = {"-y", "--yes"},
                description = "Do it without asking (scripts). Without it colabtop shows the plan and asks.")
        boolean yes;

        @Option(
                names = "--ssh-config",
                paramLabel = "FILE",
                description = "ssh_config to resolve host aliases (default: ~/.ssh/config).")
        Path sshConfig;
    }

    /** Resolves a host, plans, confirms, runs through the gate, prints the outcome. */
    abstract static class ActionCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ActionOptions common;

        AppPaths paths() {
            return AppPaths.fromEnvironment();
        }

        /** The action transport of {@code host}, from the one factory; ssh_config warnings go to stderr, once each. */
        HostShell shell(String host) {
            Path cfg = common.sshConfig != null
                    ? common.sshConfig
                    : paths().sshDir().resolve("config");
            ConfigWarnings warnings = new ConfigWarnings();
            PrintWriter err = spec.commandLine().getErr();
            warnings.listen(w -> {
                err.println("colabtop: warning: " + w);
                err.flush();
            });
            try {
                return Hosts.open(
                                cfg,
                                paths(),
                                Timeouts.withPoll(FleetOptions.DEFAULT_DEADLINE),
                                FleetOptions.DEFAULT_PROCESSES,
                                InstantSource.system(),
                                warnings)
                        .shell(host);
            } catch (IllegalArgumentException e) {
                throw new UsageError(e.getMessage());
            }
        }

        int execute(HostScript plan, HostShell shell) throws Exception {
            return confirmAndRun(spec, common.yes, plan, shell, this::report);
        }

        void report(ShellResult r, PrintWriter out) {}
    }

    @Command(
            name = "swap",
            mixinStandardHelpOptions = true,
            description = {
                "Create and enable an emergency swap file on HOST (fallocate, chmod 600, mkswap, swapon), "
                        + "verified in /proc/swaps. Default size: 2x RAM, capped to keep max(10%%, 5 GiB) of the disk free.",
                "Pressing it twice is harmless; a failure removes the partial file. --off undoes it."
            })
    public static class Swap extends ActionCommand {
        @Parameters(index = "0", paramLabel = "HOST", description = "'local', user@host[:port] or an ssh_config alias")
        String host;

        @Option(names = "--size", paramLabel = "SIZE", description = "e.g. 16G, 512M (default: 2x RAM, capped)")
        String size;

        @Option(
                names = "--path",
                paramLabel = "PATH",
                defaultValue = RescuePlanner.DEFAULT_SWAP,
                description = "swap file (default: ${DEFAULT-VALUE})")
        String path;

        @Option(names = "--persist", description = "add it to /etc/fstab (once) so it survives reboot")
        boolean persist;

        @Option(names = "--off", paramLabel = "PATH", description = "undo: swapoff PATH, remove it and its fstab line")
        String off;

        @Option(names = "--fstab", hidden = true, defaultValue = RescuePlanner.FSTAB)
        String fstab;

        @Override
        public Integer call() throws Exception {
            try {
                HostShell shell = shell(host);
                if (off != null) {
                    return execute(RescuePlanner.swapOff(host, off, fstab), shell);
                }
                long bytes = size == null ? 0 : InputRules.size(size);
                HostScript plan;
                try {
                    plan = RescuePlanner.swapOn(host, shell, bytes, path, persist, fstab);
                } catch (HostException e) {
                    spec.commandLine().getErr().println("colabtop: " + printable(e.getMessage()));
                    return ExitCodes.HOST_FAILED;
                }
                return execute(plan, shell);
            } catch (IllegalArgumentException e) {
                throw new UsageError(e.getMessage());
            }
        }
    }

    @Command(
            name = "pin",
            aliases = "protect",
            mixinStandardHelpOptions = true,
            description = {
                "Protect processes from both OOM killers, and say what is in force afterwards, read back on the host.",
                "The kernel's: oom_score_adj (default -1000). systemd-oomd's (Ubuntu 22.04+, Fedora), which kills whole "
                        + "cgroups on memory pressure or swap use and ignores oom_score_adj: the processes move into a "
                        + "root-owned scope with ManagedOOMPreference=omit (OOMPolicy=continue on systemd 253+), or a "
                        + "system service gets that omit itself; never out of a container. A positive --adj only writes "
                        + "oom_score_adj."
            })
    public static class Pin extends ActionCommand {
        @Parameters(index = "0", paramLabel = "HOST")
        String host;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Which which;

        static class Which {
            @Option(names = "--pid", paramLabel = "PID", description = "process id (repeatable)")
            List<Integer> pids;

            @Option(names = "--match", paramLabel = "REGEX", description = "every process whose command line matches")
            String match;
        }

        @Option(
                names = "--adj",
                defaultValue = "-1000",
                description = "value to write, -1000..1000 (default: ${DEFAULT-VALUE})")
        int adj;

        @Option(names = "--tree", description = "also every descendant (data-loader workers)")
        boolean tree;

        @Override
        public Integer call() throws Exception {
            try {
                InputRules.oomScoreAdj(adj); // refuse bad input before touching the host
                HostShell shell = shell(host);
                List<RescuePlanner.Found> all;
                try {
                    all = RescuePlanner.processes(shell);
                } catch (HostException e) {
                    spec.commandLine().getErr().println("colabtop: " + printable(e.getMessage()));
                    return ExitCodes.HOST_FAILED;
                }
                List<RescuePlanner.Found> chosen =
                        RescuePlanner.select(all, which.pids == null ? List.of() : which.pids, which.match);
                return execute(RescuePlanner.pin(host, chosen, adj, tree), shell);
            } catch (IllegalArgumentException e) {
                throw new UsageError(e.getMessage());
            }
        }

        @Override
        void report(ShellResult r, PrintWriter out) {
            io.colabtop.app.action.Protection protection = io.colabtop.app.action.Protection.of(r);
            protection.lines().forEach(l -> out.println("  " + printable(l)));
        }
    }

    @Command(
            name = "mount",
            mixinStandardHelpOptions = true,
            description = "Mount a Cloud Storage bucket with gcsfuse (--implicit-dirs) and verify it in /proc/mounts.")
    public static class Mount extends ActionCommand {
        @Parameters(index = "0", paramLabel = "HOST")
        String host;

        @Parameters(index = "1", paramLabel = "BUCKET")
        String bucket;

        @Parameters(index = "2", paramLabel = "MOUNTPOINT", description = "e.g. /content/gcs")
        String mountPoint;

        @Option(
                names = {"-o", "--option"},
                paramLabel = "OPT",
                description = "gcsfuse -o option (repeatable), e.g. allow_other")
        List<String> options = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            try {
                HostScript plan = RescuePlanner.mount(host, bucket, mountPoint, options);
                return execute(plan, shell(host));
            } catch (IllegalArgumentException e) {
                throw new UsageError(e.getMessage());
            }
        }
    }

    @Command(name = "umount", mixinStandardHelpOptions = true, description = "Unmount a gcsfuse mount point.")
    public static class Umount extends ActionCommand {
        @Parameters(index = "0", paramLabel = "HOST")
        String host;

        @Parameters(index = "1", paramLabel = "MOUNTPOINT")
        String mountPoint;

        @Override
        public Integer call() throws Exception {
            try {
                return execute(RescuePlanner.umount(host, mountPoint), shell(host));
            } catch (IllegalArgumentException e) {
                throw new UsageError(e.getMessage());
            }
        }
    }

    @Command(name = "audit", mixinStandardHelpOptions = true, description = "Print the audit log of actions.")
    public static class Audit implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(
                names = {"-n", "--last"},
                defaultValue = "50",
                description = "entries to show, newest last (default: ${DEFAULT-VALUE}; 0 shows none)")
        int last;

        @Mixin
        OutputOptions output;

        @Override
        public Integer call() throws Exception {
            if (last < 0) {
                throw new UsageError("-n/--last must be 0 or more, not " + last);
            }
            AuditLog log = new AuditLog(AppPaths.fromEnvironment().auditFile());
            PrintWriter out = spec.commandLine().getOut();
            if (last == 0) {
                return ExitCodes.OK;
            }
            boolean json = output.format() == OutputOptions.Format.JSON;
            // the table folds an action's "started" entry into its outcome: read enough for n rows
            AuditLog.Tail tail = log.read(json ? last : (int) Math.min(Integer.MAX_VALUE, 2L * last));
            List<JsonNode> entries = json ? tail.entries() : folded(tail.entries(), last);
            if (entries.isEmpty()
                    && tail.skipped() == 0
                    && !output.quiet
                    && output.format() == OutputOptions.Format.TABLE) {
                out.println("no actions recorded yet (" + log.file() + ")");
            }
            if (output.format() == OutputOptions.Format.CSV) {
                List<List<Object>> rows = new ArrayList<>();
                for (JsonNode e : entries) {
                    rows.add(java.util.Arrays.asList(
                            e.path("time").asText(),
                            e.path("host").asText(),
                            e.path("action").asText(),
                            e.path("outcome").asText(),
                            e.hasNonNull("durationMs") ? e.get("durationMs").asLong() : null,
                            e.path("confirmedBy").asText(""),
                            e.path("message").asText("")));
                }
                out.print(io.colabtop.app.output.Csv.write(
                        List.of("time", "host", "action", "outcome", "durationMs", "confirmedBy", "message"), rows));
            }
            for (JsonNode e : output.format() == OutputOptions.Format.CSV ? List.<JsonNode>of() : entries) {
                if (json) {
                    out.println(SAFE_JSON.writeValueAsString(e));
                } else {
                    String outcome = e.path("outcome").asText();
                    String message = e.path("message").asText("");
                    if (outcome.equals("started")) {
                        outcome = "no-outcome";
                        message = "started, and no outcome was recorded (colabtop was stopped mid-action?)";
                    }
                    out.printf(
                            "%s  %-16s %-9s %-9s %6s ms  %s%n",
                            printable(e.path("time").asText()),
                            printable(e.path("host").asText()),
                            printable(e.path("action").asText()),
                            printable(outcome),
                            printable(e.path("durationMs").asText("-")),
                            printable(message));
                }
            }
            if (tail.skipped() > 0) {
                spec.commandLine()
                        .getErr()
                        .println("colabtop: skipped " + tail.skipped() + " unreadable line"
                                + (tail.skipped() == 1 ? "" : "s") + " of " + log.file()
                                + " (cut by a crash, not JSON, or not UTF-8)");
            }
            if (tail.partial()) {
                spec.commandLine()
                        .getErr()
                        .println("colabtop: read only the last " + (AuditLog.MAX_SCAN >> 20) + " MiB of " + log.file());
            }
            out.flush();
            return ExitCodes.OK;
        }

        /** The last n rows: an action's "started" entry is dropped when its outcome (same id) follows. */
        static List<JsonNode> folded(List<JsonNode> entries, int n) {
            java.util.Set<String> finished = new java.util.HashSet<>();
            for (JsonNode e : entries) {
                if (e.hasNonNull("id") && !"started".equals(e.path("outcome").asText())) {
                    finished.add(e.get("id").asText());
                }
            }
            List<JsonNode> rows = new ArrayList<>();
            for (JsonNode e : entries) {
                if (!("started".equals(e.path("outcome").asText())
                        && finished.contains(e.path("id").asText()))) {
                    rows.add(e);
                }
            }
            return rows.subList(Math.max(0, rows.size() - n), rows.size());
        }

        /** JSON as stored, escaped so that it is safe on a terminal too. */
        private static final com.fasterxml.jackson.databind.ObjectWriter SAFE_JSON = SafeJson.COMPACT;
    }
}
