package io.colabtop.ssh;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every script colabtop runs on a host is a .sh file, checked like code: each file with shellcheck
 * as POSIX sh and parsed by dash, and each script as a plan sends it (shared parts, header,
 * script) linted again; and each script names, at its top, exactly the header values it is given.
 */
class HostScriptsTest {
    static final Path RESOURCES = Path.of("src/main/resources/io/colabtop/ssh");
    /** `: "${path:?}" "${options?}"`: the header values a script needs, named before anything runs. */
    private static final Pattern NEEDS = Pattern.compile("\\$\\{([a-z_][a-z0-9_]*):?\\?\\}");

    @TempDir
    Path tmp;

    static List<Path> shFiles() throws Exception {
        try (Stream<Path> s = Files.walk(RESOURCES)) {
            return s.filter(p -> p.toString().endsWith(".sh")).sorted().toList();
        }
    }

    /** Scripts as plans send them, by file name; swap-worker is the worker swap-on carries. */
    static Map<String, String> built() {
        Map<String, String> b = new LinkedHashMap<>();
        b.put("swap-preflight", HostScripts.swapPreflight("/swapfile"));
        String on = HostScripts.swapOn("/swapfile", 1L << 30, true, "/etc/fstab", 5L << 30, 20L << 30);
        b.put("swap-on", on);
        b.put("swap-worker", ShellLint.worker(on));
        b.put("swap-off", HostScripts.swapOff("/swapfile", "/etc/fstab"));
        b.put(
                "protect",
                HostScripts.protect(
                        List.of(new HostScripts.PinTarget(1, 2), new HostScripts.PinTarget(3, 4)), -1000, true, true));
        b.put("processes", HostScripts.processListing());
        b.put("signal", HostScripts.signal(new HostScripts.PinTarget(4242, 8123456), "TERM"));
        b.put("mount", HostScripts.mount("my-bucket", "/content/gcs", List.of("allow_other", "uid=1000"), true));
        b.put("umount", HostScripts.umount("/content/gcs"));
        b.put("fuse-mounts", HostScripts.listMounts());
        HostScripts.AutostopPlace place = HostScripts.AutostopPlace.DEFAULT;
        io.colabtop.core.action.AutostopRule rule = new io.colabtop.core.action.AutostopRule(
                new io.colabtop.core.action.AutostopRule.Match("python .*train\\.py"),
                java.time.Duration.ofMinutes(5),
                List.of("/usr/bin/gsutil", "-m", "rsync", "-r", "/content/ckpt", "gs://my-bucket/ckpt"),
                java.time.Duration.ofMinutes(10),
                io.colabtop.core.action.AutostopRule.DEFAULT_STOP,
                java.time.Duration.ofMinutes(1));
        String arm = HostScripts.autostopArm(rule, "6f1c2a0b9d3e", place);
        b.put("autostop-arm", arm);
        b.put("autostop-watch", headerValue(arm, "watcher"));
        b.put("autostop-status", HostScripts.autostopStatus(place));
        b.put("autostop-cancel", HostScripts.autostopCancel(place));
        b.put("autostop-check", HostScripts.autostopCheck(rule.trigger(), place));
        return b;
    }

    /** A header value as the shell sees it: the single-quoted value of name='...' with '\'' unquoted. */
    static String headerValue(String script, String name) {
        String start = "\n" + name + "='";
        int i = script.indexOf(start) + start.length();
        StringBuilder w = new StringBuilder();
        while (true) {
            if (script.startsWith("'\\''", i)) {
                w.append('\'');
                i += 4;
            } else if (script.charAt(i) == '\'') {
                return w.toString();
            } else {
                w.append(script.charAt(i++));
            }
        }
    }

    @Test
    void theScriptFilesAreTheOnesHostScriptsSends() throws Exception {
        Set<String> onDisk = new TreeSet<>();
        for (Path p : shFiles()) {
            if (p.getParent().getFileName().toString().equals("scripts")) {
                onDisk.add(p.getFileName().toString().replaceFirst("\\.sh$", ""));
            }
        }
        assertEquals(new TreeSet<>(HostScripts.FILES), onDisk);
        Set<String> scripts = new TreeSet<>(HostScripts.FILES);
        scripts.removeAll(HostScripts.SHARED_PARTS);
        assertEquals(scripts, new TreeSet<>(built().keySet()), "a test builds every script");
        for (String name : HostScripts.FILES) {
            assertEquals(
                    Files.readString(RESOURCES.resolve("scripts/" + name + ".sh")),
                    HostScripts.file(name),
                    name + " as written");
        }
    }

    /**
     * Each file alone. SC2034/SC2154 (assigned but unused, used but not assigned) are left to the
     * whole scripts below: the parts share variables across files (check_path sets $why, the
     * header sets $path).
     */
    @Test
    void everyShFileIsCleanUnderShellcheck() throws Exception {
        List<String> findings = new ArrayList<>();
        for (Path f : shFiles()) {
            String out = f.getFileName().toString().equals("probe.sh")
                    ? ShellLint.shellcheck(f)
                    : ShellLint.shellcheck(f, "SC2034", "SC2154");
            if (!out.isEmpty()) {
                findings.add(out);
            }
        }
        assertEquals(List.of(), findings);
    }

    @Test
    void everyShFileParsesWithDash() throws Exception {
        List<String> findings = new ArrayList<>();
        for (Path f : shFiles()) {
            String out = ShellLint.dashParse(f);
            if (!out.isEmpty()) {
                findings.add(f + ": " + out);
            }
        }
        assertEquals(List.of(), findings);
        assertTrue(shFiles().size() >= 13, "probe.sh and the action scripts: " + shFiles());
    }

    /**
     * Whole scripts with their header, as a plan sends them, all checks on but two: SC2317 (a
     * shared function a script does not call looks unreachable) and SC2016 (swap-on carries the
     * worker as a single-quoted value: its $ are for the worker's shell; the worker is checked
     * on its own here).
     */
    @Test
    void theScriptsAPlanSendsAreCleanWithTheirHeaders() throws Exception {
        List<String> findings = new ArrayList<>();
        for (Map.Entry<String, String> s : built().entrySet()) {
            String out = ShellLint.shellcheckText(tmp, s.getKey() + ".sh", s.getValue(), "SC2317", "SC2016");
            if (!out.isEmpty()) {
                findings.add(out);
            }
            String parse = ShellLint.dashParse(tmp.resolve(s.getKey() + ".sh"));
            if (!parse.isEmpty()) {
                findings.add(s.getKey() + ": " + parse);
            }
        }
        assertEquals(List.of(), findings);
    }

    static Set<String> declared(String name) {
        Set<String> names = new LinkedHashSet<>();
        for (String line : HostScripts.file(name).split("\n")) {
            if (line.startsWith(": \"${")) {
                Matcher m = NEEDS.matcher(line);
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    /** The name='value' lines between the shared parts and the script itself. */
    static Set<String> header(String name, String script) {
        StringBuilder before = new StringBuilder();
        HostScripts.before(name).forEach(p -> before.append(HostScripts.file(p)));
        assertTrue(script.startsWith(before.toString()), name);
        assertTrue(script.endsWith(HostScripts.file(name)), name);
        String header = script.substring(
                before.length(), script.length() - HostScripts.file(name).length());
        // name='value' lines; a value may span lines, and holds a quote only as '\''
        Set<String> names = new LinkedHashSet<>();
        Matcher m =
                Pattern.compile("([a-z_][a-z0-9_]*)='(?:[^']++|'\\\\'')*+'\n").matcher(header);
        int at = 0;
        while (at < header.length()) {
            assertTrue(m.find(at) && m.start() == at, name + ": not a header line at " + header.substring(at));
            names.add(m.group(1));
            at = m.end();
        }
        return names;
    }

    @Test
    void eachScriptNamesAtItsTopExactlyTheHeaderItIsGiven() {
        for (Map.Entry<String, String> s : built().entrySet()) {
            assertEquals(declared(s.getKey()), header(s.getKey(), s.getValue()), s.getKey());
        }
        assertEquals(
                Set.of("path", "size_mb", "persist", "fstab", "reserve_kb", "planned_avail_kb", "lock"),
                declared("swap-worker"));
    }

    /** A value missing from a header: sh stops at the script's first line, naming it, before doing anything. */
    @Test
    void aScriptMissingAHeaderValueStopsAtOnceNamingIt() throws Exception {
        int checked = 0;
        for (String name : built().keySet()) {
            for (String missing : declared(name)) {
                Map<String, String> header = new LinkedHashMap<>();
                for (String v : declared(name)) {
                    if (!v.equals(missing)) {
                        header.put(v, "/nonexistent/colabtop-test");
                    }
                }
                Process p = new ProcessBuilder("/bin/sh", "-s").start();
                try (var in = p.getOutputStream()) {
                    in.write(HostScripts.script(name, header).getBytes(StandardCharsets.UTF_8));
                }
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
                assertNotEquals(0, p.exitValue(), name + " without " + missing);
                assertEquals("", out, name + " without " + missing + " did something");
                assertTrue(err.contains(missing), name + " without " + missing + ": " + err);
                checked++;
            }
        }
        assertTrue(checked >= 15, "" + checked);
    }

    @Test
    void headerNamesMustBeShellVariables() {
        assertThrows(IllegalArgumentException.class, () -> HostScripts.script("umount", Map.of("mp; rm -rf /", "x")));
        assertThrows(IllegalArgumentException.class, () -> HostScripts.script("umount", Map.of("PATH", "x")));
    }
}
