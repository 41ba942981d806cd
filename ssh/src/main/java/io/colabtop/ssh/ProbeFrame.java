package io.colabtop.ssh;

import io.colabtop.core.Cmdline;
import io.colabtop.core.ParseException;
import io.colabtop.core.RawProbe;
import io.colabtop.core.RawProcess;
import java.util.ArrayList;
import java.util.List;

/**
 * One frame of the remote probe, split into the raw texts the core parsers take. A frame reads:
 * <pre>
 * @@ct:begin 7
 * @@ct:meminfo
 * MemTotal:       24683656 kB
 * ...
 * @@ct:proc 1234
 * @@ct:p.stat
 * 1234 (python) S 1 ...
 * @@ct:p.cmdline
 *  70 79 74 68 6f 6e 00
 * @@ct:end 7
 * </pre>
 */
public final class ProbeFrame {
    static final String MARK = "@@ct:";

    private ProbeFrame() {
    }

    /**
     * @param lines        the frame's lines, begin and end markers included
     * @param cachedPasswd /etc/passwd from an earlier frame, used when this one carries none
     */
    public static RawProbe parse(List<String> lines, String cachedPasswd) {
        if (lines.isEmpty() || !lines.get(0).startsWith(MARK + "begin ")) {
            throw new ParseException("probe frame does not start with a begin marker");
        }
        if (!lines.get(lines.size() - 1).startsWith(MARK + "end ")) {
            throw new ParseException("probe frame is truncated (no end marker)");
        }
        String meminfo = null;
        String swaps = null;
        String pressure = null;
        String stat = null;
        String passwd = cachedPasswd;
        String kernel = null;
        String gpu = null;
        String gpuApps = null;
        String gpuError = null;
        List<RawProcess> procs = new ArrayList<>();
        ProcBuilder proc = null;
        String section = null;
        StringBuilder body = new StringBuilder();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.startsWith(MARK)) {
                body.append(line).append('\n');
                continue;
            }
            // a marker ends the current section
            String text = body.toString();
            body.setLength(0);
            if (section != null) {
                switch (section) {
                    case "kernel" -> kernel = unquote(text.strip());
                    case "meminfo" -> meminfo = text;
                    case "swaps" -> swaps = text;
                    case "pressure" -> pressure = text;
                    case "stat" -> stat = text;
                    case "passwd" -> passwd = text;
                    case "gpu" -> gpu = text;
                    case "gpuapps" -> gpuApps = text;
                    case "p.stat" -> proc.stat = text;
                    case "p.status" -> proc.status = text;
                    case "p.oom_score" -> proc.oomScore = text;
                    case "p.oom_score_adj" -> proc.oomScoreAdj = text;
                    case "p.cmdline" -> proc.cmdline = Cmdline.fromHex(text);
                    default -> {
                        // a section from a newer probe: ignore
                    }
                }
            }
            String marker = line.substring(MARK.length());
            String name = marker.contains(" ") ? marker.substring(0, marker.indexOf(' ')) : marker;
            String arg = marker.contains(" ") ? marker.substring(marker.indexOf(' ') + 1) : "";
            section = name;
            if (name.equals("proc")) {
                if (proc != null) {
                    procs.add(proc.build());
                }
                proc = new ProcBuilder(parsePid(arg));
                section = null;
            } else if (name.startsWith("p.") && proc == null) {
                throw new ParseException("process section before any @@ct:proc");
            } else if (name.equals("gpu-rc")) {
                section = null;
                if (!arg.strip().equals("0")) {
                    gpuError = gpu == null || gpu.isBlank() ? "nvidia-smi exited with " + arg.strip() : gpu.strip();
                    gpu = null;
                }
            } else if (!name.startsWith("p.") && proc != null) {
                procs.add(proc.build());
                proc = null;
            }
        }
        if (proc != null) {
            procs.add(proc.build());
        }
        if (meminfo == null) {
            throw new ParseException("probe frame has no meminfo section");
        }
        return new RawProbe(meminfo, swaps, pressure, stat, passwd, procs, gpu, gpuApps, gpuError, kernel);
    }

    private static int parsePid(String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw new ParseException("bad pid in probe frame: " + s);
        }
    }

    private static String unquote(String s) {
        return s.replace("\"", "");
    }

    private static final class ProcBuilder {
        final int pid;
        String stat;
        String status;
        String oomScore;
        String oomScoreAdj;
        byte[] cmdline;

        ProcBuilder(int pid) {
            this.pid = pid;
        }

        RawProcess build() {
            return new RawProcess(pid, stat, status, cmdline, oomScore, oomScoreAdj);
        }
    }
}
