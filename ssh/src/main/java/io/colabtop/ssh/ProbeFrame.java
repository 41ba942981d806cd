package io.colabtop.ssh;

import io.colabtop.core.ParseException;
import io.colabtop.core.RawProbe;
import io.colabtop.core.RawProcess;
import io.colabtop.core.Words;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One frame of the remote probe, split into the raw texts the core parsers take. A frame reads:
 * <pre>
 * @@ct:begin 7
 * @@ct:files
 * /proc/meminfo
 * MemTotal:       24683656 kB$
 * ...
 * @@ct:rank
 * 666 1157 1234
 * @@ct:procfiles
 * /proc/1234/cmdline
 * python3\000train.py\000$
 * @@ct:end 7
 * </pre>
 * Sections {@code files}, {@code mounts} (FUSE lines of /proc/mounts and the {@code oom_kill} line
 * of /proc/vmstat), {@code stat}, {@code passwd}, {@code procfiles} and {@code procstatus} (with
 * each process's /proc/PID/cgroup line) are {@link SedListing}s; {@code gpu} and {@code gpuapps}
 * are nvidia-smi's output escaped the same way (without file names); {@code rank} lists
 * "oom_score rss_pages pid", next victim first; {@code boot} is the boot id. Now and then:
 * {@code oomd} (a state word, then oomctl's dump escaped), {@code oomsrc} (lines the probe writes:
 * {@code clock …}, {@code tried …}, {@code source …}) and {@code oomlog} (the kill log, escaped).
 */
public final class ProbeFrame {
    static final String MARK = "@@ct:";

    private ProbeFrame() {}

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
        Map<String, List<String>> sections = new HashMap<>();
        String gpuRc = null;
        List<String> current = null;
        for (int i = 1; i < lines.size() - 1; i++) {
            String line = lines.get(i);
            if (line.startsWith(MARK)) {
                String marker = line.substring(MARK.length());
                int sp = marker.indexOf(' ');
                String name = sp < 0 ? marker : marker.substring(0, sp);
                if (name.equals("gpu-rc")) {
                    gpuRc = marker.substring(sp + 1).strip();
                    current = null;
                } else {
                    current = new ArrayList<>();
                    sections.put(name, current);
                }
            } else if (current != null) {
                current.add(line);
            }
        }
        Map<String, byte[]> files = new HashMap<>();
        for (String listed : List.of("files", "mounts", "stat", "passwd", "procfiles", "procstatus")) {
            files.putAll(SedListing.parse(sections.getOrDefault(listed, List.of())));
        }
        String meminfo = text(files, "/proc/meminfo");
        if (meminfo == null) {
            throw new ParseException("probe frame has no /proc/meminfo");
        }
        String passwd = files.containsKey("/etc/passwd") ? text(files, "/etc/passwd") : cachedPasswd;
        List<RawProcess> procs = new ArrayList<>();
        for (String rank : sections.getOrDefault("rank", List.of())) {
            String[] f = Words.of(rank);
            if (f.length != 3) {
                continue; // an empty ranking prints one blank line
            }
            int pid = parsePid(f[2]);
            String dir = "/proc/" + pid + "/";
            procs.add(new RawProcess(
                    pid,
                    text(files, dir + "stat"),
                    text(files, dir + "status"),
                    files.getOrDefault(dir + "cmdline", new byte[0]),
                    text(files, dir + "oom_score"),
                    text(files, dir + "oom_score_adj")));
        }
        String gpu = escapedText(sections.get("gpu"));
        String gpuError = null;
        if (gpuRc != null && !gpuRc.equals("0")) {
            gpuError = gpu == null || gpu.isBlank() ? "nvidia-smi exited with " + gpuRc : gpu.strip();
            gpu = null;
        }
        // "|Debian GNU/Linux 12 (bookworm) 6.1.0-18-amd64": the "|" keeps a hostile PRETTY_NAME from
        // starting a line with "@@ct:"; it is not part of the text
        String kernel = joined(sections.get("kernel"));
        if (kernel != null && kernel.startsWith("|")) {
            kernel = kernel.substring(1);
        }
        Map<Integer, String> cgroups = new HashMap<>();
        for (RawProcess p : procs) {
            String cg = text(files, "/proc/" + p.pid() + "/cgroup");
            if (cg != null) {
                cgroups.put(p.pid(), cg);
            }
        }
        List<String> oomd = sections.get("oomd");
        return new RawProbe(
                meminfo,
                text(files, "/proc/swaps"),
                text(files, "/proc/pressure/memory"),
                text(files, "/proc/stat"),
                passwd,
                procs,
                gpu,
                escapedText(sections.get("gpuapps")),
                gpuError,
                kernel == null ? null : kernel.replace("\"", "").strip(),
                text(files, "/proc/mounts"),
                text(files, "/proc/vmstat"),
                joined(sections.get("boot")),
                cgroups,
                oomd == null || oomd.isEmpty()
                        ? null
                        : oomd.get(0) + "\n" + SedListing.text(oomd.subList(1, oomd.size())),
                joined(sections.get("oomsrc")),
                escapedText(sections.get("oomlog")),
                text(files, "/proc/uptime"));
    }

    private static String text(Map<String, byte[]> files, String path) {
        byte[] b = files.get(path);
        return b == null ? null : new String(b, StandardCharsets.UTF_8) + "\n";
    }

    private static String joined(List<String> lines) {
        return lines == null ? null : String.join("\n", lines) + (lines.isEmpty() ? "" : "\n");
    }

    /** A section of {@code sed l} lines (nvidia-smi's output), decoded; null when the section is absent. */
    private static String escapedText(List<String> lines) {
        return lines == null ? null : SedListing.text(lines);
    }

    private static int parsePid(String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw new ParseException("bad pid in probe frame: " + s);
        }
    }
}
