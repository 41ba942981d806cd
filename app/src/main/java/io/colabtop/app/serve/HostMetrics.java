package io.colabtop.app.serve;

import io.colabtop.app.serve.HostMetric.Kind;
import io.colabtop.core.Gpu;
import io.colabtop.core.HostSnapshot;
import io.colabtop.core.HostState;
import io.colabtop.core.HostText;
import io.colabtop.core.ProcessInfo;
import io.colabtop.core.SafeText;
import io.colabtop.core.SwapArea;
import io.colabtop.core.cost.VmInfo;
import io.colabtop.core.oom.OomEvent;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every metric {@code colabtop serve} exports per host, one entry each. Names follow Prometheus'
 * naming practice and mirror node_exporter where the meaning is the same
 * ({@code node_memory_MemAvailable_bytes} is {@code colabtop_memory_MemAvailable_bytes}), with a
 * {@code host} label on every series.
 *
 * <p><b>To export a new snapshot field, add one line here</b>: {@link #gauge} or {@link #counter}
 * for one value per host (return null when the host does not have it), {@link #family} for several
 * series per host with labels of their own. A host that is down shows only {@code colabtop_up} and
 * {@code colabtop_last_poll_age_seconds}: the snapshot readers never see stale figures. The OOM
 * figures: {@code colabtop_vmstat_oom_kill} (a gauge of /proc/vmstat's oom_kill, as node_exporter's
 * {@code node_vmstat_oom_kill}), {@code colabtop_oom_kills_total{killer,reason}} (the kills in the
 * host's log, by killer and what ran out) and {@code colabtop_time_to_oom_seconds} (the forecast);
 * the shipped alert rules use them.
 */
public final class HostMetrics {
    /** Longest label value taken from host text: a process's command line, a swap file's path. */
    static final int MAX_LABEL = 256;

    private HostMetrics() {}

    public static final List<HostMetric> ALL = List.of(
            fromState(
                    "colabtop_up",
                    "1 when colabtop's latest poll of the host succeeded, 0 when it failed (the reason is in colabtop's"
                            + " log); absent before the first poll",
                    null,
                    HostMetrics::up),
            fromState(
                    "colabtop_last_poll_age_seconds",
                    "Seconds since the newest good snapshot of the host was taken",
                    Unit.SECONDS,
                    HostMetrics::age),
            gauge(
                    "colabtop_memory_MemTotal_bytes",
                    "MemTotal of /proc/meminfo",
                    Unit.BYTES,
                    s -> s.memory().totalBytes()),
            gauge(
                    "colabtop_memory_MemFree_bytes",
                    "MemFree of /proc/meminfo",
                    Unit.BYTES,
                    s -> s.memory().freeBytes()),
            gauge(
                    "colabtop_memory_MemAvailable_bytes",
                    "MemAvailable of /proc/meminfo: memory for new work without swapping (before Linux 3.14:"
                            + " free + buffers + cached)",
                    Unit.BYTES,
                    s -> s.memory().availableBytes()),
            gauge(
                    "colabtop_memory_Buffers_bytes",
                    "Buffers of /proc/meminfo",
                    Unit.BYTES,
                    s -> s.memory().buffersBytes()),
            gauge(
                    "colabtop_memory_Cached_bytes",
                    "Cached of /proc/meminfo",
                    Unit.BYTES,
                    s -> s.memory().cachedBytes()),
            gauge(
                    "colabtop_memory_SwapTotal_bytes",
                    "SwapTotal of /proc/meminfo",
                    Unit.BYTES,
                    s -> s.memory().swapTotalBytes()),
            gauge(
                    "colabtop_memory_SwapFree_bytes",
                    "SwapFree of /proc/meminfo",
                    Unit.BYTES,
                    s -> s.memory().swapFreeBytes()),
            counter(
                    "colabtop_pressure_memory_waiting_seconds",
                    "Time at least one task stalled on memory: the total of the 'some' line of"
                            + " /proc/pressure/memory (PSI)",
                    Unit.SECONDS,
                    s -> s.pressure() == null ? null : s.pressure().someTotalMicros() / 1e6),
            counter(
                    "colabtop_pressure_memory_stalled_seconds",
                    "Time all non-idle tasks stalled on memory at once: the total of the 'full' line of"
                            + " /proc/pressure/memory (PSI), what systemd-oomd acts on",
                    Unit.SECONDS,
                    s -> s.pressure() == null ? null : s.pressure().fullTotalMicros() / 1e6),
            gauge("colabtop_cpus", "Online logical CPUs of the host", null, HostSnapshot::cpuCount),
            gauge(
                    "colabtop_vmstat_oom_kill",
                    "oom_kill of /proc/vmstat: the kernel's OOM kills since boot, cgroup limits included (kernel"
                            + " 4.13+); systemd-oomd's kills are not in it",
                    null,
                    s -> s.oom().killsSinceBoot()),
            family(
                    Kind.COUNTER,
                    "colabtop_oom_kills",
                    "Kills in the host's log (journal, kern.log or dmesg; the newest 400 lines) by killer and by"
                            + " what ran out (host, cgroup-limit, nodes, unknown for the kernel; pressure, swap for"
                            + " systemd-oomd); absent when no log is readable. Falls when the log rotates, which"
                            + " Prometheus takes as a reset",
                    null,
                    List.of("killer", "reason"),
                    HostMetrics::oomKills),
            fromState(
                    "colabtop_time_to_oom_seconds",
                    "Forecast seconds until MemAvailable + SwapFree run out, from their trend over the last"
                            + " minutes; absent when they are not falling steadily",
                    Unit.SECONDS,
                    HostMetrics::timeToOom),
            fromState(
                    "colabtop_cpu_busy_ratio",
                    "Busy share of all the host's CPUs between its last two polls (0 to 1)",
                    Unit.RATIO,
                    HostMetrics::cpuBusy),
            family(
                    Kind.INFO,
                    "colabtop_host",
                    "The host's system: PRETTY_NAME of /etc/os-release and the kernel release",
                    null,
                    List.of("os"),
                    (r, out) -> {
                        HostSnapshot s = r.up();
                        if (s != null && s.kernel() != null) {
                            out.add(1, label(s.kernel()));
                        }
                    }),
            family(
                    Kind.GAUGE,
                    "colabtop_swap_size_bytes",
                    "Size of each active swap area of /proc/swaps",
                    Unit.BYTES,
                    List.of("path", "type"),
                    (r, out) -> swaps(r, out, SwapArea::sizeBytes)),
            family(
                    Kind.GAUGE,
                    "colabtop_swap_used_bytes",
                    "Use of each active swap area of /proc/swaps",
                    Unit.BYTES,
                    List.of("path", "type"),
                    (r, out) -> swaps(r, out, SwapArea::usedBytes)),
            family(
                    Kind.GAUGE,
                    "colabtop_gpu_memory_total_bytes",
                    "Memory of each GPU (nvidia-smi memory.total)",
                    Unit.BYTES,
                    List.of("gpu"),
                    (r, out) -> gpus(r, out, Gpu::memoryTotalBytes)),
            family(
                    Kind.GAUGE,
                    "colabtop_gpu_memory_used_bytes",
                    "Memory in use on each GPU (nvidia-smi memory.used)",
                    Unit.BYTES,
                    List.of("gpu"),
                    (r, out) -> gpus(r, out, Gpu::memoryUsedBytes)),
            family(
                    Kind.GAUGE,
                    "colabtop_gpu_utilization_ratio",
                    "Share of time each GPU ran a kernel over nvidia-smi's sample period (utilization.gpu, 0 to 1)",
                    Unit.RATIO,
                    List.of("gpu"),
                    (r, out) ->
                            gpus(r, out, g -> g.utilizationPercent() == null ? null : g.utilizationPercent() / 100.0)),
            family(
                    Kind.INFO,
                    "colabtop_gpu",
                    "Each GPU's model and UUID, as nvidia-smi names them",
                    null,
                    List.of("gpu", "name", "uuid"),
                    (r, out) -> {
                        HostSnapshot s = r.up();
                        if (s != null) {
                            s.gpus()
                                    .forEach(g ->
                                            out.add(1, Integer.toString(g.index()), label(g.name()), label(g.uuid())));
                        }
                    }),
            family(
                    Kind.GAUGE,
                    "colabtop_process_resident_memory_bytes",
                    "Resident memory of the host's likeliest OOM victims (the top processes by oom_score, --top of"
                            + " them)",
                    Unit.BYTES,
                    List.of("pid", "comm"),
                    (r, out) -> processes(r, out, ProcessInfo::rssBytes)),
            family(
                    Kind.GAUGE,
                    "colabtop_process_oom_score",
                    "oom_score of the host's top processes: the highest is what the kernel's OOM killer takes next",
                    null,
                    List.of("pid", "comm"),
                    (r, out) -> processes(r, out, ProcessInfo::oomScore)),
            family(
                    Kind.GAUGE,
                    "colabtop_process_oom_score_adj",
                    "oom_score_adj of the host's top processes (-1000: never killed)",
                    null,
                    List.of("pid", "comm"),
                    (r, out) -> processes(r, out, ProcessInfo::oomScoreAdj)),
            family(
                    Kind.INFO,
                    "colabtop_process",
                    "User and command line of the host's top processes (first 256 characters; none with"
                            + " --no-command-lines)",
                    null,
                    List.of("pid", "comm", "user", "command"),
                    (r, out) -> r.topProcesses()
                            .forEach(p -> out.add(
                                    1,
                                    Integer.toString(p.pid()),
                                    label(p.comm()),
                                    label(p.user()),
                                    r.exposure().commandLines() ? label(p.displayCommand()) : ""))),
            family(
                    Kind.INFO,
                    "colabtop_vm",
                    "A GCE VM found by discovery (--project): where it is, its shape and its status",
                    null,
                    List.of("vm", "project", "zone", "machine_type", "status", "spot", "accelerators"),
                    (r, out) -> {
                        VmInfo v = r.vm();
                        if (v != null) {
                            out.add(
                                    1,
                                    label(v.name()),
                                    label(v.project()),
                                    label(v.zone()),
                                    label(v.machineType()),
                                    label(v.status()),
                                    Boolean.toString(v.spot()),
                                    label(v.gpus().stream()
                                            .map(g -> g.type() + ":" + g.count())
                                            .collect(Collectors.joining(","))));
                        }
                    }),
            family(
                    Kind.GAUGE,
                    "colabtop_vm_hourly_cost",
                    "What the VM bills per hour now at list price (a stopped VM: its disks), in the currency of"
                            + " the currency label (--currency, --fx)",
                    null,
                    List.of("currency"),
                    (r, out) -> {
                        if (r.vm() != null && r.costPerHour() != null) {
                            out.add(r.fx().amount(r.costPerHour()), r.fx().currency());
                        }
                    }));

    /** One value per host from its latest good snapshot; {@code read} returns null when the host has none. */
    static HostMetric gauge(String name, String help, Unit unit, Function<HostSnapshot, Number> read) {
        return family(Kind.GAUGE, name, help, unit, List.of(), fromSnapshot(read));
    }

    /** A counter (a total that only grows, {@code _total} appended) from the latest good snapshot. */
    static HostMetric counter(String name, String help, Unit unit, Function<HostSnapshot, Number> read) {
        return family(Kind.COUNTER, name, help, unit, List.of(), fromSnapshot(read));
    }

    /** Several series per host, each with its own labels besides {@code host}. */
    static HostMetric family(
            Kind kind, String name, String help, Unit unit, List<String> labels, HostMetric.Reader read) {
        return new HostMetric(name, help, kind, unit, labels, read);
    }

    /** One gauge per host from the poller's state (up, age): shown for a host that is down too. */
    static HostMetric fromState(String name, String help, Unit unit, Function<HostReading, Number> read) {
        return family(Kind.GAUGE, name, help, unit, List.of(), (r, out) -> {
            Number v = read.apply(r);
            if (v != null) {
                out.add(v.doubleValue());
            }
        });
    }

    private static HostMetric.Reader fromSnapshot(Function<HostSnapshot, Number> read) {
        return (r, out) -> {
            HostSnapshot s = r.up();
            Number v = s == null ? null : read.apply(s);
            if (v != null) {
                out.add(v.doubleValue());
            }
        };
    }

    private static Number up(HostReading r) {
        HostState s = r.state();
        return s == null || s.pending() ? null : s.reachable() ? 1 : 0;
    }

    private static Number age(HostReading r) {
        HostState s = r.state();
        Duration d = s == null ? null : s.staleness(r.at());
        return d == null ? null : Math.max(0, d.toMillis() / 1000.0);
    }

    /**
     * Every (killer, reason) a host can log, at 0 until it does: a kill then shows as an increase
     * (a series born at 1 would not, as {@code increase()} needs a sample before).
     */
    private static final List<List<String>> KILL_KINDS = List.of(
            List.of(OomEvent.Killer.KERNEL.label(), OomEvent.Constraint.HOST.label()),
            List.of(OomEvent.Killer.KERNEL.label(), OomEvent.Constraint.CGROUP_LIMIT.label()),
            List.of(OomEvent.Killer.KERNEL.label(), OomEvent.Constraint.NODES.label()),
            List.of(OomEvent.Killer.KERNEL.label(), OomEvent.Constraint.UNKNOWN.label()),
            List.of(OomEvent.Killer.SYSTEMD_OOMD.label(), OomEvent.Constraint.PRESSURE.label()),
            List.of(OomEvent.Killer.SYSTEMD_OOMD.label(), OomEvent.Constraint.SWAP.label()));

    private static void oomKills(HostReading r, HostMetric.Series out) {
        HostSnapshot s = r.up();
        if (s == null || s.oom().source() == null || s.oom().source().equals("none")) {
            return; // not read yet, or unreadable: unknown, not zero
        }
        Map<List<String>, Integer> counts = new LinkedHashMap<>();
        KILL_KINDS.forEach(k -> counts.put(k, 0));
        for (OomEvent e : s.oom().events()) {
            if (e.killer() == null) {
                continue;
            }
            OomEvent.Constraint c = e.constraint() == null ? OomEvent.Constraint.UNKNOWN : e.constraint();
            counts.merge(List.of(e.killer().label(), c.label()), 1, Integer::sum);
        }
        counts.forEach((k, n) -> out.add(n, k.get(0), k.get(1)));
    }

    private static Number timeToOom(HostReading r) {
        if (r.up() == null) {
            return null;
        }
        return r.state().forecast().secondsToOom();
    }

    private static Number cpuBusy(HostReading r) {
        if (r.up() == null) {
            return null;
        }
        double busy = r.state().cpuBusyFraction();
        return busy < 0 ? null : busy;
    }

    private static void swaps(HostReading r, HostMetric.Series out, Function<SwapArea, Number> read) {
        HostSnapshot s = r.up();
        if (s != null) {
            s.swaps().forEach(a -> out.add(read.apply(a).doubleValue(), label(a.path()), label(a.type())));
        }
    }

    private static void gpus(HostReading r, HostMetric.Series out, Function<Gpu, Number> read) {
        HostSnapshot s = r.up();
        if (s != null) {
            for (Gpu g : s.gpus()) {
                Number v = read.apply(g); // null: nvidia-smi said [N/A]
                if (v != null) {
                    out.add(v.doubleValue(), Integer.toString(g.index()));
                }
            }
        }
    }

    private static void processes(HostReading r, HostMetric.Series out, Function<ProcessInfo, Number> read) {
        r.topProcesses().forEach(p -> out.add(read.apply(p).doubleValue(), Integer.toString(p.pid()), label(p.comm())));
    }

    /** Host text as a label value: its safe form (controls and bidi characters escaped), cut. */
    static String label(HostText t) {
        return SafeText.clip(t.shown(), MAX_LABEL);
    }

    /** Text from an API or a host that is a plain string: made safe and cut, as host text. */
    static String label(String s) {
        return s == null ? "" : SafeText.clip(s, MAX_LABEL);
    }
}
