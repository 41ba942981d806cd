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
        return n;
    }

    private static void putNullable(ObjectNode n, String key, Long v) {
        if (v == null) {
            n.putNull(key);
        } else {
            n.put(key, v);
        }
    }
}
