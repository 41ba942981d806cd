package io.colabtop.core.oom;

import io.colabtop.core.ByteFormat;
import io.colabtop.core.HostText;
import io.colabtop.core.SafeText;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One kill a host logged: by the kernel's OOM killer (one process, ranked by oom_score) or by
 * systemd-oomd (a whole cgroup, on memory pressure or swap use). Everything a host wrote is
 * {@link HostText}. Fields a killer or a kernel era does not report are null.
 *
 * @param time            when it was logged; null when the log line's time could not be read
 * @param constraint      what ran out: the host, a cgroup's own limit (a container), pressure, swap
 * @param reason          in words ("memory limit of cgroup /docker/ab12 hit"); it quotes host text
 *                        exactly (a cgroup's path), so a screen shows it through SafeText; for a
 *                        label of few values (a metric) use {@code constraint}
 * @param pid             the victim (kernel); null for systemd-oomd, which kills a cgroup
 * @param command         the victim's comm (kernel); the killed cgroup's last part (systemd-oomd)
 * @param rssBytes        anon + file + shmem RSS at death (kernel)
 * @param oomScoreAdj     the victim's oom_score_adj, printed by kernels from 5.5 on
 * @param uid             the victim's user id (kernel, when printed)
 * @param cgroup          the victim's cgroup (kernel's task_memcg, 4.19+) or the cgroup oomd killed
 * @param limitCgroup     the cgroup whose limit was hit (kernel oom_memcg) or the cgroup whose
 *                        pressure oomd watched; null for a host-wide kernel OOM
 * @param units           units systemd said lost a process to this kill
 * @param unitsFailed     units systemd then stopped as a whole ("Failed with result 'oom-kill'"):
 *                        one victim line may have cost all of them
 * @param processesKilled how many processes oomd said it killed in the unit, when it said
 */
public record OomEvent(
        Instant time,
        Killer killer,
        Constraint constraint,
        String reason,
        Integer pid,
        HostText command,
        Long rssBytes,
        Integer oomScoreAdj,
        Integer uid,
        HostText cgroup,
        HostText limitCgroup,
        List<HostText> units,
        List<HostText> unitsFailed,
        Integer processesKilled) {

    /** Who killed. JSON writes {@link #label()}: "kernel", "systemd-oomd". */
    public enum Killer {
        KERNEL("kernel"),
        SYSTEMD_OOMD("systemd-oomd");

        private final String label;

        Killer(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** What ran out, from the kernel's {@code oom-kill:constraint=} or oomd's rule. */
    public enum Constraint {
        /** CONSTRAINT_NONE: the whole host (RAM and swap). */
        HOST("host"),
        /** CONSTRAINT_MEMCG: one cgroup's memory limit (a container, a MemoryMax=): not a host OOM. */
        CGROUP_LIMIT("cgroup-limit"),
        /** CONSTRAINT_CPUSET or CONSTRAINT_MEMORY_POLICY: the memory of some NUMA nodes only. */
        NODES("nodes"),
        /** systemd-oomd: a monitored cgroup's memory pressure over its limit for its duration. */
        PRESSURE("pressure"),
        /** systemd-oomd: memory and swap used over SwapUsedLimit. */
        SWAP("swap"),
        /** The log did not say (kernels before 4.19 without the memcg prefix). */
        UNKNOWN("unknown");

        private final String label;

        Constraint(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public OomEvent {
        command = command == null ? HostText.EMPTY : command;
        cgroup = cgroup == null ? HostText.EMPTY : cgroup;
        units = units == null ? List.of() : List.copyOf(units);
        unitsFailed = unitsFailed == null ? List.of() : List.copyOf(unitsFailed);
    }

    /**
     * One line for a person, safe for a terminal, without the time: {@code kernel ✗ pid 393802
     * java RSS 1.6G adj 0 in /user.slice/…: host out of memory; stopped whole: session-c2.scope}.
     */
    public String summary() {
        StringBuilder sb = new StringBuilder(killer.label()).append(" ✗ ");
        if (pid != null) {
            sb.append("pid ").append(pid).append(' ').append(command.shown());
        } else {
            sb.append(command.shown());
            if (processesKilled != null) {
                sb.append(" (").append(processesKilled).append(" processes)");
            }
        }
        if (rssBytes != null) {
            sb.append(" RSS ").append(ByteFormat.bytes(rssBytes));
        }
        if (oomScoreAdj != null) {
            sb.append(" adj ").append(oomScoreAdj);
        }
        if (pid != null && !cgroup.isEmpty()) {
            sb.append(" in ").append(cgroup.shown());
        }
        sb.append(": ").append(SafeText.shown(reason));
        if (!unitsFailed.isEmpty()) {
            sb.append("; stopped whole: ")
                    .append(String.join(
                            ", ", unitsFailed.stream().map(HostText::shown).toList()));
        }
        return sb.toString();
    }

    /** This event with {@code unit} named as having lost a process (or, {@code failed}, stopped whole). */
    OomEvent withUnit(HostText unit, boolean failed, Integer killedCount) {
        List<HostText> u = new ArrayList<>(units);
        List<HostText> f = new ArrayList<>(unitsFailed);
        if (failed) {
            if (!f.contains(unit)) {
                f.add(unit);
            }
        } else if (!u.contains(unit)) {
            u.add(unit);
        }
        return new OomEvent(
                time,
                killer,
                constraint,
                reason,
                pid,
                command,
                rssBytes,
                oomScoreAdj,
                uid,
                cgroup,
                limitCgroup,
                u,
                f,
                killedCount != null ? killedCount : processesKilled);
    }
}
