package io.colabtop.app.action;

import io.colabtop.core.ByteFormat;
import io.colabtop.core.Cmdline;
import io.colabtop.core.HostException;
import io.colabtop.core.action.HostScript;
import io.colabtop.core.action.HostShell;
import io.colabtop.core.action.InputRules;
import io.colabtop.core.action.ShellResult;
import io.colabtop.core.action.SwapSizing;
import io.colabtop.ssh.HostScripts;
import io.colabtop.ssh.LocalProcess;
import io.colabtop.ssh.SedListing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Turns what the user asked for into an {@link HostScript}, reading the host first where the plan needs it. */
public final class RescuePlanner {
    public static final String DEFAULT_SWAP = "/swapfile";
    public static final String FSTAB = "/etc/fstab";
    static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    static final Duration SWAP_TIMEOUT = Duration.ofMinutes(15);
    static final Duration QUICK_TIMEOUT = Duration.ofSeconds(60);

    private RescuePlanner() {}

    /**
     * @param requestedBytes 0 for the default (2x RAM, capped to keep the disk's reserve)
     * @throws HostException when the disk cannot hold it (nothing is created)
     */
    public static HostScript swapOn(
            String host, HostShell shell, long requestedBytes, String path, boolean persist, String fstab)
            throws HostException {
        InputRules.path("swap path", path);
        InputRules.path("fstab", fstab);
        ShellResult pre = shell.runAsRoot(HostScripts.swapPreflight(path), READ_TIMEOUT);
        if (!pre.ok()) {
            throw new HostException("cannot plan swap on " + host + ": " + pre.error());
        }
        // advisory: the swap script checks the path again on the host when it runs
        if (pre.value("refuse") != null) {
            throw new HostException("no swap on " + host + ": " + pre.value("refuse"));
        }
        long mem = kb(pre, "memtotal_kb");
        long fs = kb(pre, "fs_kb");
        long avail = kb(pre, "avail_kb");
        long reserve = SwapSizing.reserve(fs);
        List<String> summary = new ArrayList<>();
        String real = pre.value("real_path");
        if (real != null) {
            summary.add(path + " is " + real + " on " + host + " (its directory is reached through a symlink)");
        }
        String persistNote = persist
                ? "adds '" + path + " none swap sw 0 0' to " + fstab + " (once) so it survives reboot"
                : "not persistent: it is gone after a reboot (add --persist to keep it)";
        if ("1".equals(pre.value("active"))) {
            summary.add(path + " is already active swap on " + host + ": nothing to create");
            summary.add(persistNote);
            return new HostScript(
                    host,
                    "swap-on",
                    summary,
                    HostScripts.swapOn(path, 0, persist, fstab, reserve, avail),
                    false,
                    SWAP_TIMEOUT);
        }
        String exists = pre.value("exists_bytes");
        long size;
        if (exists != null && requestedBytes == 0) {
            size = Long.parseLong(exists); // an inactive file there: reuse it if it is a swap file
            summary.add("reuse the existing " + ByteFormat.bytes(size) + " file " + path + " on " + host
                    + " if it is a swap file");
        } else {
            SwapSizing.Choice c = SwapSizing.choose(mem, fs, avail, requestedBytes);
            if (!c.ok()) {
                throw new HostException("no swap on " + host + ": " + c.refusal());
            }
            size = c.bytes();
            summary.add("create a " + ByteFormat.bytes(size) + " swap file " + path + " on " + host + " (RAM "
                    + ByteFormat.bytes(mem)
                    + (requestedBytes == 0
                            ? (c.capped() ? "; 2x RAM capped to keep the disk's reserve" : "; 2x RAM")
                            : "")
                    + "; disk " + ByteFormat.bytes(avail) + " free of " + ByteFormat.bytes(fs) + ")");
        }
        long mib = size >> 20;
        summary.add("fallocate -l " + mib + "M " + path + "   (dd if=/dev/zero if the file system needs it)");
        summary.add("chmod 600 " + path + " && mkswap " + path + " && swapon " + path);
        summary.add(persistNote);
        String oomd = oomdSwapNote(pre);
        if (oomd != null) {
            summary.add(oomd);
        }
        summary.add(
                "checked again on the host as it runs, under a lock: refused if " + path + " is a link, not a regular "
                        + "file of root's, or in a directory others can write, or if the disk would keep under "
                        + ByteFormat.bytes(reserve) + " free; undone if colabtop or the connection goes away first");
        return new HostScript(
                host,
                "swap-on",
                summary,
                HostScripts.swapOn(path, size, persist, fstab, reserve, avail),
                false,
                SWAP_TIMEOUT);
    }

    public static HostScript swapOff(String host, String path, String fstab) {
        InputRules.path("swap path", path);
        List<String> summary = List.of(
                "swapoff " + path + " on " + host + " (its pages move back into RAM: with too little "
                        + "free RAM this can itself trigger the OOM killer)",
                "rm " + path + "   (only a swap file: refused, with "
                        + "nothing changed, if it is not active swap and has no swap signature)",
                "remove its swap line from " + fstab);
        return new HostScript(host, "swap-off", summary, HostScripts.swapOff(path, fstab), true, SWAP_TIMEOUT);
    }

    /** A process found on the host, for a pin plan. */
    public record Found(int pid, long startTime, String command) {}

    /**
     * Every process on the host with its start time and command line (the regex runs here, not
     * there), less colabtop's own helpers there: see {@link #listing}.
     */
    public static List<Found> processes(HostShell shell) throws HostException {
        ShellResult r = shell.runAsRoot(HostScripts.processListing(), READ_TIMEOUT);
        if (!r.ok()) {
            throw new HostException("cannot list processes: " + r.error());
        }
        return listing(r);
    }

    /** The probe ({@code /bin/sh -c SCRIPT colabtop-probe 20}, see RemoteScript) and the swap worker. */
    private static final Set<String> OWN_SCRIPTS = Set.of("colabtop-probe", "colabtop-swap-worker");

    /**
     * Reads {@link HostScripts#processListing}'s report and leaves out colabtop's own processes
     * on the host, which a --match must never pin: the listing script ({@code self}), the
     * {@code /bin/sh -s} and {@code sudo -n /bin/sh -s} wrappers above it (up to, not including,
     * the login shell or sshd), the probe and the swap worker, and every descendant of those (sed,
     * dd).
     */
    static List<Found> listing(ShellResult r) throws HostException {
        if (r.stdout().contains(LocalProcess.CUT_MARK)) {
            throw new HostException("the host's process listing is larger than colabtop reads; pin by --pid");
        }
        List<String> listing = new ArrayList<>();
        for (String l : r.stdout().split("\n")) {
            if (!l.startsWith("colabtop-") && !l.isEmpty()) {
                listing.add(l);
            }
        }
        Map<String, byte[]> cmdlines = SedListing.parse(listing);
        Map<Integer, Long> start = new LinkedHashMap<>();
        Map<Integer, Integer> parent = new HashMap<>();
        int self = -1;
        for (String res : r.results()) {
            String[] f = res.split(" ");
            if (f.length == 4 && f[0].equals("proc")) {
                int pid = Integer.parseInt(f[1]);
                start.put(pid, Long.parseLong(f[2]));
                parent.put(pid, Integer.parseInt(f[3]));
            } else if (f.length == 2 && f[0].equals("self")) {
                self = Integer.parseInt(f[1]);
            }
        }
        Map<Integer, List<String>> argv = new HashMap<>();
        for (int pid : start.keySet()) {
            byte[] c = cmdlines.get("/proc/" + pid + "/cmdline");
            argv.put(pid, c == null ? List.of() : Cmdline.arguments(c));
        }
        Set<Integer> own = new HashSet<>();
        if (self > 0) {
            own.add(self);
            Integer p = parent.get(self);
            while (p != null && isWrapper(argv.getOrDefault(p, List.of())) && own.add(p)) {
                p = parent.get(p);
            }
        }
        argv.forEach((pid, a) -> {
            if (a.size() >= 4 && a.get(1).equals("-c") && OWN_SCRIPTS.contains(a.get(3))) {
                own.add(pid);
            }
        });
        for (boolean grew = true; grew; ) {
            grew = false;
            for (Map.Entry<Integer, Integer> e : parent.entrySet()) {
                if (own.contains(e.getValue()) && own.add(e.getKey())) {
                    grew = true;
                }
            }
        }
        List<Found> out = new ArrayList<>();
        start.forEach((pid, st) -> {
            if (!own.contains(pid)) {
                byte[] c = cmdlines.get("/proc/" + pid + "/cmdline");
                out.add(new Found(pid, st, c == null ? "" : Cmdline.display(c)));
            }
        });
        return out;
    }

    /** How an action script runs on a host: {@code /bin/sh -s} as root, or {@code sudo -n /bin/sh -s} (see SshShell). */
    private static boolean isWrapper(List<String> a) {
        if (a.equals(List.of("/bin/sh", "-s"))) {
            return true;
        }
        return a.size() == 4
                && (a.get(0).equals("sudo") || a.get(0).endsWith("/sudo"))
                && a.subList(1, 4).equals(List.of("-n", "/bin/sh", "-s"));
    }

    /** Picks processes by pid (start time from the host now) or by a regex on the command line. */
    public static List<Found> select(List<Found> all, List<Integer> pids, String regex) {
        List<Found> chosen = new ArrayList<>();
        if (regex != null) {
            Pattern p;
            try {
                p = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("--match: not a regular expression: " + e.getDescription());
            }
            int self = (int) ProcessHandle.current().pid();
            all.stream()
                    .filter(f -> f.pid() != self
                            && !f.command().isEmpty()
                            && p.matcher(f.command()).find())
                    .forEach(chosen::add);
        }
        for (int pid : pids) {
            all.stream().filter(f -> f.pid() == pid).findFirst().ifPresentOrElse(chosen::add, () -> {
                throw new IllegalArgumentException("no process " + pid + " on the host");
            });
        }
        return chosen;
    }

    /**
     * Protection from both OOM killers (protect.sh): {@code oom_score_adj} for the kernel's, and,
     * when {@code adj} is negative (a wish to keep the process alive) and systemd-oomd runs, out of
     * oomd's reach, which never reads oom_score_adj. A positive {@code adj} (make it the first
     * victim) only writes oom_score_adj. What is in force afterwards is read back: see
     * {@link Protection}.
     */
    public static HostScript pin(String host, List<Found> targets, int adj, boolean tree) {
        InputRules.oomScoreAdj(adj);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("no process matched: nothing to pin");
        }
        boolean fromOomd = adj < 0;
        List<String> summary = new ArrayList<>();
        for (Found f : targets) {
            summary.add("echo " + adj + " > /proc/" + f.pid() + "/oom_score_adj   # " + abbreviate(f.command()));
        }
        if (tree) {
            summary.add("and the same for every descendant (data-loader workers), found on the host at run time");
        }
        summary.add("each pid is checked against the start time seen now, so a reused pid is never pinned");
        if (fromOomd) {
            summary.add("where systemd-oomd runs (it kills whole cgroups and ignores oom_score_adj): move "
                    + (tree ? "them" : "it") + " into a new root-owned scope colabtop-protect-PID-N.scope with "
                    + "ManagedOOMPreference=omit (busctl StartTransientUnit; OOMPolicy=continue where systemd >= 253), "
                    + "or, for a system service's process, set ManagedOOMPreference=omit on its service; never out of "
                    + "a container's cgroup");
            summary.add("what is in force afterwards is read back and reported, for each killer");
        } else {
            summary.add("oom_score_adj " + adj + " protects from nothing: systemd-oomd is left as it is");
        }
        List<HostScripts.PinTarget> t = targets.stream()
                .map(f -> new HostScripts.PinTarget(f.pid(), f.startTime()))
                .toList();
        return new HostScript(host, "pin", summary, HostScripts.protect(t, adj, tree, fromOomd), false, QUICK_TIMEOUT);
    }

    /**
     * Sends a signal to a process the user selected (htop's F9): checked on the host against the
     * start time seen now. KILL and STOP cannot be caught by the job (no checkpoint, no cleanup):
     * they are dangerous, typed to confirm; TERM, INT, HUP and CONT are a plain y.
     */
    public static HostScript signal(String host, Found target, String signal) {
        String script = HostScripts.signal(new HostScripts.PinTarget(target.pid(), target.startTime()), signal);
        boolean dangerous = signal.equals("KILL") || signal.equals("STOP");
        List<String> summary = List.of(
                "kill -" + signal + " " + target.pid() + "   # " + abbreviate(target.command()),
                switch (signal) {
                    case "KILL" ->
                        "SIGKILL cannot be caught: the process ends at once, with no chance to save a checkpoint";
                    case "STOP" -> "SIGSTOP freezes it until CONT (its memory stays allocated)";
                    case "CONT" -> "resumes a stopped process";
                    default -> "the process may catch SIG" + signal + " and exit cleanly (save a checkpoint first)";
                },
                "the pid is checked against the start time seen now, so a reused pid is never signalled");
        return new HostScript(host, "signal", summary, script, dangerous, QUICK_TIMEOUT);
    }

    public static HostScript mount(String host, String bucket, String mountPoint, List<String> options) {
        InputRules.bucket(bucket);
        InputRules.path("mount point", mountPoint);
        options.forEach(InputRules::mountOption);
        StringBuilder o = new StringBuilder("--implicit-dirs");
        options.forEach(x -> o.append(" -o ").append(x));
        List<String> summary = List.of(
                "mkdir -p " + mountPoint + " on " + host,
                "gcsfuse " + o + " " + bucket + " " + mountPoint,
                "check /proc/mounts for a FUSE mount at " + mountPoint);
        return new HostScript(
                host, "mount", summary, HostScripts.mount(bucket, mountPoint, options, true), false, QUICK_TIMEOUT);
    }

    public static HostScript umount(String host, String mountPoint) {
        InputRules.path("mount point", mountPoint);
        List<String> summary =
                List.of("fusermount -u " + mountPoint + " on " + host + " (a job reading from it will get errors)");
        return new HostScript(host, "umount", summary, HostScripts.umount(mountPoint), true, QUICK_TIMEOUT);
    }

    /** What to tell a user whose host has no gcsfuse. */
    public static final String GCSFUSE_INSTALL_HINT =
            "install it on the host: add Google's apt repository with a signed-by "
                    + "keyring (https://cloud.google.com/storage/docs/cloud-storage-fuse/install), then apt-get install gcsfuse";

    /**
     * What the new swap means for systemd-oomd, from the preflight's {@code oomd=active},
     * {@code oomd_swap_paths=N}, {@code oomd_swap_limit=90.00}; null where oomd does not run. Its
     * swap rule never fires without swap: this swap arms it.
     */
    static String oomdSwapNote(ShellResult pre) {
        if (!"active".equals(pre.value("oomd"))) {
            return null;
        }
        String paths = pre.value("oomd_swap_paths");
        String limit = pre.value("oomd_swap_limit");
        limit = limit == null || !limit.matches("\\d{1,3}(\\.\\d{1,2})?") ? "90" : limit;
        if (paths == null) {
            return "WARNING: systemd-oomd runs here (oomctl unreadable): if a unit has ManagedOOMSwap=kill, this swap arms "
                    + "its swap rule (memory and swap both over its SwapUsedLimit: it kills the cgroup using the most swap)";
        }
        if (paths.equals("0")) {
            return "systemd-oomd runs here, but watches no cgroup for swap: this swap arms none of its rules";
        }
        return "WARNING: this swap arms systemd-oomd's swap rule (ManagedOOMSwap=kill on " + paths + " cgroup"
                + (paths.equals("1") ? "" : "s") + "): once memory and swap are both over " + limit
                + "% used, it kills the cgroup using the most swap (the rule never fires without swap)";
    }

    private static long kb(ShellResult r, String key) throws HostException {
        String v = r.value(key);
        if (v == null) {
            throw new HostException("the host did not report " + key);
        }
        try {
            return Long.parseLong(v.strip()) * 1024;
        } catch (NumberFormatException e) {
            throw new HostException("the host reported " + key + "=" + v);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 70 ? s.substring(0, 69) + "…" : s;
    }
}
