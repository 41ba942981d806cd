package io.colabtop.ssh;

import io.colabtop.core.action.AutostopRule;
import io.colabtop.core.action.InputRules;
import io.colabtop.core.action.ShellQuote;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * The POSIX sh scripts the rescue actions run on a host (fed to {@code sh -s} on stdin, as root
 * or through {@code sudo -n}). Each is a {@code .sh} file in {@code scripts/} beside this class,
 * checked like code (shellcheck, {@code dash -n}); a script sent is
 * <pre>
 * prelude.sh             set -u, say/fail/result
 * [procs.sh, swap-common.sh]   the functions it shares with others
 * path='/swapfile'       its header: one name='value' line per value, validated by InputRules, quoted by ShellQuote
 * swap-off.sh            the script, which first names the header values it needs: : "${path:?}" ...
 * </pre>
 * so no value ever becomes shell code. Every script reports on stdout with three kinds of line:
 * <pre>
 * colabtop-step: fallocate -l 16384M /swapfile
 * colabtop-result: active
 * colabtop-error: swapon /swapfile failed: Invalid argument
 * </pre>
 * (other lines are ignored: the swap relay prints an empty line as a heartbeat) and undoes its
 * own work when it fails half-way (a partial swap file is removed, also when colabtop or its
 * connection goes away mid-way; pinning restores the values it changed), so a failed action
 * leaves the host as it was.
 */
public final class HostScripts {
    private HostScripts() {}

    /**
     * The host-wide lock every swap action takes (a directory: {@code mkdir} is atomic in plain
     * POSIX sh). It holds one line, {@code PID START SINCE DOING PATH}, e.g.
     * {@code 4242 8123456 1718000000 creating /swapfile}: START is field 22 of /proc/PID/stat, so a
     * holder that died (or whose pid was reused) is told from a live one and its lock taken over.
     * In /run: root's alone, and gone after a reboot.
     */
    public static final String SWAP_LOCK = "/run/colabtop-swap.lock";

    /** Every script file, by name without ".sh"; {@link #SHARED_PARTS} are not scripts of their own. */
    static final List<String> FILES = List.of(
            "prelude",
            "procs",
            "swap-common",
            "pin",
            "swap-preflight",
            "swap-on",
            "swap-worker",
            "swap-off",
            "protect",
            "processes",
            "mount",
            "umount",
            "fuse-mounts",
            "signal",
            "autostop-common",
            "autostop-arm",
            "autostop-watch",
            "autostop-status",
            "autostop-cancel",
            "autostop-check");

    /** The files that hold functions other scripts use, never sent alone. */
    static final List<String> SHARED_PARTS = List.of("prelude", "procs", "swap-common", "pin", "autostop-common");

    /** What each script needs before its header, after prelude.sh. */
    private static final Map<String, List<String>> SHARED = Map.ofEntries(
            Map.entry("swap-preflight", List.of("procs", "swap-common")),
            Map.entry("swap-on", List.of("procs")),
            Map.entry("swap-worker", List.of("procs", "swap-common")),
            Map.entry("swap-off", List.of("procs", "swap-common")),
            Map.entry("signal", List.of("procs")),
            Map.entry("protect", List.of("pin")),
            Map.entry("autostop-arm", List.of("procs", "autostop-common")),
            Map.entry("autostop-watch", List.of("procs", "autostop-common")),
            Map.entry("autostop-status", List.of("procs", "autostop-common")),
            Map.entry("autostop-cancel", List.of("procs", "autostop-common")),
            Map.entry("autostop-check", List.of("procs", "autostop-common")));

    private static final Map<String, String> TEXT = loadAll();
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");

    /**
     * Reads what the swap plan needs: RAM, the file system under the path's directory, active swaps,
     * and (advisory: the swap script checks again when it runs) why the path would be refused.
     */
    public static String swapPreflight(String path) {
        return script("swap-preflight", header("path", InputRules.path("swap path", path)));
    }

    /**
     * Creates and enables a swap file. The work runs in a worker detached from the SSH session (a
     * child of no one here, its own session), under the host-wide {@link #SWAP_LOCK}; this script
     * only relays its report. The worker watches this script: when it goes away before the swap
     * is active (the connection dropped, colabtop was killed or timed out, so the next heartbeat
     * write killed this shell) the worker stops dd and removes the partial file. Before creating
     * anything it checks again, on the host, the path (see check_path) and that the disk keeps
     * its reserve.
     *
     * @param sizeBytes         the file's size; 0 when the plan found the path already active (then
     *                          nothing is created if it no longer is)
     * @param reserveBytes      free space the plan promised to leave (max(10%, 5 GiB), see
     *                          {@link io.colabtop.core.action.SwapSizing#reserve}); the script keeps the larger of it and the
     *                          reserve of the file system as it is then
     * @param plannedAvailBytes free space the plan saw, for the message when it has shrunk
     */
    public static String swapOn(
            String path, long sizeBytes, boolean persist, String fstab, long reserveBytes, long plannedAvailBytes) {
        long mib = sizeBytes >> 20;
        if (sizeBytes != 0 && mib < 1) {
            throw new IllegalArgumentException("swap size under 1 MiB");
        }
        if (reserveBytes < 0 || plannedAvailBytes < 0) {
            throw new IllegalArgumentException("negative disk figures");
        }
        String worker = script(
                "swap-worker",
                header(
                        "path", InputRules.path("swap path", path),
                        "size_mb", Long.toString(mib),
                        "persist", persist ? "1" : "0",
                        "fstab", InputRules.path("fstab", fstab),
                        "reserve_kb", Long.toString(reserveBytes >> 10),
                        "planned_avail_kb", Long.toString(plannedAvailBytes >> 10),
                        "lock", SWAP_LOCK));
        return script("swap-on", header("worker", worker));
    }

    /**
     * Turns a swap area off and removes it: only an active swap area (a file, or a partition,
     * which is never removed) or an inactive file that carries the swap signature; anything else is
     * refused before anything changes. The fstab lines removed are swap lines for this path.
     */
    public static String swapOff(String path, String fstab) {
        return script(
                "swap-off",
                header(
                        "path", InputRules.path("swap path", path),
                        "fstab", InputRules.path("fstab", fstab),
                        "lock", SWAP_LOCK));
    }

    /** A process the user saw, identified by pid and start time so a reused pid is not pinned. */
    public record PinTarget(int pid, long startTimeTicks) {}

    /** Sets oom_score_adj only (systemd-oomd's state is said, nothing done about it): {@link #protect} with oomd off. */
    public static String pin(List<PinTarget> targets, int adj, boolean tree) {
        return protect(targets, adj, tree, false);
    }

    /**
     * Protects processes from both OOM killers (protect.sh): {@code oom_score_adj} for the
     * kernel's, read back (pin.sh), and, with {@code fromOomd} where systemd-oomd runs, out of its
     * reach: moved into a root-owned scope with {@code ManagedOOMPreference=omit} (busctl
     * StartTransientUnit), or the omit set on its system service, never out of a container. It
     * reports what is in force:
     * <pre>
     * colabtop-result: pinned 4242 0 -1000
     * colabtop-result: oomd active 252
     * colabtop-result: oomd-omit 4242 colabtop-protect-4242-5120.scope scope
     * colabtop-result: oomd-not 4300 container /docker/ab12
     * </pre>
     */
    public static String protect(List<PinTarget> targets, int adj, boolean tree, boolean fromOomd) {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("no process to pin");
        }
        StringJoiner t = new StringJoiner(" ");
        targets.forEach(p -> t.add(p.pid() + ":" + p.startTimeTicks()));
        return script(
                "protect",
                header(
                        "adj",
                        Integer.toString(InputRules.oomScoreAdj(adj)),
                        "tree",
                        tree ? "1" : "0",
                        "targets",
                        t.toString(),
                        "oomd",
                        fromOomd ? "1" : "0"));
    }

    /** The signals colabtop sends, by name: what htop's F9 offers that a user of a training box needs. */
    public static final List<String> SIGNALS = List.of("TERM", "INT", "HUP", "KILL", "STOP", "CONT");

    /** Sends {@code signal} (one of {@link #SIGNALS}) to the process the user saw (pid and start time). */
    public static String signal(PinTarget process, String signal) {
        if (!SIGNALS.contains(signal)) {
            throw new IllegalArgumentException("signal " + signal + " is not one of " + SIGNALS);
        }
        if (process.pid() < 1) {
            throw new IllegalArgumentException("no process " + process.pid());
        }
        return script(
                "signal",
                header(
                        "pid", Integer.toString(process.pid()),
                        "start", Long.toString(process.startTimeTicks()),
                        "sig", signal));
    }

    /**
     * Lists every process's pid, start time and parent, and its command line, for --match (the
     * regex runs in colabtop, not on the host); {@code self} is this script's own pid, so colabtop
     * can leave out the listing itself, the sudo/sh wrappers above it and its sed:
     * <pre>
     * colabtop-result: self 5120
     * colabtop-result: proc 4242 8123456 1
     * </pre>
     */
    public static String processListing() {
        return script("processes", Map.of());
    }

    public static String mount(String bucket, String mountPoint, List<String> options, boolean implicitDirs) {
        StringJoiner opts = new StringJoiner(" ");
        for (String o : options) {
            opts.add(InputRules.mountOption(o)); // no spaces: the script splits the list on them
        }
        return script(
                "mount",
                header(
                        "bucket", InputRules.bucket(bucket),
                        "mp", InputRules.path("mount point", mountPoint),
                        "implicit_dirs", implicitDirs ? "1" : "0",
                        "options", opts.toString()));
    }

    public static String umount(String mountPoint) {
        return script("umount", header("mp", InputRules.path("mount point", mountPoint)));
    }

    /** FUSE mounts (gcsfuse shows as fuse.gcsfuse), for the host view. */
    public static String listMounts() {
        return script("fuse-mounts", Map.of());
    }

    /**
     * Where an autostop lives on a host.
     *
     * @param state    its state directory, under /run (tmpfs: a reboot forgets it)
     * @param unit     the name of its transient systemd unit (where systemd is PID 1)
     * @param log      a file the watcher appends why it fired to (it outlives the reboot the stop
     *                 is); empty for none
     * @param launcher how the watcher starts: "auto" (systemd-run where systemd is PID 1, else
     *                 detached), "systemd" or "detached"
     */
    public record AutostopPlace(String state, String unit, String log, String launcher) {
        public static final AutostopPlace DEFAULT = new AutostopPlace(
                "/run/colabtop-autostop", "colabtop-autostop", "/var/log/colabtop-autostop.log", "auto");

        public AutostopPlace {
            InputRules.path("autostop state directory", state);
            if (!state.startsWith("/run/")) {
                throw new IllegalArgumentException(
                        "the autostop state lives in /run (gone after a reboot), not " + state);
            }
            if (unit == null || !unit.matches("[a-z0-9][a-z0-9-]{0,63}")) {
                throw new IllegalArgumentException("not a unit name for colabtop: " + unit);
            }
            if (log == null) {
                log = "";
            }
            if (!log.isEmpty()) {
                InputRules.path("autostop log", log);
            }
            if (!List.of("auto", "systemd", "detached").contains(launcher)) {
                throw new IllegalArgumentException("launcher is auto, systemd or detached, not " + launcher);
            }
        }

        /** The watcher's script on the host: its command line {@code /bin/sh STATE/watch.sh} is how it is found. */
        public String watchScript() {
            return state + "/watch.sh";
        }

        /** The exact command that starts the watcher where systemd is PID 1 (the README says where it was checked). */
        public List<String> systemdRun() {
            return List.of(
                    "systemd-run",
                    "--unit=" + unit,
                    "--description=colabtop autostop watcher",
                    "--collect",
                    "--quiet",
                    "/bin/sh",
                    watchScript());
        }

        /**
         * {@link #systemdRun()} as a shell line, as the plan and the README show it: {@code
         * systemd-run --unit=colabtop-autostop '--description=colabtop autostop watcher' --collect
         * --quiet /bin/sh /run/colabtop-autostop/watch.sh}; a word with anything but plain
         * characters is quoted.
         */
        public String systemdRunLine() {
            return String.join(
                    " ",
                    systemdRun().stream()
                            .map(w -> w.matches("[A-Za-z0-9=/._@:+,-]+") ? w : ShellQuote.quote(w))
                            .toList());
        }
    }

    private static final Pattern AUTOSTOP_ID = Pattern.compile("[a-z0-9]{6,32}");

    /**
     * Arms autostop: checks on the host what the rule needs (the process is the one seen, the
     * regex matches something now, the programs exist), stops a watcher armed before (replaces,
     * never adds), writes the state and starts the watcher (see {@link AutostopPlace#systemdRun()};
     * detached with setsid where systemd is not PID 1), and checks that exactly one runs.
     *
     * @param id names this arming in the state, the log and the audit ({@code [a-z0-9]{6,32}})
     */
    public static String autostopArm(AutostopRule rule, String id, AutostopPlace place) {
        AutostopRule.Trigger t = rule.trigger();
        return script(
                "autostop-arm",
                header(
                        "state", place.state(),
                        "unit", place.unit(),
                        "launcher", place.launcher(),
                        "watcher", autostopWatcher(rule, id, place),
                        "id", id,
                        "trigger", t.kind(),
                        "pid", t instanceof AutostopRule.Exits e ? Integer.toString(e.pid()) : "0",
                        "pid_start", t instanceof AutostopRule.Exits e ? Long.toString(e.startTicks()) : "0",
                        "regex", t instanceof AutostopRule.Match m ? m.regex() : "",
                        "stop_prog", rule.stop().get(0),
                        "before_prog",
                                rule.before().isEmpty() ? "" : rule.before().get(0),
                        "what", rule.describe(),
                        "grace", Long.toString(rule.grace().toSeconds()),
                        "window",
                                t instanceof AutostopRule.Idle i
                                        ? Long.toString(i.window().toSeconds())
                                        : "0"));
    }

    /** The watcher's script, as the arm script writes it to {@link AutostopPlace#watchScript()}. */
    static String autostopWatcher(AutostopRule rule, String id, AutostopPlace place) {
        if (id == null || !AUTOSTOP_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not an autostop id: " + id);
        }
        AutostopRule.Trigger t = rule.trigger();
        AutostopRule.Idle idle = t instanceof AutostopRule.Idle i ? i : null;
        return script(
                "autostop-watch",
                header(
                        "state", place.state(),
                        "id", id,
                        "trigger", t.kind(),
                        "pid", t instanceof AutostopRule.Exits e ? Integer.toString(e.pid()) : "0",
                        "pid_start", t instanceof AutostopRule.Exits e ? Long.toString(e.startTicks()) : "0",
                        "regex", t instanceof AutostopRule.Match m ? m.regex() : "",
                        "window",
                                idle == null ? "0" : Long.toString(idle.window().toSeconds()),
                        "cpu_max", idle == null ? "0" : Integer.toString(idle.cpuMax()),
                        "gpu_max", idle == null ? "0" : Integer.toString(idle.gpuMax()),
                        "grace", Long.toString(rule.grace().toSeconds()),
                        "period", Long.toString(rule.period().toSeconds()),
                        "before", String.join(" ", rule.before()),
                        "before_timeout", Long.toString(rule.beforeTimeout().toSeconds()),
                        "stop", String.join(" ", rule.stop()),
                        "log", place.log()));
    }

    /** What is armed (and whether it fired, and why), one {@code colabtop-result: key=value} line each. */
    public static String autostopStatus(AutostopPlace place) {
        return script("autostop-status", header("state", place.state(), "log", place.log()));
    }

    /** Stops the watcher (and a hook it runs), removes the state, checks none is left. */
    public static String autostopCancel(AutostopPlace place) {
        return script("autostop-cancel", header("state", place.state(), "unit", place.unit()));
    }

    /** One reading of the condition for --from-here; needs no root (see autostop-check.sh). */
    public static String autostopCheck(AutostopRule.Trigger t, AutostopPlace place) {
        return script(
                "autostop-check",
                header(
                        "state", place.state(),
                        "trigger", t.kind(),
                        "pid", t instanceof AutostopRule.Exits e ? Integer.toString(e.pid()) : "0",
                        "pid_start", t instanceof AutostopRule.Exits e ? Long.toString(e.startTicks()) : "0",
                        "regex", t instanceof AutostopRule.Match m ? m.regex() : ""));
    }

    /** The text of one script file, as in the jar ({@code name} without ".sh"). */
    static String file(String name) {
        String t = TEXT.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no script " + name);
        }
        return t;
    }

    /** prelude.sh, the shared parts {@code name} needs, its header, then the script. */
    static String script(String name, Map<String, String> header) {
        StringBuilder s = new StringBuilder();
        for (String part : before(name)) {
            s.append(file(part));
        }
        header.forEach((k, v) -> {
            if (!NAME.matcher(k).matches()) {
                throw new IllegalArgumentException("not a shell variable name: " + k);
            }
            s.append(k).append('=').append(ShellQuote.quote(v)).append('\n');
        });
        return s.append(file(name)).toString();
    }

    /** The files sent before the header of script {@code name}: prelude.sh, then the shared parts it uses. */
    static List<String> before(String name) {
        List<String> parts = new java.util.ArrayList<>(List.of("prelude"));
        parts.addAll(SHARED.getOrDefault(name, List.of()));
        return parts;
    }

    /** name, value, name, value ... in order. */
    private static Map<String, String> header(String... namesAndValues) {
        Map<String, String> h = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            h.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return h;
    }

    private static Map<String, String> loadAll() {
        Map<String, String> all = new LinkedHashMap<>();
        for (String name : FILES) {
            try (InputStream in = HostScripts.class.getResourceAsStream("scripts/" + name + ".sh")) {
                if (in == null) {
                    throw new IllegalStateException("scripts/" + name + ".sh missing from the jar");
                }
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                all.put(name, text.endsWith("\n") ? text : text + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Map.copyOf(all);
    }
}
