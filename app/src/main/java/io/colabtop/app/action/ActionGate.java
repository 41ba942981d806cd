package io.colabtop.app.action;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.colabtop.core.HostException;
import io.colabtop.core.action.Action;
import io.colabtop.core.action.ActionCancelledException;
import io.colabtop.core.action.Confirmation;
import io.colabtop.core.action.HostScript;
import io.colabtop.core.action.HostShell;
import io.colabtop.core.action.ShellResult;
import io.colabtop.core.action.ShellWatch;
import io.colabtop.core.action.VmPower;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one door every action goes through, whatever its kind: it refuses an action without a
 * confirmation (and a dangerous one without its name typed back), writes the intent to the audit
 * log before acting (no record, no action), runs it (a script through its host's transport, a VM
 * power change through its switch), and writes commands, outcome and duration after, whatever
 * happens.
 */
public final class ActionGate {
    private static final Logger LOG = LoggerFactory.getLogger(ActionGate.class);

    /** The transport that runs scripts on a host, by the host's name; null when colabtop cannot act on it. */
    @FunctionalInterface
    public interface Transports {
        HostShell shellFor(String host);
    }

    private final AuditLog audit;
    private final InstantSource clock;
    private final Transports transports;

    /** For callers that hand each script its transport ({@link #run(HostScript, HostShell, Confirmation)}). */
    public ActionGate(AuditLog audit, InstantSource clock) {
        this(audit, clock, host -> null);
    }

    public ActionGate(AuditLog audit, InstantSource clock, Transports transports) {
        this.audit = audit;
        this.clock = clock;
        this.transports = transports;
    }

    public AuditLog audit() {
        return audit;
    }

    /** Records that the user said no. */
    public void declined(Action plan, String how) throws IOException {
        ObjectNode e = base(plan, clock.instant());
        e.put("confirmedBy", how);
        e.put("outcome", "declined");
        audit.append(e);
    }

    /**
     * Runs a confirmed plan. The intent (outcome "started") is written before the host is touched
     * and the outcome after, both with the same "id": an action whose intent cannot be recorded
     * does not run.
     *
     * @throws IOException when the audit log cannot be written: the host was not touched
     */
    public ShellResult run(Action plan, Confirmation confirmation) throws HostException, IOException {
        return run(plan, confirmation, ShellWatch.NONE);
    }

    /**
     * The same, watched: progress goes to {@code watch} as the script reports it, and cancelling
     * stops it (outcome "cancelled" in the audit log).
     */
    public ShellResult run(Action plan, Confirmation confirmation, ShellWatch watch) throws HostException, IOException {
        return run(plan, plan instanceof HostScript ? transports.shellFor(plan.host()) : null, confirmation, watch);
    }

    /** Runs a script through the transport given (the CLI has it at hand: it planned with it). */
    public ShellResult run(HostScript plan, HostShell shell, Confirmation confirmation)
            throws HostException, IOException {
        return run(plan, shell, confirmation, ShellWatch.NONE);
    }

    /** The same, watched. */
    public ShellResult run(HostScript plan, HostShell shell, Confirmation confirmation, ShellWatch watch)
            throws HostException, IOException {
        return run((Action) plan, shell, confirmation, watch);
    }

    private ShellResult run(Action plan, HostShell shell, Confirmation confirmation, ShellWatch watch)
            throws HostException, IOException {
        if (confirmation == null) {
            throw new IllegalStateException("an action cannot run unconfirmed");
        }
        if (!confirmation.confirms(plan)) {
            String typed = confirmation instanceof Confirmation.Typed t ? t.text() : "";
            declined(plan, confirmation.how() + " (typed '" + typed + "', not '" + plan.confirmName() + "')");
            throw new HostException(
                    plan.name() + " on " + plan.host() + " is dangerous: type '" + plan.confirmName() + "' to confirm");
        }
        if (plan instanceof HostScript && shell == null) {
            throw new HostException("colabtop cannot act on " + plan.host());
        }
        Instant start = clock.instant();
        ObjectNode e = base(plan, start);
        e.put("id", UUID.randomUUID().toString());
        e.put("confirmedBy", confirmation.how());
        ObjectNode intent = e.deepCopy();
        intent.put("outcome", "started");
        try {
            audit.append(intent);
        } catch (IOException ex) {
            throw new IOException(
                    "not run: every action is written to the audit log before it runs, and " + audit.file()
                            + " cannot be written (" + HostException.describe(ex) + ")",
                    ex);
        }
        long t0 = System.nanoTime();
        try {
            // Java 17 has no pattern switch; Action is sealed to these three
            ShellResult r = plan instanceof HostScript s
                    ? shell.runAsRoot(s.script(), s.timeout(), watch)
                    : plan instanceof VmPower p
                            ? p.power().flip(plan.timeout())
                            : ((io.colabtop.core.action.LocalWatch) plan)
                                    .start()
                                    .start();
            e.put("outcome", r.ok() ? "ok" : "failed");
            if (r.error() != null) {
                e.put("message", r.error());
            }
            ArrayNode steps = e.putArray("steps");
            r.steps().forEach(steps::add);
            ArrayNode results = e.putArray("results");
            r.results().forEach(results::add);
            return r;
        } catch (ActionCancelledException ex) {
            e.put("outcome", "cancelled");
            e.put("message", ex.getMessage());
            throw ex;
        } catch (HostException ex) {
            e.put("outcome", "failed");
            e.put("message", ex.getMessage());
            throw ex;
        } finally {
            e.put("durationMs", Duration.ofNanos(System.nanoTime() - t0).toMillis());
            try {
                audit.append(e);
            } catch (IOException ex) {
                // the action has run: its result must reach the user, the log says what is missing
                LOG.warn(
                        "the outcome of {} on {} could not be written to {}: {}",
                        plan.name(),
                        plan.host(),
                        audit.file(),
                        HostException.describe(ex));
            }
        }
    }

    private static ObjectNode base(Action plan, Instant at) {
        ObjectNode e = AuditLog.entry();
        e.put("time", at.toString());
        e.put("user", System.getProperty("user.name"));
        e.put("host", plan.host());
        e.put("action", plan.name());
        e.put("dangerous", plan.dangerous());
        ArrayNode s = e.putArray("plan");
        plan.summary().forEach(s::add);
        return e;
    }
}
