package io.colabtop.app.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.colabtop.core.Gpu;
import io.colabtop.core.GpuProcess;
import io.colabtop.core.HostSnapshot;
import io.colabtop.core.HostState;
import io.colabtop.core.MemInfo;
import io.colabtop.core.Pressure;
import io.colabtop.core.ProcessInfo;
import io.colabtop.core.SwapArea;
import io.colabtop.core.oom.OomEvent;
import io.colabtop.core.oom.OomForecast;
import io.colabtop.core.oom.OomReport;
import io.colabtop.core.oom.OomdCoverage;
import io.colabtop.core.oom.OomdState;
import java.util.List;

/**
 * The JSON of {@code colabtop status --json}. Field names are a contract with scripts:
 * add fields freely, never rename or drop one. Text a host chose (command lines, paths, names)
 * is written exactly as the host has it: JSON escapes control characters ({@code \u001b}), so it
 * stays inert on a terminal and exact for a script.
 */
public final class SnapshotJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SnapshotJson() {}

    public static String write(List<HostState> hosts) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode arr = root.putArray("hosts");
        for (HostState h : hosts) {
            arr.add(host(h));
        }
        try {
            return SafeJson.PRETTY.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode host(HostState h) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("name", h.name());
        n.put("reachable", h.reachable());
        if (h.error() == null) {
            n.putNull("error");
        } else {
            n.put("error", h.error());
        }
        HostSnapshot s = h.reachable() ? h.latest() : null;
        if (s == null) {
            n.putNull("memory");
            n.putNull("pressure");
            n.putArray("swaps");
            n.putArray("processes");
            n.putArray("gpus");
            n.putNull("oom");
            return n;
        }
        n.put("takenAt", s.takenAt().toString());
        if (s.kernel() != null) {
            n.put("kernel", s.kernel());
        }
        n.put("cpuCount", s.cpuCount());
        MemInfo m = s.memory();
        ObjectNode mem = n.putObject("memory");
        mem.put("totalBytes", m.totalBytes());
        mem.put("availableBytes", m.availableBytes());
        mem.put("usedBytes", m.usedBytes());
        mem.put("freeBytes", m.freeBytes());
        mem.put("swapTotalBytes", m.swapTotalBytes());
        mem.put("swapFreeBytes", m.swapFreeBytes());
        mem.put("swapUsedBytes", m.swapUsedBytes());
        Pressure p = s.pressure();
        if (p == null) {
            n.putNull("pressure");
        } else {
            ObjectNode pn = n.putObject("pressure");
            pn.put("someAvg10", p.someAvg10());
            pn.put("someAvg60", p.someAvg60());
            pn.put("someAvg300", p.someAvg300());
            pn.put("fullAvg10", p.fullAvg10());
            pn.put("fullAvg60", p.fullAvg60());
            pn.put("fullAvg300", p.fullAvg300());
        }
        ArrayNode swaps = n.putArray("swaps");
        for (SwapArea a : s.swaps()) {
            ObjectNode sn = swaps.addObject();
            sn.put("path", a.path().exact());
            sn.put("type", a.type().exact());
            sn.put("sizeBytes", a.sizeBytes());
            sn.put("usedBytes", a.usedBytes());
            sn.put("priority", a.priority());
        }
        ArrayNode procs = n.putArray("processes");
        for (ProcessInfo pi : s.processes()) {
            ObjectNode pn = procs.addObject();
            pn.put("pid", pi.pid());
            pn.put("ppid", pi.ppid());
            pn.put("user", pi.user().exact());
            pn.put("command", pi.exactCommand());
            if (pi.command().cut()) {
                pn.put("commandCut", true);
            }
            pn.put("comm", pi.comm().exact());
            pn.put("rssBytes", pi.rssBytes());
            pn.put("oomScore", pi.oomScore());
            pn.put("oomScoreAdj", pi.oomScoreAdj());
            pn.put("startTimeTicks", pi.startTimeTicks());
            pn.put("state", String.valueOf(pi.state()));
            processOom(pn, s, pi);
        }
        ArrayNode gpus = n.putArray("gpus");
        for (Gpu g : s.gpus()) {
            ObjectNode gn = gpus.addObject();
            gn.put("index", g.index());
            gn.put("uuid", g.uuid().exact());
            gn.put("name", g.name().exact());
            putNullable(gn, "memoryUsedBytes", g.memoryUsedBytes());
            putNullable(gn, "memoryTotalBytes", g.memoryTotalBytes());
            putNullable(gn, "memoryFreeBytes", g.memoryFreeBytes());
            if (g.utilizationPercent() == null) {
                gn.putNull("utilizationPercent");
            } else {
                gn.put("utilizationPercent", g.utilizationPercent());
            }
        }
        ArrayNode apps = n.putArray("gpuProcesses");
        for (GpuProcess a : s.gpuProcesses()) {
            ObjectNode an = apps.addObject();
            an.put("gpuUuid", a.gpuUuid().exact());
            an.put("pid", a.pid());
            an.put("processName", a.processName().exact());
            putNullable(an, "usedMemoryBytes", a.usedMemoryBytes());
        }
        if (s.gpuError() != null) {
            n.put("gpuError", s.gpuError());
        }
        ArrayNode mounts = n.putArray("mounts");
        for (io.colabtop.core.MountEntry fm : s.mounts()) {
            mounts.addObject()
                    .put("device", fm.device().exact())
                    .put("mountPoint", fm.mountPoint().exact())
                    .put("type", fm.type().exact());
        }
        n.set("oom", oom(s.oom(), h));
        return n;
    }

    /**
     * {@code "oom"}: the kill counter and boot id of every tick, the kills in the host's log and
     * where it was read, systemd-oomd's state and the time-to-OOM forecast:
     * <pre>
     * "oom":{"killsSinceBoot":3,"bootId":"…","source":"journal|kern.log|dmesg|none","sourceNote":…,
     *        "events":[{"time","killer":"kernel|systemd-oomd","reason","pid","command","rssBytes",
     *                   "oomScoreAdj","cgroup",…}],"oomd":{…}|null,"forecast":{…}}
     * </pre>
     * Host text (commands, cgroups, units) is exact.
     */
    static ObjectNode oom(OomReport r, HostState h) {
        ObjectNode o = MAPPER.createObjectNode();
        putNullable(o, "killsSinceBoot", r.killsSinceBoot());
        putNullableText(o, "bootId", r.bootId());
        putNullableText(o, "source", r.source());
        putNullableText(o, "sourceNote", r.sourceNote());
        ArrayNode events = o.putArray("events");
        for (OomEvent e : r.events()) {
            ObjectNode en = events.addObject();
            putNullableText(en, "time", e.time() == null ? null : e.time().toString());
            en.put("killer", e.killer().label());
            en.put("constraint", e.constraint().label());
            en.put("reason", e.reason());
            if (e.pid() == null) {
                en.putNull("pid");
            } else {
                en.put("pid", e.pid());
            }
            en.put("command", e.command().exact());
            putNullable(en, "rssBytes", e.rssBytes());
            if (e.oomScoreAdj() == null) {
                en.putNull("oomScoreAdj");
            } else {
                en.put("oomScoreAdj", e.oomScoreAdj());
            }
            if (e.uid() == null) {
                en.putNull("uid");
            } else {
                en.put("uid", e.uid());
            }
            putNullableText(
                    en, "cgroup", e.cgroup().isEmpty() ? null : e.cgroup().exact());
            putNullableText(
                    en,
                    "limitCgroup",
                    e.limitCgroup() == null ? null : e.limitCgroup().exact());
            ArrayNode units = en.putArray("units");
            e.units().forEach(u -> units.add(u.exact()));
            ArrayNode failed = en.putArray("unitsFailed");
            e.unitsFailed().forEach(u -> failed.add(u.exact()));
            if (e.processesKilled() == null) {
                en.putNull("processesKilled");
            } else {
                en.put("processesKilled", e.processesKilled());
            }
        }
        OomdState d = r.oomd();
        if (d == null) {
            o.putNull("oomd");
        } else {
            ObjectNode dn = o.putObject("oomd");
            dn.put("state", d.status().label());
            putNullableDouble(dn, "swapUsedLimitPercent", d.swapUsedLimitPercent());
            putNullableDouble(dn, "defaultPressureLimitPercent", d.defaultPressureLimitPercent());
            putNullable(
                    dn,
                    "defaultPressureDurationSeconds",
                    d.defaultPressureDuration() == null
                            ? null
                            : d.defaultPressureDuration().toSeconds());
            ArrayNode swap = dn.putArray("swapMonitored");
            d.swapMonitored().forEach(x -> swap.add(x.exact()));
            ArrayNode pressure = dn.putArray("pressureMonitored");
            for (OomdState.Monitored m : d.pressureMonitored()) {
                pressure.addObject()
                        .put("cgroup", m.path().exact())
                        .put("limitPercent", m.limitPercent())
                        .put("durationSeconds", d.durationOf(m).toSeconds())
                        .put("fullAvg10", m.fullAvg10())
                        .put("fullAvg60", m.fullAvg60())
                        .put("fullAvg300", m.fullAvg300());
            }
            putNullableText(dn, "error", d.error());
        }
        OomForecast f = h.forecast();
        ObjectNode fn = o.putObject("forecast");
        fn.put("state", f.state().label());
        putNullable(fn, "secondsToOom", f.secondsToOom());
        putNullable(fn, "headroomBytes", f.headroomBytes() < 0 ? null : f.headroomBytes());
        fn.put("slopeBytesPerSecond", Math.round(f.slopeBytesPerSecond()));
        fn.put("samples", f.samples());
        fn.put("windowSeconds", f.span().toSeconds());
        fn.put("why", f.why());
        return o;
    }

    /** A process's cgroup and which systemd-oomd rule can kill it ({@code null} where not known). */
    private static void processOom(ObjectNode pn, HostSnapshot s, ProcessInfo pi) {
        io.colabtop.core.HostText cg = s.oom().cgroups().get(pi.pid());
        putNullableText(pn, "cgroup", cg == null ? null : cg.exact());
        OomdCoverage c = s.oom().coverage(pi.pid(), s.memory());
        if (c.rule() == OomdCoverage.Rule.UNKNOWN) {
            pn.putNull("oomd");
            return;
        }
        ObjectNode on = pn.putObject("oomd");
        on.put("rule", c.rule().label());
        putNullableText(
                on,
                "monitoredCgroup",
                c.monitored() == null ? null : c.monitored().exact());
        putNullableDouble(on, "fullAvg10", c.fullAvg10());
        putNullableDouble(on, "limitPercent", c.limitPercent());
        on.put("words", c.words());
    }

    private static void putNullableText(ObjectNode n, String key, String v) {
        if (v == null) {
            n.putNull(key);
        } else {
            n.put(key, v);
        }
    }

    private static void putNullableDouble(ObjectNode n, String key, Double v) {
        if (v == null) {
            n.putNull(key);
        } else {
            n.put(key, v);
        }
    }

    private static void putNullable(ObjectNode n, String key, Long v) {
        if (v == null) {
            n.putNull(key);
        } else {
            n.put(key, v);
        }
    }
}
