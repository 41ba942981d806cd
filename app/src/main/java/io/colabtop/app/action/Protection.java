package io.colabtop.app.action;

import io.colabtop.core.action.ShellResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a protection ({@link RescuePlanner#pin}) achieved, read from protect.sh's report, per
 * process and per killer: nothing is claimed that was not read back on the host.
 * <pre>
 * colabtop-result: pinned 4242 0 -1000
 * colabtop-result: oomd active 252
 * colabtop-result: oomd-omit 4242 colabtop-protect-4242-5120.scope scope
 * colabtop-result: oomd-not 4300 container /docker/ab12
 * colabtop-result: oompolicy colabtop-protect-4242-5120.scope continue
 * </pre>
 *
 * @param oomd       systemd-oomd's state: "active 252", "inactive", "absent", or null when not said
 * @param processes  each process's protection, in the order reported
 */
public record Protection(String oomd, List<Process> processes, List<String> policies) {

    /**
     * @param kernel what oom_score_adj now reads ("oom_score_adj 0 -> -1000 (read back)"), or null
     * @param oomdOmitted whether systemd-oomd now skips it (read back), null when oomd does not run
     * @param oomdWhy where it was put ("scope colabtop-protect-…", "service train.service") or why not
     */
    public record Process(int pid, String kernel, Integer adj, Boolean oomdOmitted, String oomdWhy) {}

    public static Protection of(ShellResult r) {
        Map<Integer, Process> byPid = new LinkedHashMap<>();
        String oomd = null;
        List<String> policies = new ArrayList<>();
        for (String res : r.results()) {
            String[] f = res.split(" ", 4);
            switch (f[0]) {
                case "pinned" -> {
                    if (f.length >= 4) {
                        int pid = pid(f[1]);
                        byPid.put(
                                pid,
                                new Process(
                                        pid,
                                        "oom_score_adj " + f[2] + " -> " + f[3] + " (read back)",
                                        adj(f[3]),
                                        null,
                                        null));
                    }
                }
                case "oomd" -> oomd = res.substring(5).strip();
                case "oomd-omit" -> {
                    if (f.length >= 4) {
                        int pid = pid(f[1]);
                        Process p = byPid.getOrDefault(pid, new Process(pid, null, null, null, null));
                        String where = f[3].startsWith("service")
                                ? "ManagedOOMPreference=omit on its service " + f[2]
                                : "moved to " + f[2] + " (ManagedOOMPreference=omit)";
                        byPid.put(pid, new Process(pid, p.kernel(), p.adj(), true, where + ", read back"));
                    }
                }
                case "oomd-not" -> {
                    if (f.length >= 3) {
                        int pid = pid(f[1]);
                        Process p = byPid.getOrDefault(pid, new Process(pid, null, null, null, null));
                        String rest = res.substring(("oomd-not " + f[1] + " ").length());
                        byPid.put(pid, new Process(pid, p.kernel(), p.adj(), false, notWhy(rest)));
                    }
                }
                case "oompolicy" -> {
                    if (f.length >= 3) {
                        policies.add("OOMPolicy=" + res.substring(res.lastIndexOf(' ') + 1) + " on " + f[1]
                                + " (one kernel OOM kill inside does not stop the rest)");
                    }
                }
                default -> {
                    // other lines are the script's own business
                }
            }
        }
        return new Protection(oomd, List.copyOf(byPid.values()), List.copyOf(policies));
    }

    private static String notWhy(String rest) {
        if (rest.startsWith("container ")) {
            return "in a container's cgroup (" + rest.substring(10) + "): colabtop never moves a process out of one";
        }
        if (rest.startsWith("user-service ")) {
            return "a process of the user service " + rest.substring(13)
                    + ": colabtop does not move it out of its service (run it with systemd-run --scope, or set "
                    + "ManagedOOMPreference=omit on that service)";
        }
        if (rest.equals("no-unified-cgroup")) {
            return "no cgroup v2 line in /proc/PID/cgroup (no oomd can watch it either)";
        }
        return rest;
    }

    private static int pid(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Integer adj(String s) {
        try {
            return Integer.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Whether systemd-oomd runs on the host (its state line said "active"). */
    public boolean oomdActive() {
        return oomd != null && oomd.startsWith("active");
    }

    /** One line per process, per killer: what is in force now. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        for (Process p : processes) {
            StringBuilder sb = new StringBuilder("pid " + p.pid() + ": kernel OOM killer: ");
            if (p.kernel() == null) {
                sb.append("not changed");
            } else {
                sb.append(p.kernel());
                if (p.adj() != null && p.adj() > -1000) {
                    sb.append(p.adj() < 0 ? ", less likely to be picked, not exempt" : ", not protected");
                } else if (p.adj() != null) {
                    sb.append(", never picked");
                }
            }
            sb.append("; systemd-oomd: ");
            if (!oomdActive()) {
                sb.append(oomd == null ? "not checked" : "not running (" + oomd + "): nothing to do");
            } else if (p.oomdOmitted() == null) {
                sb.append("NOT protected (not asked: oom_score_adj " + p.adj() + " protects from nothing)");
            } else if (p.oomdOmitted()) {
                sb.append("omitted: ").append(p.oomdWhy());
            } else {
                sb.append("NOT protected: ").append(p.oomdWhy());
            }
            out.add(sb.toString());
        }
        out.addAll(policies);
        return out;
    }

    /** One line for the TUI's message: how many are safe from which killer. */
    public String summary() {
        long kernel = processes.stream()
                .filter(p -> p.adj() != null && p.adj() <= -1000)
                .count();
        long omitted = processes.stream()
                .filter(p -> Boolean.TRUE.equals(p.oomdOmitted()))
                .count();
        long notOmitted = processes.stream()
                .filter(p -> Boolean.FALSE.equals(p.oomdOmitted()))
                .count();
        String k = kernel + "/" + processes.size() + " exempt from the kernel OOM killer";
        if (!oomdActive()) {
            return k + "; systemd-oomd " + (oomd == null ? "not checked" : "not running");
        }
        String o = omitted + "/" + processes.size() + " omitted by systemd-oomd";
        if (notOmitted > 0) {
            Process first = processes.stream()
                    .filter(p -> Boolean.FALSE.equals(p.oomdOmitted()))
                    .findFirst()
                    .orElseThrow();
            o += " (pid " + first.pid() + " NOT: " + first.oomdWhy() + ")";
        }
        return k + "; " + o;
    }
}
