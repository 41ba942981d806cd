package io.colabtop.core.action;

import io.colabtop.core.SafeText;
import java.time.Instant;

/**
 * The autostop condition kept by colabtop itself (--from-here), fed one reading of the host at a
 * time (the check script's report): the same condition as the watcher on a VM, with colabtop's
 * clock. It only decides; whoever feeds it stops the VM (through the Compute API, audited) when
 * {@link Decision#fire()} says so, and only while colabtop runs.
 */
public final class AutostopCondition {
    private final AutostopRule rule;
    private long oomAtArming;
    private Instant holdsSince;
    private String why;
    private long prevBusy = -1;
    private long prevTotal = -1;
    private String lastComm;

    /**
     * @param oomKillsAtArming the host's oom_kill counter when armed (an OOM kill counts as the
     *                         reason only if the counter rose since), or -1 to take it from the
     *                         first reading that finds the process running
     */
    public AutostopCondition(AutostopRule rule, long oomKillsAtArming) {
        this.rule = rule;
        this.oomAtArming = oomKillsAtArming;
    }

    public AutostopRule rule() {
        return rule;
    }

    /**
     * What the condition is at {@code at}: whether it holds, since when, when the VM stops, and,
     * once it is time, why.
     *
     * @param pending  the condition holds now
     * @param firesAt  when the VM stops if it keeps holding; null when not pending
     * @param note     what the reading said, for the row
     * @param reason   why it fires, for the audit; null until it fires
     */
    public record Decision(boolean pending, Instant firesAt, String note, String reason) {
        public boolean fire() {
            return reason != null;
        }
    }

    /** One reading of the host (see the check script's report); an unreadable one leaves things as they were. */
    public Decision observe(ShellResult reading, Instant at) {
        String error = reading.value("error");
        if (error != null) {
            return keep(at, "cannot check: " + SafeText.clip(error, 200));
        }
        boolean holds;
        String note;
        AutostopRule.Trigger t = rule.trigger();
        if (t instanceof AutostopRule.Exits e) {
            String alive = reading.value("alive");
            // its name while it ran: once it is gone, the host no longer knows it
            String now = reading.value("comm");
            if (now != null && !now.isBlank() && "1".equals(reading.value("alive"))) {
                lastComm = SafeText.clip(now, 40);
            }
            // never seen running (gone, or another process's, at the first reading): the name it
            // had when the plan was made, the first word of "python train.py"
            String comm = lastComm != null ? lastComm : planned(e.command());
            if (alive == null) {
                return keep(at, "the host did not say whether PID " + e.pid() + " runs");
            }
            holds = !alive.equals("1");
            Long kills = number(reading.value("oom_kill"));
            if (!holds && oomAtArming < 0 && kills != null) {
                oomAtArming = kills;
            }
            note = holds ? "PID " + e.pid() + " exited" : "PID " + e.pid() + " runs";
            if (holds && why == null) {
                why = exitReason(e, comm, alive.equals("reused"), reading);
            }
            if (holds) {
                note = why;
            }
        } else if (t instanceof AutostopRule.Match m) {
            Long n = number(reading.value("matches"));
            if (n == null) {
                return keep(at, "the host did not count the matches");
            }
            holds = n == 0;
            note = holds ? "no process matches" : n + " processes match";
            if (holds) {
                why = "no process matched '" + m.regex() + "' for " + AutostopRule.duration(rule.grace());
            }
        } else {
            AutostopRule.Idle i = (AutostopRule.Idle) t;
            String[] cpu = String.valueOf(reading.value("cpu")).split(" ");
            Long busy = cpu.length == 2 ? number(cpu[0]) : null;
            Long total = cpu.length == 2 ? number(cpu[1]) : null;
            if (busy == null || total == null || busy > total) {
                return keep(at, "the host did not report its CPU time");
            }
            long pb = prevBusy;
            long pt = prevTotal;
            prevBusy = busy;
            prevTotal = total;
            String gpu = String.valueOf(reading.value("gpu"));
            Long gpuPct = number(gpu);
            if (pt < 0 || total <= pt || busy < pb) {
                holds = false;
                note = "first reading";
            } else {
                long pct = 100 * (busy - pb) / (total - pt);
                if (pct > i.cpuMax()) {
                    holds = false;
                    note = "busy: CPU " + pct + "%";
                } else if (!gpu.equals("none") && gpuPct == null) {
                    holds = false;
                    note = "GPU utilisation unreadable: counted as busy";
                } else if (gpuPct != null && gpuPct > i.gpuMax()) {
                    holds = false;
                    note = "busy: GPU " + gpuPct + "%";
                } else if ("1".equals(reading.value("pty"))) {
                    holds = false;
                    note = "someone is on an SSH terminal";
                } else {
                    holds = true;
                    note = "idle: CPU " + pct + "%, GPU " + (gpuPct == null ? "none" : gpuPct + "%")
                            + ", no SSH terminal";
                    why = "idle for " + AutostopRule.duration(i.window()) + " (CPU at most " + i.cpuMax()
                            + "%, GPUs at most " + i.gpuMax() + "%, no SSH terminal)";
                }
            }
        }
        if (!holds) {
            holdsSince = null;
            if (!(t instanceof AutostopRule.Exits)) {
                why = null;
            }
            return new Decision(false, null, note, null);
        }
        if (holdsSince == null) {
            holdsSince = at;
        }
        Instant firesAt = holdsSince.plus(rule.waitAfterHolding());
        return new Decision(true, firesAt, note, at.isBefore(firesAt) ? null : why);
    }

    private Decision keep(Instant at, String note) {
        return holdsSince == null
                ? new Decision(false, null, note, null)
                : new Decision(true, holdsSince.plus(rule.waitAfterHolding()), note, null);
    }

    /**
     * Why process {@code e} went: "PID 4242 (python) was OOM-killed by the kernel: Memory cgroup
     * out of memory: Killed process 4242 (python) ..." when the host's oom_kill counter rose since
     * arming and the kernel log has its line; else an ordinary exit.
     */
    private String exitReason(AutostopRule.Exits e, String comm, boolean reused, ShellResult reading) {
        String gone = reused ? "exited (its pid " + e.pid() + " is now another process)" : "exited";
        Long kills = number(reading.value("oom_kill"));
        String line = reading.value("oom_line");
        boolean rose = kills != null && oomAtArming >= 0 && kills > oomAtArming;
        String head = "PID " + e.pid() + " (" + comm + ")";
        if (rose && line != null) {
            return head + " was OOM-killed by the kernel: " + SafeText.clip(line, 200);
        }
        if (rose) {
            return head + " " + gone + "; the kernel OOM-killed something since arming (its log is not readable here to"
                    + " say what)";
        }
        return head + " " + gone + (oomAtArming >= 0 ? "; no OOM kill since arming" : "");
    }

    /** "python" for "/usr/bin/python train.py", "?" for nothing. */
    private static String planned(String command) {
        String first = command == null ? "" : command.strip().split("\\s+", 2)[0];
        first = first.substring(first.lastIndexOf('/') + 1);
        return first.isEmpty() ? "?" : SafeText.clip(first, 40);
    }

    private static Long number(String s) {
        if (s == null || s.isEmpty() || s.length() > 18 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        return Long.parseLong(s);
    }
}
