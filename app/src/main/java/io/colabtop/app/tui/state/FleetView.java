package io.colabtop.app.tui.state;

import io.colabtop.core.cost.Fx;
import io.colabtop.core.cost.Money;

import io.colabtop.core.HostState;
import io.colabtop.core.HostUpdate;
import io.colabtop.ssh.HostKeyException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the screen shows. Owned by the UI thread alone: collectors hand in
 * {@link HostUpdate}s through a queue and only the UI thread applies them here.
 */
public final class FleetView {
    public enum Mode { TABLE, DETAIL, HELP }

    private final Map<String, HostState> hosts = new LinkedHashMap<>();
    private final Duration interval;
    private SortMode sort = SortMode.NAME;
    private Mode mode = Mode.TABLE;
    private Mode beforeHelp = Mode.TABLE;
    private String selectedHost;
    private int detailSelected;
    private String message;
    /** Unknown host keys waiting for the user's yes or no, oldest first. */
    private final Deque<KeyQuestion> keyQuestions = new ArrayDeque<>();
    private final Set<String> declinedKeys = new HashSet<>();

    /** A plan waiting for y/n (or, when dangerous, the host name typed and Enter). */
    public record PlanDialog(io.colabtop.core.action.Action plan, StringBuilder typed) {
    }

    /** A line of text being typed (a bucket name, a mount point), and what to do with it. */
    public record InputPrompt(String label, StringBuilder text, java.util.function.Consumer<String> onEnter) {
    }

    private PlanDialog planDialog;
    private InputPrompt input;
    private final Map<String, String> running = new java.util.HashMap<>();
    private final Map<String, String> lastAction = new java.util.HashMap<>();

    public PlanDialog planDialog() {
        return planDialog;
    }

    public void showPlan(io.colabtop.core.action.Action plan) {
        input = null;
        planDialog = new PlanDialog(plan, new StringBuilder());
    }

    public void closePlan() {
        planDialog = null;
    }

    public InputPrompt input() {
        return input;
    }

    public void ask(String label, String initial, java.util.function.Consumer<String> onEnter) {
        input = new InputPrompt(label, new StringBuilder(initial), onEnter);
    }

    public void closeInput() {
        input = null;
    }

    /** An action is running on the host (shown in its row and the status line). */
    public void actionStarted(String host, String what) {
        running.put(host, what);
        message = what + " on " + host + "…";
    }

    public void actionFinished(String host, String outcome) {
        running.remove(host);
        lastAction.put(host, outcome);
        message = host + ": " + outcome;
    }

    public String running(String host) {
        return running.get(host);
    }

    public String lastAction(String host) {
        return lastAction.get(host);
    }

    /** The process selected in the host view, or null. */
    public io.colabtop.core.ProcessInfo selectedProcess() {
        HostState h = hosts.get(selectedHost);
        if (h == null || h.latest() == null || h.latest().processes().isEmpty()) {
            return null;
        }
        List<io.colabtop.core.ProcessInfo> ps = h.latest().processes();
        return ps.get(Math.min(detailSelected, ps.size() - 1));
    }

    /** A host whose key is not in known_hosts, and the key it offered. */
    public record KeyQuestion(String host, HostKeyException key) {
    }

    public FleetView(List<String> hostNames, Duration interval) {
        for (String h : hostNames) {
            hosts.put(h, HostState.pending(h));
        }
        this.interval = interval;
        this.selectedHost = hostNames.isEmpty() ? null : hostNames.get(0);
    }

    // Google Compute Engine: VMs found by discovery, what they cost (USD/h now), how to show money
    private final Map<String, io.colabtop.core.cost.VmInfo> vms = new java.util.HashMap<>();
    private final Map<String, Money> costPerHour = new java.util.HashMap<>();
    private Fx fx = Fx.USD;
    private String discovery;
    private io.colabtop.core.cost.IdleTracker idle = new io.colabtop.core.cost.IdleTracker(Duration.ofMinutes(30));

    public void setMoney(Fx fx, Duration idleAfter) {
        this.fx = fx;
        this.idle = new io.colabtop.core.cost.IdleTracker(idleAfter);
    }

    /** Adds a host found after start (a discovered VM). */
    public void addHost(String name) {
        hosts.putIfAbsent(name, HostState.pending(name));
        if (selectedHost == null) {
            selectedHost = name;
        }
    }

    /** The VM list of one discovery round, with each VM's cost per hour now (USD). */
    public void applyVms(List<io.colabtop.core.cost.VmInfo> found, Map<String, Money> costs, String note) {
        for (io.colabtop.core.cost.VmInfo v : found) {
            addHost(v.hostName());
            vms.put(v.hostName(), v);
            if (!v.running()) {
                idle.forget(v.hostName());
            }
        }
        costPerHour.putAll(costs);
        discovery = note;
    }

    /** A VM's status as the API last said (or as a running stop/start reports it). */
    public void vmStatus(String host, String status) {
        io.colabtop.core.cost.VmInfo v = vms.get(host);
        if (v != null) {
            vms.put(host, new io.colabtop.core.cost.VmInfo(v.project(), v.name(), v.id(), v.zone(), status, v.machineType(),
                    v.gpus(), v.disks(), v.spot(), v.labels(), v.internalIp(), v.externalIp(), v.lastStart()));
        }
    }

    public io.colabtop.core.cost.VmInfo vm(String host) {
        return vms.get(host);
    }

    /**
     * What a row calls a host: a VM by its name, with its zone (and project) only where another VM
     * has the same name; any other host by the name it was given.
     */
    public String label(String host) {
        io.colabtop.core.cost.VmInfo v = vms.get(host);
        if (v == null) {
            return host;
        }
        boolean sameName = false;
        boolean sameZone = false;
        for (io.colabtop.core.cost.VmInfo o : vms.values()) {
            if (o != v && o.name().equals(v.name())) {
                sameName = true;
                sameZone |= o.zone().equals(v.zone());
            }
        }
        return !sameName ? v.name() : !sameZone ? v.name() + "." + v.zone() : v.hostName();
    }

    public Money costPerHour(String host) {
        return costPerHour.get(host);
    }

    public Money fleetCostPerHour() {
        return costPerHour.values().stream().reduce(Money.ZERO, Money::plus);
    }

    public boolean hasCosts() {
        return !costPerHour.isEmpty();
    }

    /** The currency money is shown in. */
    public Fx fx() {
        return fx;
    }

    public String discovery() {
        return discovery;
    }

    public Duration idleFor(String host, java.time.Instant now) {
        io.colabtop.core.cost.VmInfo v = vms.get(host);
        return v == null || !v.running() ? null : idle.idleFor(host, now);
    }

    public void apply(HostUpdate update) {
        HostUpdate u = update;
        HostState cur = hosts.get(u.host());
        if (cur == null) {
            return;
        }
        if (u.cause() instanceof HostKeyException k && k.kind() == HostKeyException.Kind.UNKNOWN) {
            boolean asked = keyQuestions.stream().anyMatch(q -> q.host().equals(update.host()));
            if (declinedKeys.contains(u.host() + " " + k.fingerprint())) {
                u = HostUpdate.failed(u.host(), "host key " + k.fingerprint() + " not trusted (declined)", k, u.at());
            } else if (!asked) {
                keyQuestions.add(new KeyQuestion(u.host(), k));
            }
        }
        HostState next = u.applyTo(cur);
        hosts.put(u.host(), next);
        if (u.snapshot() != null) {
            int gpu = u.snapshot().gpus().stream().mapToInt(g -> g.utilizationPercent() == null ? 0 : g.utilizationPercent())
                    .max().orElse(-1);
            idle.observe(u.host(), u.snapshot().takenAt(), next.cpuBusyFraction(), gpu);
        }
    }

    /** The host-key question to show now, or null. */
    public KeyQuestion keyQuestion() {
        return keyQuestions.peek();
    }

    /** The user answered the current question; returns it. */
    public KeyQuestion answerKeyQuestion(boolean trust) {
        KeyQuestion q = keyQuestions.poll();
        if (q != null && !trust) {
            declinedKeys.add(q.host() + " " + q.key().fingerprint());
            message = "not trusting the key of " + q.host() + "; it stays down";
        }
        return q;
    }

    /** Hosts in display order. */
    public List<HostState> rows() {
        List<HostState> rows = new ArrayList<>(hosts.values());
        rows.sort(sort.order());
        return rows;
    }

    public HostState host(String name) {
        return hosts.get(name);
    }

    public int size() {
        return hosts.size();
    }

    public Duration interval() {
        return interval;
    }

    public SortMode sort() {
        return sort;
    }

    public void cycleSort() {
        sort = sort.next();
        message = "sorted by " + sort.label();
    }

    public Mode mode() {
        return mode;
    }

    public String selectedHost() {
        return selectedHost;
    }

    public int selectedIndex() {
        return selectedIndex(rows());
    }

    /** The selected host's place in {@code rows} (already in display order: a frame sorts once). */
    public int selectedIndex(List<HostState> rows) {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).name().equals(selectedHost)) {
                return i;
            }
        }
        return 0;
    }

    /** Moves the selection; it follows the host, not the position, when the order changes. */
    public void moveSelection(int delta) {
        if (mode == Mode.DETAIL) {
            HostState h = hosts.get(selectedHost);
            int n = h == null || h.latest() == null ? 0 : h.latest().processes().size();
            detailSelected = Math.max(0, Math.min(n - 1, detailSelected + delta));
            return;
        }
        List<HostState> rows = rows();
        if (rows.isEmpty()) {
            return;
        }
        int i = Math.max(0, Math.min(rows.size() - 1, selectedIndex() + delta));
        selectedHost = rows.get(i).name();
    }

    public int detailSelected() {
        return detailSelected;
    }

    public void openDetail() {
        if (selectedHost != null) {
            mode = Mode.DETAIL;
            detailSelected = 0;
        }
    }

    public void back() {
        mode = mode == Mode.HELP ? beforeHelp : Mode.TABLE;
    }

    public void toggleHelp() {
        if (mode == Mode.HELP) {
            mode = beforeHelp;
        } else {
            beforeHelp = mode;
            mode = Mode.HELP;
        }
    }

    public String message() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }
}
