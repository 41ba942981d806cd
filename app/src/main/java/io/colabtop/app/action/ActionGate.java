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

/**
 * The one door every action goes through: it refuses an action without a confirmation (and a
 * dangerous one without the host's name typed back), runs it, and writes intent, commands,
 * outcome and duration to the audit log, whatever happens.
 */
public final class ActionGate {
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
        e.put("confirmedBy", confirmation.how());
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
            audit.append(e);
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
