package io.colabtop.app.serve;

import static org.junit.jupiter.api.Assertions.*;

import io.colabtop.core.CpuTimes;
import io.colabtop.core.Footprint;
import io.colabtop.core.Gpu;
import io.colabtop.core.HostSnapshot;
import io.colabtop.core.HostState;
import io.colabtop.core.MemInfo;
import io.colabtop.core.Pressure;
import io.colabtop.core.ProcessInfo;
import io.colabtop.core.SwapArea;
import io.colabtop.core.cost.Fx;
import io.colabtop.core.cost.Money;
import io.colabtop.core.cost.VmInfo;
import io.colabtop.core.cost.VmShape;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What a scrape shows, built from snapshots by the collector and written by the client library. */
class FleetCollectorTest {
    static final Instant T = Instant.parse("2026-11-23T12:00:00Z");
    static final HostReading.Exposure TOP5 = new HostReading.Exposure(5, true);

    static HostSnapshot snapshot(
            String host, Instant at, MemInfo mem, Pressure psi, List<ProcessInfo> procs, List<Gpu> gpus) {
        return new HostSnapshot(
                host,
                at,
                mem,
                psi,
                List.of(new SwapArea("/swapfile", "file", 8L << 30, 1L << 30, -2)),
                procs,
                gpus,
                List.of(),
                null,
                new CpuTimes(100, 0, 50, 800, 50, 0, 0, 0),
                8,
                "Debian GNU/Linux 12 (bookworm) 6.1.0-18-amd64");
    }

    static MemInfo mem(long seed) {
        return new MemInfo(32L << 30, seed * 1000, seed * 3000, seed * 7, seed * 11, 8L << 30, 7L << 30);
    }

    static List<ProcessInfo> processes(int n) {
        List<ProcessInfo> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // next victim first, as the snapshot keeps them
            out.add(new ProcessInfo(
                    1000 + i,
                    1,
                    "sarah",
                    "python",
                    "python train.py --shard " + i,
                    (n - i) * 1_000_000L,
                    900 - i,
                    0,
                    5,
                    'S'));
        }
        return out;
    }

    static HostState up(HostSnapshot s) {
        return HostState.pending(s.host()).withSnapshot(s);
    }

    static HostReading reading(String host, HostState state, Instant at) {
        return new HostReading(host, state, null, null, Fx.USD, at, TOP5);
    }

    static Exposition scrape(HostReading... hosts) {
        return scrape(null, hosts);
    }

    static Exposition scrape(Footprint own, HostReading... hosts) {
        FleetReading r = new FleetReading(T, List.of(hosts), own);
        return Exposition.of(new FleetCollector(() -> r).collect());
    }

    @Test
    void memoryAndPressureCarryTheSnapshotsFiguresUnderNodeExporterNames() {
        Pressure psiA = new Pressure(1.5, 1, 0.5, 2_500_000, 0.2, 0.1, 0, 750_000);
        HostSnapshot a = snapshot("a", T.minusSeconds(2), mem(3), psiA, processes(2), List.of());
        HostSnapshot b = snapshot("b", T.minusSeconds(1), mem(5), null, processes(2), List.of());
        Exposition e = scrape(reading("a", up(a), T), reading("b", up(b), T));

        for (HostSnapshot s : List.of(a, b)) {
            String h = s.host();
            assertEquals(1.0, e.value("colabtop_up", "host", h));
            assertEquals((double) s.memory().totalBytes(), e.value("colabtop_memory_MemTotal_bytes", "host", h));
            assertEquals(
                    (double) s.memory().availableBytes(), e.value("colabtop_memory_MemAvailable_bytes", "host", h));
            assertEquals((double) s.memory().freeBytes(), e.value("colabtop_memory_MemFree_bytes", "host", h));
            assertEquals((double) s.memory().buffersBytes(), e.value("colabtop_memory_Buffers_bytes", "host", h));
            assertEquals((double) s.memory().cachedBytes(), e.value("colabtop_memory_Cached_bytes", "host", h));
            assertEquals((double) s.memory().swapTotalBytes(), e.value("colabtop_memory_SwapTotal_bytes", "host", h));
            assertEquals((double) s.memory().swapFreeBytes(), e.value("colabtop_memory_SwapFree_bytes", "host", h));
            assertEquals((double) s.cpuCount(), e.value("colabtop_cpus", "host", h));
            assertEquals(1.0, e.value("colabtop_host_info", "host", h, "os", s.kernel()));
            assertEquals(
                    (double) s.swaps().get(0).usedBytes(),
                    e.value("colabtop_swap_used_bytes", "host", h, "path", "/swapfile", "type", "file"));
        }
        assertEquals(2.0, e.value("colabtop_last_poll_age_seconds", "host", "a"));
        // PSI totals are microseconds on the host; counters in seconds here, with _total as Prometheus wants
        assertEquals(
                psiA.someTotalMicros() / 1e6, e.value("colabtop_pressure_memory_waiting_seconds_total", "host", "a"));
        assertEquals(
                psiA.fullTotalMicros() / 1e6, e.value("colabtop_pressure_memory_stalled_seconds_total", "host", "a"));
        assertTrue(e.text.contains("# TYPE colabtop_pressure_memory_waiting_seconds_total counter"), e.text);
        assertTrue(e.text.contains("# TYPE colabtop_memory_MemAvailable_bytes gauge"), e.text);
        // a kernel without PSI: no series for it, not a zero that would read as "no pressure"
        assertNull(e.value("colabtop_pressure_memory_waiting_seconds_total", "host", "b"));
    }

    @Test
    void aHostThatIsDownShowsUpZeroAndTheAgeOfItsLastDataNothingStale() {
        HostSnapshot a = snapshot("a", T.minusSeconds(30), mem(3), null, processes(3), List.of(gpu(0, 40)));
        HostState down = up(a).withFailure("Connection refused", T.minusSeconds(1));
        HostSnapshot b = snapshot("b", T, mem(5), null, processes(3), List.of());
        Exposition e = scrape(reading("a", down, T), reading("b", up(b), T), reading("c", HostState.pending("c"), T));

        assertEquals(0.0, e.value("colabtop_up", "host", "a"));
        assertEquals(30.0, e.value("colabtop_last_poll_age_seconds", "host", "a"));
        assertEquals(
                List.of(
                        Exposition.key("colabtop_last_poll_age_seconds", "host", "a"),
                        Exposition.key("colabtop_up", "host", "a")),
                e.seriesWith("host", "a"),
                "a host that is down shows no figures of its last snapshot");
        assertFalse(e.seriesWith("host", "b").isEmpty());
        assertEquals(List.of(), e.seriesWith("host", "c"), "not polled yet: neither up nor down");
    }

    @Test
    void onlyTheTopProcessesAreExportedTheNextVictimsFirst() {
        List<ProcessInfo> procs = processes(30);
        HostSnapshot a = snapshot("a", T, mem(3), null, procs, List.of());
        Exposition e = scrape(reading("a", up(a), T));
        for (String family : List.of(
                "colabtop_process_resident_memory_bytes",
                "colabtop_process_oom_score",
                "colabtop_process_oom_score_adj",
                "colabtop_process_info")) {
            assertEquals(TOP5.topProcesses(), e.series(family).size(), family);
        }
        for (ProcessInfo p : procs.subList(0, 5)) {
            String pid = Integer.toString(p.pid());
            assertEquals(
                    (double) p.oomScore(),
                    e.value("colabtop_process_oom_score", "host", "a", "pid", pid, "comm", "python"));
            assertEquals(
                    (double) p.rssBytes(),
                    e.value("colabtop_process_resident_memory_bytes", "host", "a", "pid", pid, "comm", "python"));
            assertEquals(
                    1.0,
                    e.value(
                            "colabtop_process_info",
                            "host",
                            "a",
                            "pid",
                            pid,
                            "comm",
                            "python",
                            "user",
                            "sarah",
                            "command",
                            p.exactCommand()));
        }
        assertTrue(e.seriesWith("pid", Integer.toString(procs.get(5).pid())).isEmpty(), "the sixth is not shown");

        FleetReading hidden = new FleetReading(
                T,
                List.of(new HostReading("a", up(a), null, null, Fx.USD, T, new HostReading.Exposure(3, false))),
                null);
        Exposition h = Exposition.of(new FleetCollector(() -> hidden).collect());
        assertEquals(3, h.series("colabtop_process_info").size());
        assertFalse(h.text.contains("train.py"), "--no-command-lines: no command line anywhere\n" + h.text);
    }

    @Test
    void seriesOfWhatWentAwayAreGoneAtTheNextScrape() {
        AtomicReference<FleetReading> now = new AtomicReference<>();
        FleetCollector collector = new FleetCollector(now::get);
        HostSnapshot a1 = snapshot("a", T, mem(3), null, processes(2), List.of(gpu(0, 10), gpu(1, 20)));
        HostSnapshot b = snapshot("b", T, mem(5), null, processes(2), List.of());
        now.set(new FleetReading(T, List.of(reading("a", up(a1), T), reading("b", up(b), T)), null));
        Exposition first = Exposition.of(collector.collect());
        assertNotNull(first.value("colabtop_gpu_utilization_ratio", "host", "a", "gpu", "1"));
        assertFalse(first.seriesWith("pid", "1001").isEmpty());
        assertFalse(first.seriesWith("host", "b").isEmpty());

        // a GPU and a process went away on a; b left the fleet
        List<ProcessInfo> one = processes(2).subList(0, 1);
        HostSnapshot a2 = snapshot("a", T.plusSeconds(2), mem(3), null, one, List.of(gpu(0, 10)));
        now.set(new FleetReading(
                T.plusSeconds(2), List.of(reading("a", up(a1).withSnapshot(a2), T.plusSeconds(2))), null));
        Exposition second = Exposition.of(collector.collect());
        assertNull(second.value("colabtop_gpu_utilization_ratio", "host", "a", "gpu", "1"));
        assertNotNull(second.value("colabtop_gpu_utilization_ratio", "host", "a", "gpu", "0"));
        assertTrue(second.seriesWith("pid", "1001").isEmpty());
        assertTrue(second.seriesWith("host", "b").isEmpty(), second.text);
        // CPU busy between the two snapshots: none moved, so it cannot be told and is not shown
        assertNull(second.value("colabtop_cpu_busy_ratio", "host", "a"));
    }

    @Test
    void hostileTextIsEscapedAndNothingAHostSaysFailsTheScrape() {
        String longCommand = "python " + "x".repeat(5000);
        List<ProcessInfo> procs = List.of(
                new ProcessInfo(
                        66, 1, "ev\"il\\", "\u001b]0;pwned\u0007", "run \u202egnp.exe\nline2", 9, 999, 0, 1, 'R'),
                new ProcessInfo(67, 1, "sarah", "python", longCommand, 9, 998, 0, 1, 'R'));
        // two GPUs that claim one index, and a PSI total below zero
        List<Gpu> gpus = List.of(
                new Gpu(0, "GPU-1", "NVIDIA \u001b[31mL4", 24L << 30, 1L << 30, 23L << 30, 50),
                new Gpu(0, "GPU-2", "NVIDIA L4", 24L << 30, 2L << 30, 22L << 30, 60));
        Pressure negative = new Pressure(0, 0, 0, -5, 0, 0, 0, 10);
        HostSnapshot a = snapshot("a", T, mem(3), negative, procs, gpus);
        HostSnapshot b = snapshot("b", T, mem(5), null, processes(1), List.of());
        Exposition e = scrape(reading("a", up(a), T), reading("b", up(b), T));

        assertFalse(e.text.contains("\u001b"), "no raw escape reaches a label");
        assertFalse(e.text.contains("\u202e"), "no bidi override reaches a label");
        assertEquals(
                1.0,
                e.value(
                        "colabtop_process_info",
                        "host",
                        "a",
                        "pid",
                        "66",
                        "comm",
                        "\\x1b]0;pwned\\x07",
                        "user",
                        "ev\"il\\",
                        "command",
                        "run \\u202egnp.exe\\nline2"));
        String cut = e.series("colabtop_process_info").stream()
                .filter(s -> s.contains("pid=\"67\""))
                .findFirst()
                .orElseThrow();
        assertTrue(cut.length() < HostMetrics.MAX_LABEL + 200, "a command line is cut for a label: " + cut.length());
        // first GPU 0 wins; the scrape goes on
        assertEquals(0.5, e.value("colabtop_gpu_utilization_ratio", "host", "a", "gpu", "0"));
        assertEquals(1, e.series("colabtop_gpu_utilization_ratio").size());
        assertEquals(
                1.0,
                e.value("colabtop_gpu_info", "host", "a", "gpu", "0", "name", "NVIDIA \\x1b[31mL4", "uuid", "GPU-1"));
        // a counter below zero is not believed; the other counter of the host still is
        assertNull(e.value("colabtop_pressure_memory_waiting_seconds_total", "host", "a"));
        assertEquals(1e-5, e.value("colabtop_pressure_memory_stalled_seconds_total", "host", "a"));
        assertEquals(1.0, e.value("colabtop_up", "host", "b"));
    }

    @Test
    void aVmShowsWhereItIsAndWhatItCostsInTheRunsCurrency() {
        VmInfo running = vm("trainer", "RUNNING");
        VmInfo stopped = vm("old-box", "TERMINATED");
        HostSnapshot s = snapshot(running.hostName(), T, mem(3), null, processes(1), List.of());
        Fx yen = new Fx("JPY", 150);
        Exposition e = scrape(
                new HostReading(running.hostName(), up(s), running, Money.usd(2.5), yen, T, TOP5),
                new HostReading(stopped.hostName(), null, stopped, Money.usd(0.1), yen, T, TOP5));
        assertEquals(
                yen.amount(Money.usd(2.5)),
                e.value("colabtop_vm_hourly_cost", "host", running.hostName(), "currency", "JPY"));
        assertEquals(
                yen.amount(Money.usd(0.1)),
                e.value("colabtop_vm_hourly_cost", "host", stopped.hostName(), "currency", "JPY"));
        assertEquals(
                1.0,
                e.value(
                        "colabtop_vm_info",
                        "host",
                        running.hostName(),
                        "vm",
                        "trainer",
                        "project",
                        "ml-project",
                        "zone",
                        "us-central1-a",
                        "machine_type",
                        "n1-standard-8",
                        "status",
                        "RUNNING",
                        "spot",
                        "false",
                        "accelerators",
                        "nvidia-tesla-v100:1"));
        assertEquals(1.0, e.value("colabtop_up", "host", running.hostName()));
        assertNull(e.value("colabtop_up", "host", stopped.hostName()), "a stopped VM is not down: it has no 'up'");
        assertNotNull(e.value(
                "colabtop_vm_info",
                "host",
                stopped.hostName(),
                "vm",
                "old-box",
                "project",
                "ml-project",
                "zone",
                "us-central1-a",
                "machine_type",
                "n1-standard-8",
                "status",
                "TERMINATED",
                "spot",
                "false",
                "accelerators",
                "nvidia-tesla-v100:1"));
    }

    @Test
    void colabtopsOwnFootprintAndBuild() {
        Exposition e = scrape(new Footprint(150L << 20, 42, 12.5));
        assertEquals((double) (150L << 20), e.value("colabtop_self_resident_memory_bytes"));
        assertEquals(42.0, e.value("colabtop_self_threads"));
        assertEquals(0.125, e.value("colabtop_self_cpu_ratio"));
        assertEquals(1, e.series("colabtop_build_info").size());
        Exposition first = scrape(new Footprint(150L << 20, 42, -1));
        assertNull(first.value("colabtop_self_cpu_ratio"), "the first reading has no CPU share yet");
    }

    static io.colabtop.core.oom.OomEvent kill(
            io.colabtop.core.oom.OomEvent.Killer killer, io.colabtop.core.oom.OomEvent.Constraint c) {
        return new io.colabtop.core.oom.OomEvent(
                T.minusSeconds(600), killer, c, "why", null, null, null, null, null, null, null, null, null, null);
    }

    @Test
    void oomKillsByKillerAndWhatRanOutTheKernelCounterAndTheForecast() {
        var K = io.colabtop.core.oom.OomEvent.Killer.KERNEL;
        var D = io.colabtop.core.oom.OomEvent.Killer.SYSTEMD_OOMD;
        io.colabtop.core.oom.OomReport oom = new io.colabtop.core.oom.OomReport(
                7L,
                null,
                "journal",
                null,
                List.of(
                        kill(K, io.colabtop.core.oom.OomEvent.Constraint.HOST),
                        kill(K, io.colabtop.core.oom.OomEvent.Constraint.HOST),
                        kill(K, io.colabtop.core.oom.OomEvent.Constraint.CGROUP_LIMIT),
                        kill(K, null),
                        kill(D, io.colabtop.core.oom.OomEvent.Constraint.PRESSURE)),
                null,
                Map.of());
        // headroom falling 20 MiB/s for two minutes: a forecast of about 8 minutes
        HostState leaking = HostState.pending("leak");
        for (int t = 0; t <= 120; t += 2) {
            long avail = 12L * (1 << 30) - t * 20L * (1 << 20);
            MemInfo m = new MemInfo(32L << 30, avail, avail, 0, 0, 0, 0);
            HostSnapshot s = snapshot("leak", T.minusSeconds(120 - t), m, null, processes(1), List.of());
            leaking = leaking.withSnapshot(new HostSnapshot(
                    s.host(),
                    s.takenAt(),
                    s.memory(),
                    s.pressure(),
                    List.of(),
                    s.processes(),
                    s.gpus(),
                    s.gpuProcesses(),
                    s.gpuError(),
                    s.cpu(),
                    s.cpuCount(),
                    s.kernel(),
                    List.of(),
                    oom));
        }
        HostSnapshot quiet = snapshot("quiet", T, mem(3), null, processes(1), List.of());
        Exposition e = scrape(reading("leak", leaking, T), reading("quiet", up(quiet), T));

        assertEquals(7.0, e.value("colabtop_vmstat_oom_kill", "host", "leak"));
        assertEquals(2.0, e.value("colabtop_oom_kills_total", "host", "leak", "killer", "kernel", "reason", "host"));
        assertEquals(
                1.0, e.value("colabtop_oom_kills_total", "host", "leak", "killer", "kernel", "reason", "cgroup-limit"));
        assertEquals(1.0, e.value("colabtop_oom_kills_total", "host", "leak", "killer", "kernel", "reason", "unknown"));
        assertEquals(
                1.0,
                e.value("colabtop_oom_kills_total", "host", "leak", "killer", "systemd-oomd", "reason", "pressure"));
        assertEquals(
                0.0,
                e.value("colabtop_oom_kills_total", "host", "leak", "killer", "systemd-oomd", "reason", "swap"),
                "a kind not seen yet is there at 0, so its first kill reads as an increase");
        assertTrue(e.text.contains("# TYPE colabtop_oom_kills_total counter"), e.text);
        Long forecast = leaking.forecast().secondsToOom();
        assertNotNull(forecast, leaking.forecast().why());
        assertEquals(forecast.doubleValue(), e.value("colabtop_time_to_oom_seconds", "host", "leak"));
        assertEquals(494.0, forecast, 15.0);
        // no log read, no kernel counter, headroom steady: none of the three, rather than zeros that would lie
        assertNull(e.value("colabtop_vmstat_oom_kill", "host", "quiet"));
        assertNull(e.value("colabtop_oom_kills_total", "host", "quiet", "killer", "kernel", "reason", "host"));
        assertNull(e.value("colabtop_time_to_oom_seconds", "host", "quiet"));
    }

    @Test
    void theCatalogueHasOneEntryPerNameEachWithHelp() {
        Set<String> names = new HashSet<>();
        for (HostMetric m : HostMetrics.ALL) {
            assertTrue(names.add(m.exposedName()), "twice: " + m.exposedName());
            assertTrue(m.name().startsWith("colabtop_"), m.name());
            assertFalse(m.help().isBlank(), m.name());
        }
    }

    static Gpu gpu(int index, int util) {
        return new Gpu(index, "GPU-" + index, "NVIDIA L4", 24L << 30, 1L << 30, 23L << 30, util);
    }

    static VmInfo vm(String name, String status) {
        return new VmInfo(
                "ml-project",
                name,
                42,
                "us-central1-a",
                status,
                "n1-standard-8",
                List.of(new VmShape.GpuCount("nvidia-tesla-v100", 1)),
                List.of(new VmShape.Disk("pd-balanced", 100)),
                false,
                Map.of(),
                "10.0.0.2",
                null,
                T.minus(Duration.ofHours(3)));
    }
}
