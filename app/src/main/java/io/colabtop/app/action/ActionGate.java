package io.colabtop.app.action;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.colabtop.core.HostException;
import io.colabtop.core.action.ActionPlan;
import io.colabtop.core.action.HostShell;
import io.colabtop.core.action.ShellResult;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one door every action goes through: it refuses an action without a confirmation (and a
 * dangerous one without the host's name typed back), writes the intent to the audit log before
 * acting (no record, no action), runs it, and writes commands, outcome and duration after,
 * whatever happens.
 */
public final class ActionGate {
    private static final Logger LOG = LoggerFactory.getLogger(ActionGate.class);
    private final AuditLog audit;
    private final InstantSource clock;

    public ActionGate(AuditLog audit, InstantSource clock) {
        this.audit = audit;
        this.clock = clock;
    }

    public AuditLog audit() {
        return audit;
    }

    /** Records that the user said no. */
    public void declined(ActionPlan plan, String how) throws IOException {
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
    public ShellResult run(ActionPlan plan, HostShell shell, Confirmation confirmation) throws HostException, IOException {
        if (confirmation == null) {
            throw new IllegalStateException("an action cannot run unconfirmed");
        }
        if (plan.dangerous() && !plan.confirmName().equals(confirmation.typedName()) && !"--yes".equals(confirmation.how())) {
            declined(plan, confirmation.how() + " (typed '" + confirmation.typedName() + "', not the host name)");
            throw new HostException(plan.action() + " on " + plan.host() + " is dangerous: type '" + plan.confirmName()
                    + "' to confirm");
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
            throw new IOException("not run: every action is written to the audit log before it runs, and "
                    + audit.file() + " cannot be written (" + HostException.describe(ex) + ")", ex);
        }
        long t0 = System.nanoTime();
        try {
            ShellResult r = shell.runAsRoot(plan.script(), plan.timeout());
            e.put("outcome", r.ok() ? "ok" : "failed");
            if (r.error() != null) {
                e.put("message", r.error());
            }
            ArrayNode steps = e.putArray("steps");
            r.steps().forEach(steps::add);
            ArrayNode results = e.putArray("results");
            r.results().forEach(results::add);
            return r;
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
                LOG.warn("the outcome of {} on {} could not be written to {}: {}", plan.action(), plan.host(), audit.file(),
                        HostException.describe(ex));
            }
        }
    }

    private static ObjectNode base(ActionPlan plan, Instant at) {
        ObjectNode e = AuditLog.entry();
        e.put("time", at.toString());
        e.put("user", System.getProperty("user.name"));
        e.put("host", plan.host());
        e.put("action", plan.action());
        e.put("dangerous", plan.dangerous());
        ArrayNode s = e.putArray("plan");
        plan.summary().forEach(s::add);
        return e;
    }
}
