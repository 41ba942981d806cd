package io.colabtop.app.serve;

import io.colabtop.app.gce.GceDiscovery;
import io.colabtop.core.Footprint;
import io.colabtop.core.HostState;
import io.colabtop.core.HostUpdate;
import io.colabtop.core.cost.Fx;
import io.colabtop.core.cost.Money;
import io.colabtop.core.cost.VmInfo;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest of everything {@code colabtop serve} knows, written by the poller's threads (one
 * outcome per host and tick), discovery (one round a minute) and the footprint meter, read by
 * scrapes as one immutable {@link FleetReading}. It keeps no metric: a scrape builds them.
 *
 * <p>Which hosts a scrape shows: every host named on the command line or in the config, and every
 * VM of the latest discovery round. A VM that is not RUNNING shows what it is and what it costs,
 * but no {@code colabtop_up} (stopping a VM is not an outage). A VM missing from
 * {@value #VANISH_ROUNDS} rounds in a row has been deleted: its series disappear. (One round
 * is not enough: a failed listing of its project would blank it for a minute.)
 */
public final class ServeState implements GceDiscovery.Listener {
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger("colabtop.serve");

    /** Rounds in a row a VM must be missing from before it counts as gone. */
    static final int VANISH_ROUNDS = 3;

    /** A VM as discovery last listed it, and how many rounds since then have missed it. */
    private record SeenVm(VmInfo vm, Money costPerHour, int missed) {}

    private final Set<String> named;
    private final Map<String, HostState> states = new ConcurrentHashMap<>();
    private final InstantSource clock;
    private final Fx fx;
    private final HostReading.Exposure exposure;
    private final Instant started;
    private volatile Map<String, SeenVm> vms = Map.of();
    private volatile Footprint own;
    private volatile Instant lastOutcome;
    private volatile String discoveryNote;

    /** @param named the hosts named on the command line or in the config, in their order */
    public ServeState(List<String> named, InstantSource clock, Fx fx, HostReading.Exposure exposure) {
        this.named = new LinkedHashSet<>(named);
        this.clock = clock;
        this.fx = fx;
        this.exposure = exposure;
        this.started = clock.instant();
        for (String h : this.named) {
            states.put(h, HostState.pending(h));
        }
    }

    /** Thread-safe: a poll's outcome (the poller's sink). */
    public void offer(HostUpdate u) {
        states.compute(u.host(), (h, s) -> u.applyTo(s == null ? HostState.pending(h) : s));
        lastOutcome = clock.instant();
    }

    /**
     * Thread-safe: a discovery round, priced item by item. colabtop_vm_hourly_cost exports what is
     * priced (a VM with nothing priced has no cost series; a partly priced one exports its known
     * part, the floor the TUI shows as "≥").
     */
    @Override
    public void offerPricedVms(List<VmInfo> found, Map<String, io.colabtop.core.cost.VmCost> costs, String note) {
        Map<String, Money> perHour = new HashMap<>();
        costs.forEach((host, c) -> {
            if (c != null && !c.unpriced()) {
                perHour.put(host, c.now());
            }
        });
        offerVms(found, perHour, note);
    }

    /** Thread-safe: a discovery round: the VMs it found and what each bills per hour now. */
    public synchronized void offerVms(List<VmInfo> found, Map<String, Money> costs, String note) {
        Map<String, SeenVm> next = new HashMap<>();
        for (VmInfo v : found) {
            next.put(v.hostName(), new SeenVm(v, costs.get(v.hostName()), 0));
        }
        vms.forEach((host, seen) -> {
            if (!next.containsKey(host) && seen.missed() + 1 < VANISH_ROUNDS) {
                next.put(host, new SeenVm(seen.vm(), seen.costPerHour(), seen.missed() + 1));
            }
        });
        vms = Map.copyOf(next);
        if (note != null && !note.equals(discoveryNote)) {
            LOG.info("serve: " + note); // what could not be listed, priced or reached, once per change
        }
        discoveryNote = note;
    }

    /** Thread-safe: colabtop's own footprint, read every few seconds. */
    public void own(Footprint f) {
        own = f;
    }

    /** What a scrape of /metrics exports, as of now. */
    public FleetReading reading() {
        Instant now = clock.instant();
        Map<String, SeenVm> vmsNow = vms;
        List<HostReading> out = new ArrayList<>();
        for (String h : named) {
            out.add(host(h, vmsNow.get(h), now));
        }
        new TreeMap<>(vmsNow).forEach((h, seen) -> {
            if (!named.contains(h)) {
                out.add(host(h, seen, now));
            }
        });
        return new FleetReading(now, out, own);
    }

    /** One host of the fleet as a scrape would show it, or null when it is not one (/probe). */
    public HostReading reading(String host) {
        SeenVm seen = vms.get(host);
        if (!named.contains(host) && seen == null) {
            return null;
        }
        return host(host, seen, clock.instant());
    }

    private HostReading host(String host, SeenVm seen, Instant now) {
        VmInfo vm = seen == null ? null : seen.vm();
        HostState state = vm != null && !vm.running() && !named.contains(host)
                ? null // a stopped VM: nothing to poll, so no 'up'
                : states.getOrDefault(host, HostState.pending(host));
        return new HostReading(host, state, vm, seen == null ? null : seen.costPerHour(), fx, now, exposure);
    }

    public Fx fx() {
        return fx;
    }

    public HostReading.Exposure exposure() {
        return exposure;
    }

    /**
     * Alive when poll outcomes keep coming: one arrives from every host each tick (a failure is an
     * outcome too), so a silence of {@code 2 x (interval + deadline)} means the poller has stopped.
     */
    public Health liveness(Duration interval, Duration deadline) {
        FleetReading r = reading();
        long polled = r.hosts().stream().filter(h -> h.state() != null).count();
        if (polled == 0) {
            return new Health(true, "no hosts to poll yet");
        }
        Instant last = lastOutcome != null ? lastOutcome : started;
        Duration silent = Duration.between(last, r.at());
        Duration bound = interval.plus(deadline).multipliedBy(2);
        if (silent.compareTo(bound) > 0) {
            return new Health(
                    false,
                    "no poll outcome for " + silent.toSeconds() + " s (expected one every " + interval.toMillis()
                            + " ms)");
        }
        return new Health(true, "polling " + polled + " hosts");
    }

    /** Ready once every host to poll has been polled once (up or not): before, a scrape would miss series. */
    public Health readiness() {
        FleetReading r = reading();
        long toPoll = r.hosts().stream().filter(h -> h.state() != null).count();
        long polled = r.hosts().stream()
                .filter(h -> h.state() != null && !h.state().pending())
                .count();
        long up = r.hosts().stream().filter(h -> h.up() != null).count();
        return new Health(polled == toPoll, polled + " of " + toPoll + " hosts polled, " + up + " up");
    }

    /** An endpoint's verdict: 200 with {@code text} when ok, else 503. */
    public record Health(boolean ok, String text) {}
}
