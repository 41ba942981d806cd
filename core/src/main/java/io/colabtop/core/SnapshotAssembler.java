package io.colabtop.core;

import io.colabtop.core.oom.OomReport;
import io.colabtop.core.oom.OomdState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Turns the raw texts of one tick into a {@link HostSnapshot}; the one path for local and remote hosts. */
public final class SnapshotAssembler {
    /** Next OOM victim first; among equal scores the larger process, as the kernel's badness does. */
    public static final Comparator<ProcessInfo> OOM_ORDER = Comparator.comparingInt(ProcessInfo::oomScore)
            .reversed()
            .thenComparing(Comparator.comparingLong(ProcessInfo::rssBytes).reversed())
            .thenComparingInt(ProcessInfo::pid);

    private static final java.util.regex.Pattern UPTIME =
            java.util.regex.Pattern.compile("\\s*([0-9]{1,12}(?:\\.[0-9]{1,9})?)(?:\\s|$)");

    private SnapshotAssembler() {}

    public static HostSnapshot assemble(String host, Instant takenAt, RawProbe raw) {
        return assemble(host, takenAt, raw, null);
    }

    /**
     * @param previous the host's snapshot before this one, or null: the kill log and oomd's state
     *                 are read only now and then, and carried from it until they are read again
     */
    public static HostSnapshot assemble(String host, Instant takenAt, RawProbe raw, HostSnapshot previous) {
        return assemble(host, takenAt, raw, previous, UserNames.parse(raw.passwd()));
    }

    /**
     * @param users the uid names of {@code raw.passwd()}, parsed once per text by the caller
     *              ({@link UserNames#parse(String, UserNames)})
     */
    public static HostSnapshot assemble(
            String host, Instant takenAt, RawProbe raw, HostSnapshot previous, UserNames users) {
        MemInfo mem = MemInfo.parse(raw.meminfo());
        List<SwapArea> swaps = raw.swaps() == null ? List.of() : SwapArea.parseAll(raw.swaps());
        Pressure pressure = Pressure.parseOrNull(raw.pressure());
        CpuTimes cpu = null;
        int cpus = 0;
        if (raw.procStat() != null && !raw.procStat().isBlank()) {
            cpu = CpuTimes.parse(raw.procStat());
            cpus = CpuTimes.countCpus(raw.procStat());
        }
        List<ProcessInfo> procs = new ArrayList<>();
        for (RawProcess p : raw.processes()) {
            ProcessInfo info = process(p, users);
            if (info != null) {
                procs.add(info);
            }
        }
        procs.sort(OOM_ORDER);
        List<Gpu> gpus = NvidiaSmi.parseGpus(raw.gpuCsv());
        List<GpuProcess> apps = NvidiaSmi.parseComputeApps(raw.gpuAppsCsv());
        return new HostSnapshot(
                host,
                takenAt,
                mem,
                pressure,
                swaps,
                procs,
                gpus,
                apps,
                raw.gpuError(),
                cpu,
                cpus,
                raw.kernel(),
                MountEntry.parseFuse(raw.mounts()),
                oom(raw, previous == null ? null : previous.oom()),
                uptime(raw.uptime()));
    }

    /**
     * Seconds since boot, the first figure of /proc/uptime: "350735.47 234388.90"; null when
     * missing or not a number (the host's text is not trusted to be either).
     */
    static java.time.Duration uptime(String text) {
        if (text == null) {
            return null;
        }
        java.util.regex.Matcher m = UPTIME.matcher(text);
        if (!m.lookingAt()) {
            return null;
        }
        return java.time.Duration.ofMillis(Math.round(Double.parseDouble(m.group(1)) * 1000));
    }

    /** The tick's OOM report: counter and cgroups now, the log and oomd's state as last read. */
    static OomReport oom(RawProbe raw, OomReport previous) {
        OomReport.History h = OomReport.history(raw.oomSources(), raw.oomLog());
        OomReport now = new OomReport(
                OomReport.oomKillCounter(raw.vmstat()),
                raw.bootId(),
                h == null ? null : h.source(),
                h == null ? null : h.note(),
                h == null ? List.of() : h.events(),
                OomdState.parse(raw.oomd()),
                OomReport.cgroups(raw.cgroups()));
        return now.carryFrom(previous);
    }

    /** Null when the process vanished between reads (any text missing or truncated). */
    static ProcessInfo process(RawProcess p, UserNames users) {
        if (isBlank(p.stat()) || isBlank(p.status()) || isBlank(p.oomScore()) || isBlank(p.oomScoreAdj())) {
            return null;
        }
        try {
            ProcStat stat = ProcStat.parse(p.stat());
            ProcStatus status = ProcStatus.parse(p.status());
            if (status.uid() < 0) {
                return null;
            }
            String command = p.cmdline() == null ? "" : Cmdline.display(p.cmdline());
            return new ProcessInfo(
                    stat.pid(),
                    stat.ppid(),
                    HostText.of(users.nameOf(status.uid()), 256),
                    HostText.of(stat.comm(), ProcessInfo.MAX_COMM),
                    HostText.of(command),
                    status.vmRssBytes(),
                    Integer.parseInt(p.oomScore().strip()),
                    Integer.parseInt(p.oomScoreAdj().strip()),
                    stat.startTimeTicks(),
                    stat.state());
        } catch (ParseException | NumberFormatException e) {
            return null; // truncated mid-exit; the next tick will not see it either
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
