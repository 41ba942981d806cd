package io.colabtop.app.action;

import io.colabtop.core.HostException;
import io.colabtop.core.action.AutostopRule;
import io.colabtop.core.action.AutostopState;
import io.colabtop.core.action.HostScript;
import io.colabtop.core.action.HostShell;
import io.colabtop.core.action.LocalWatch;
import io.colabtop.core.action.ShellResult;
import io.colabtop.core.cost.CostModel;
import io.colabtop.core.cost.Fx;
import io.colabtop.ssh.HostScripts;
import io.colabtop.ssh.HostScripts.AutostopPlace;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Autostop as plans: arming it on a host (a watcher there, which outlives colabtop), arming it
 * here (--from-here: colabtop stops the VM through the Compute API, only while it runs),
 * cancelling it, and reading back what a host has armed. Each plan says what will run on the VM,
 * when it fires, what stopping saves per hour and what keeps billing, and that a reboot forgets it.
 */
public final class AutostopPlanner {
    static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    static final Duration ARM_TIMEOUT = Duration.ofSeconds(60);

    private AutostopPlanner() {}

    /**
     * What a VM costs, for the plan: its items per hour at list price (what stopping saves, what
     * keeps billing), in the run's currency, and which price catalog says so.
     */
    public record Billing(String vm, CostModel.Cost cost, Fx fx, String prices) {}

    /** A fresh id for one arming: it names the state on the host, its log lines and the audit entries. */
    public static String newId() {
        byte[] b = new byte[6];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /**
     * Completes what the plan needs from the host: for --when-exits, the process's start time and
     * command line (so a reused pid never counts), read now; a process not there is refused.
     */
    public static AutostopRule resolve(AutostopRule rule, HostShell shell) throws HostException {
        if (rule.trigger() instanceof AutostopRule.Exits e && e.startTicks() == 0) {
            RescuePlanner.Found f = RescuePlanner.processes(shell).stream()
                    .filter(p -> p.pid() == e.pid())
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--when-exits: no process " + e.pid()
                            + " on the host (it has exited, or never ran there)"));
            return new AutostopRule(
                    new AutostopRule.Exits(f.pid(), f.startTime(), f.command()),
                    rule.grace(),
                    rule.before(),
                    rule.beforeTimeout(),
                    rule.stop(),
                    rule.period());
        }
        return rule;
    }

    /**
     * The processes a --when-match regex matches on the host now (the host's grep -E, as the
     * watcher will match), for the plan; needs no root. A regex matching nothing is refused: the
     * VM would stop at once.
     */
    public static List<String> matchesNow(AutostopRule.Match m, HostShell shell, AutostopPlace place)
            throws HostException {
        ShellResult r = shell.runAsUser(HostScripts.autostopCheck(m, place), READ_TIMEOUT);
        if (!r.ok()) {
            throw new HostException("cannot count the matches of '" + m.regex() + "': " + r.error());
        }
        if (r.value("error") != null) {
            throw new IllegalArgumentException(
                    "--when-match: the host's grep -E refuses '" + m.regex() + "': " + r.value("error"));
        }
        List<String> matched = new ArrayList<>();
        for (String res : r.results()) {
            if (res.startsWith("matched=")) {
                matched.add(res.substring(8).strip());
            }
        }
        String n = r.value("matches");
        if (n == null || n.equals("0")) {
            throw new IllegalArgumentException("--when-match: no process matches '" + m.regex()
                    + "' on the host now: the VM would stop at once (start the job first)");
        }
        return matched;
    }

    /**
     * Arms autostop on the host: the watcher runs there, so it works with colabtop closed.
     *
     * @param billing what the VM costs, or null when the host is not a VM colabtop found
     * @param now     what the host has armed now (re-arming replaces it), or null
     * @param matched for --when-match, what it matches now (see {@link #matchesNow})
     */
    public static HostScript arm(
            String host,
            AutostopRule rule,
            String id,
            AutostopPlace place,
            Billing billing,
            AutostopState now,
            List<String> matched) {
        List<String> s = new ArrayList<>();
        s.add("autostop " + host + " " + rule.describe() + ": then the VM stops itself");
        s.addAll(when(host, rule, matched));
        s.add("on the VM: a watcher that checks every " + AutostopRule.duration(rule.period())
                + ", installing nothing: where systemd is PID 1 (as root): " + place.systemdRunLine()
                + "; elsewhere: setsid /bin/sh " + place.watchScript() + " (detached, a session of its own)");
        if (!rule.before().isEmpty()) {
            s.add("first: " + String.join(" ", rule.before()) + "   (stopped after "
                    + AutostopRule.duration(rule.beforeTimeout()) + "; the VM stops anyway)");
        }
        s.add("then: " + String.join(" ", rule.stop())
                + (rule.stop().equals(AutostopRule.DEFAULT_STOP)
                        ? "   (a guest shutdown makes a GCE VM TERMINATED: vCPU, memory and GPU billing stop)"
                        : ""));
        s.addAll(money(billing));
        s.add("gone after a reboot (its state is in " + place.state() + ", tmpfs); arming again replaces it; "
                + "colabtop autostop " + host + " --cancel removes it; why it fired is kept in "
                + (place.log().isEmpty() ? "syslog" : place.log() + " and syslog"));
        if (now != null && now.armed()) {
            s.add("replaces what is armed now: " + now.describe(now.readAt()));
        }
        return new HostScript(
                host, "autostop", s, HostScripts.autostopArm(rule, id, place), false, ARM_TIMEOUT.plus(rule.period()));
    }

    /**
     * Arms autostop in this colabtop (--from-here): nothing changes on the host; when the
     * condition holds, colabtop stops the VM through the Compute API (audited as vm-stop). It
     * works only while this colabtop runs.
     */
    public static LocalWatch armHere(
            String host, AutostopRule rule, Billing billing, List<String> matched, LocalWatch.Start start) {
        List<String> s = new ArrayList<>();
        s.add("autostop " + host + " from here " + rule.describe()
                + ": then this colabtop stops the VM through the Compute API");
        s.addAll(when(host, rule, matched));
        s.add("ONLY WHILE THIS COLABTOP RUNS: it reads the host every " + AutostopRule.duration(rule.period())
                + " (no root needed) and nothing is left on the host; close colabtop and nothing stops the VM");
        s.addAll(money(billing));
        return new LocalWatch(host, "autostop-here", s, Duration.ofSeconds(10), start);
    }

    /** Removes what the host has armed: its watcher, a hook it runs, its state. */
    public static HostScript cancel(String host, AutostopPlace place, AutostopState now) {
        List<String> s = new ArrayList<>();
        s.add("cancel autostop on " + host
                + (now != null && now.armed() ? ": " + now.describe(now.readAt()) : " (nothing may be armed)"));
        s.add("stops its watcher (systemctl stop " + place.unit() + ".service, or the detached process, checked by pid "
                + "and start time) and a --before hook it runs; removes " + place.state());
        return new HostScript(host, "autostop-cancel", s, HostScripts.autostopCancel(place), false, READ_TIMEOUT);
    }

    /** What the host has armed, read back (root: the state is root's). */
    public static AutostopState status(HostShell shell, AutostopPlace place, Instant now) throws HostException {
        ShellResult r = shell.runAsRoot(HostScripts.autostopStatus(place), READ_TIMEOUT);
        if (!r.ok()) {
            throw new HostException("cannot read autostop: " + r.error());
        }
        try {
            return AutostopState.parse(r, now);
        } catch (IllegalArgumentException e) {
            throw new HostException("the host's autostop status was not a report: " + e.getMessage());
        }
    }

    /** How far back the audit log is read for a firing already recorded. */
    static final int FIRED_LOOKBACK = 500;

    /**
     * Writes to the audit log, once per arming, that a host's watcher fired and why (its state,
     * or, after the reboot the stop was, the last line of its log): the host acted while no
     * colabtop may have watched, and the audit says so. When the watched process was OOM-killed
     * (the reason quotes the killer's line) the entry says who killed it, as core.oom's kill
     * history reads that line: {@code oomKilledBy} "kernel" or "systemd-oomd" and {@code oomKill},
     * e.g. "kernel ✗ pid 4242 python RSS 31.2M: a memory cgroup's limit was hit (...)". Returns
     * whether an entry was written.
     */
    public static boolean recordFired(AuditLog audit, String host, AutostopState s, java.time.InstantSource clock)
            throws java.io.IOException {
        String id = null;
        String reason = null;
        Instant at = null;
        boolean failed = false;
        if (s.fired() != null && s.id() != null && !s.fromHere()) {
            id = s.id();
            reason = s.fired().describe();
            at = s.fired().at();
            failed = s.fired().failed();
        } else if (s.lastLog() != null) {
            // "1718000700 6f1c2a fired: PID 4242 (python) exited; no OOM kill since arming"
            String[] f = s.lastLog().split(" ", 3);
            if (f.length == 3
                    && f[0].matches("[0-9]{1,12}")
                    && f[1].matches("[a-z0-9]{6,32}")
                    && f[2].startsWith("fired: ")) {
                id = f[1];
                reason = f[2].substring(7);
                at = Instant.ofEpochSecond(Long.parseLong(f[0]));
            }
        }
        if (id == null) {
            return false;
        }
        for (com.fasterxml.jackson.databind.JsonNode e : audit.tail(FIRED_LOOKBACK)) {
            if ("autostop-fired".equals(e.path("action").asText())
                    && id.equals(e.path("autostopId").asText())
                    && host.equals(e.path("host").asText())) {
                return false;
            }
        }
        com.fasterxml.jackson.databind.node.ObjectNode e = AuditLog.entry();
        e.put("time", at.toString());
        e.put("user", System.getProperty("user.name"));
        e.put("host", host);
        e.put("action", "autostop-fired");
        e.put("dangerous", true);
        e.put("confirmedBy", "autostop armed earlier (id " + id + ")");
        e.put("outcome", failed ? "failed" : "ok");
        e.put("message", reason);
        // an OOM-killed run still stopped the VM; the audit says who killed it, read as the kill history reads it
        io.colabtop.core.oom.OomEvent oom = AutostopState.oomKill(reason);
        if (oom != null) {
            e.put("oomKilledBy", oom.killer().label());
            e.put("oomKill", oom.summary());
        }
        e.put("autostopId", id);
        e.put("recordedAt", clock.instant().toString());
        audit.append(e);
        return true;
    }

    /** When it fires, in words, with what it matches now. */
    private static List<String> when(String host, AutostopRule rule, List<String> matched) {
        List<String> s = new ArrayList<>();
        String grace = rule.grace().isZero() ? "" : AutostopRule.duration(rule.grace()) + " after ";
        if (rule.trigger() instanceof AutostopRule.Exits e) {
            s.add("fires " + (grace.isEmpty() ? "when " : grace) + "PID " + e.pid() + " exits"
                    + (e.command().isEmpty() ? "" : "   # " + clip(e.command())) + " (checked by its start time: a "
                    + "reused pid does not count; an OOM kill counts, and the audit says so)");
        } else if (rule.trigger() instanceof AutostopRule.Match m) {
            s.add("fires " + (grace.isEmpty() ? "when " : grace) + "no command line matches grep -E '" + m.regex()
                    + "' (arguments joined by spaces); a match again before then starts the wait over");
            if (matched != null && !matched.isEmpty()) {
                s.add("matches now: "
                        + String.join(
                                "; ",
                                matched.stream().map(AutostopPlanner::clip).toList()));
            }
        } else {
            AutostopRule.Idle i = (AutostopRule.Idle) rule.trigger();
            s.add("fires after " + AutostopRule.duration(i.window()) + (grace.isEmpty() ? "" : " + " + grace.strip())
                    + " with CPU at most " + i.cpuMax() + " %, every GPU at most " + i.gpuMax()
                    + " % (nvidia-smi) and nobody on an SSH terminal; any of them busy starts the wait over");
        }
        if (!rule.grace().isZero()) {
            s.add("in those " + AutostopRule.duration(rule.grace()) + ", colabtop autostop " + host
                    + " --cancel (or a in colabtop's table) keeps the VM running");
        }
        return s;
    }

    /** What stopping saves per hour and what keeps billing, from the cost model. */
    static List<String> money(Billing b) {
        if (b == null) {
            return List.of("what stopping saves: unknown (not a GCE VM colabtop found: start colabtop with --project,"
                    + " or give --vm NAME)");
        }
        CostModel.Cost c = b.cost();
        CostModel.Cost stopped = c.stopped();
        List<String> s = new ArrayList<>();
        s.add("stopping " + b.vm() + " saves " + money(b.fx(), c.savedByStopping(), c.complete()) + "/h ("
                + money(b.fx(), c.savedByStopping().times(CostModel.HOURS_PER_MONTH), c.complete())
                + " per 730 h at list price)");
        List<String> keeps = new ArrayList<>();
        for (CostModel.Item i : stopped.items()) {
            keeps.add(i.what() + " "
                    + (i.priced() ? b.fx().format(i.perHour()) + "/h" : "(no price: " + i.unpriced() + ")"));
        }
        s.add(
                keeps.isEmpty()
                        ? "nothing keeps billing once it is stopped"
                        : "keeps billing while stopped: " + String.join("; ", keeps) + " = "
                                + money(b.fx(), stopped.total(), stopped.complete())
                                + "/h (disks and a reserved IP bill "
                                + "until deleted)");
        for (String m : c.missing()) {
            s.add("not priced: " + m);
        }
        s.add("prices: " + b.prices());
        return s;
    }

    private static String money(Fx fx, io.colabtop.core.cost.Money m, boolean complete) {
        return (complete ? "" : "≥ ") + fx.format(m);
    }

    private static String clip(String s) {
        return s.length() > 70 ? s.substring(0, 69) + "…" : s;
    }
}
