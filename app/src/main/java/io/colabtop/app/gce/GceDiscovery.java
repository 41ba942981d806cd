package io.colabtop.app.gce;

import io.colabtop.app.fleet.FleetPoller;
import io.colabtop.app.fleet.Hosts;
import io.colabtop.app.fleet.Scheduler;
import io.colabtop.core.HostException;
import io.colabtop.core.action.VmPower;
import io.colabtop.core.cost.ColabUnits;
import io.colabtop.core.cost.CostModel;
import io.colabtop.core.cost.FleetTotal;
import io.colabtop.core.cost.Fx;
import io.colabtop.core.cost.VmCost;
import io.colabtop.core.cost.VmInfo;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Finds the projects' VMs in the background (the client takes ~1 s to create: never before the
 * first frame), every minute or on request: prices them, hands the list to the TUI, and adds each
 * RUNNING VM to the poller as an SSH host, reached at its external IP (internal with --internal-ip)
 * or through a {@code Host VM.ZONE.PROJECT} entry of ssh_config ({@code gcloud compute config-ssh}),
 * with its host key checked under gcloud's alias {@code compute.INSTANCE_ID}.
 */
public final class GceDiscovery implements AutoCloseable {
    public record Settings(List<String> projects, String endpoint, boolean internalIp, Duration every) {}

    /**
     * Who hears of each round: the VMs found, what each bills (by host name: per hour now, what has
     * no price, the Colab runtime it compares with), and a note (VMs found, zones unreachable,
     * what could not be priced, which price catalog).
     */
    public interface Listener {
        void offerPricedVms(List<VmInfo> vms, Map<String, VmCost> costs, String note);
    }

    private final Settings settings;
    private final CostModel model;
    private final Hosts hosts;
    private final FleetPoller poller;
    private final InstantSource clock;
    private final Scheduler scheduler;
    private final Map<String, VmInfo> lastSeen = new ConcurrentHashMap<>();
    private final Fx fx;
    private volatile ColabUnits colab;
    private volatile String projectsFrom;
    private volatile ComputeApi api;
    private volatile boolean closed;
    private Listener listener;

    public GceDiscovery(
            Settings settings, CostModel model, Fx fx, Hosts hosts, FleetPoller poller, InstantSource clock) {
        this(settings, model, fx, hosts, poller, clock, Scheduler.system("colabtop-gce"));
    }

    /** With the scheduler of its rounds given (tests: a manual one). Rounds run one at a time. */
    public GceDiscovery(
            Settings settings,
            CostModel model,
            Fx fx,
            Hosts hosts,
            FleetPoller poller,
            InstantSource clock,
            Scheduler scheduler) {
        this.scheduler = scheduler;
        this.fx = fx;
        this.settings = settings;
        this.model = model;
        this.hosts = hosts;
        this.poller = poller;
        this.clock = clock;
    }

    /** The Colab runtimes each VM is compared with (its host view's line); none without this. */
    public GceDiscovery colab(ColabUnits units) {
        this.colab = units;
        return this;
    }

    /** Where a project came from when the user did not name it ("p from gcloud configuration 'default', …"). */
    public GceDiscovery projectsFrom(String from) {
        this.projectsFrom = from;
        return this;
    }

    /** A round now and then every {@code settings.every()}; the first comes after the first frame. */
    public synchronized void start(Listener session) {
        listener = session;
        scheduler.every(this::roundIfOpen, Duration.ZERO, settings.every());
    }

    /** A round as soon as possible (after a stop or start), besides the regular ones. */
    public synchronized void rediscover() {
        if (listener != null) {
            scheduler.schedule(this::roundIfOpen, Duration.ZERO);
        }
    }

    private void roundIfOpen() {
        Listener l;
        synchronized (this) {
            l = listener;
        }
        if (!closed && l != null) {
            round(l);
        }
    }

    private ComputeApi api() throws HostException {
        ComputeApi a = api;
        if (a == null) {
            a = ComputeApi.create(settings.endpoint(), Duration.ofSeconds(20));
            api = a;
        }
        return a;
    }

    synchronized void round(Listener session) {
        List<VmInfo> all = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<String> unreachable = new ArrayList<>();
        for (String project : settings.projects()) {
            try {
                ComputeApi.Listing l = api().list(project);
                all.addAll(l.vms());
                l.unreachable()
                        .forEach(
                                z -> unreachable.add(z + (settings.projects().size() > 1 ? " (" + project + ")" : "")));
                notes.addAll(l.warnings());
            } catch (HostException e) {
                notes.add(e.getMessage());
            }
        }
        Map<String, VmCost> costs = new HashMap<>();
        Map<String, VmCost> byName = new HashMap<>();
        ColabUnits units = colab;
        for (VmInfo v : all) {
            lastSeen.put(v.hostName(), v);
            CostModel.Cost c = model.hourly(v.shape());
            VmCost vc = VmCost.of(c, v, units == null ? null : units.forShape(v.shape(), model.catalog()));
            costs.put(v.hostName(), vc);
            byName.put(
                    v.name()
                            + (all.stream()
                                                    .filter(o -> o.name().equals(v.name()))
                                                    .count()
                                            > 1
                                    ? "." + v.zone()
                                    : ""),
                    vc);
            if (v.running()) {
                addToFleet(v, notes);
            }
        }
        FleetTotal total = FleetTotal.of(byName);
        long running = all.stream().filter(VmInfo::running).count();
        String from = projectsFrom;
        String note = "GCE " + String.join(",", settings.projects()) + (from == null ? "" : " (" + from + ")") + ": "
                + all.size() + " VMs, " + running
                + " running"
                + (unreachable.isEmpty()
                        ? ""
                        : "; zones unreachable (VMs there not listed): " + String.join(", ", unreachable))
                + (total.why().isEmpty() ? "" : "; not priced: " + String.join("; ", total.why()))
                + (notes.isEmpty() ? "" : "; " + String.join("; ", notes))
                + "; prices: " + model.catalog().info().label() + " (" + fx.currency() + ")";
        session.offerPricedVms(all, costs, note);
    }

    private void addToFleet(VmInfo v, List<String> notes) {
        // identity is project/zone/name: a VM named like another one elsewhere is another host
        if (poller.sources().stream().anyMatch(s -> s.name().equals(v.hostName()))) {
            return;
        }
        try {
            poller.add(hosts.vm(v, settings.internalIp()));
        } catch (IllegalArgumentException e) {
            notes.add(v.name() + ": " + e.getMessage());
        }
    }

    /** What a VM discovery found bills per hour, item by item (an autostop plan's savings); null when none. */
    public CostModel.Cost hourly(String host) {
        VmInfo v = lastSeen.get(host);
        return v == null ? null : model.hourly(v.shape());
    }

    /** The VM's own name, for a plan; null when discovery did not find it. */
    public String vmName(String host) {
        VmInfo v = lastSeen.get(host);
        return v == null ? null : v.name();
    }

    /** Which price catalog the costs come from: "shipped snapshot of 2026-07-30". */
    public String pricesLabel() {
        return model.catalog().info().label();
    }

    /** For the TUI's S key: the stop plan for a VM found by discovery, and the API shell that runs it. */
    public VmPower vmPower(String host, boolean stop, Consumer<String> progress) throws HostException {
        VmInfo v = lastSeen.get(host);
        if (v == null) {
            return null;
        }
        VmInfo fresh = api().get(v.project(), v.zone(), v.name());
        return VmPowerPlans.plan(fresh, model, stop, fx, api(), progress);
    }

    @Override
    public void close() {
        closed = true;
        scheduler.close();
        ComputeApi a = api;
        if (a != null) {
            a.close();
        }
    }
}
