package io.colabtop.ssh;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.colabtop.core.action.ShellResult;
import io.colabtop.testing.HostTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * protect.sh for real, as root through {@link LocalProcess}: real processes, real oom_score_adj
 * writes and read-backs, real cgroups of this machine's unified hierarchy (the cgroup a process is
 * in is what the script reads back). systemd cannot run here (no systemd PID 1, no D-Bus), so
 * systemctl and busctl are stand-ins first on PATH that write down their exact arguments and do to
 * the cgroups what systemd would (StartTransientUnit with PIDs moves them into the scope's
 * cgroup), or, in one test, pretend to succeed and move nothing: the script must not claim a
 * protection it cannot read back. What systemd does with these arguments was not verified here.
 */
@HostTest
class ProtectScriptTest {
    @TempDir
    Path tmp;

    private Path base;
    private String home;
    private final List<Process> sleepers = new ArrayList<>();
    private final List<Path> made = new ArrayList<>();

    @BeforeEach
    void unifiedHierarchy() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "moves processes between cgroups: needs root");
        if (Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"))) {
            base = Path.of("/sys/fs/cgroup");
        } else if (Files.exists(Path.of("/sys/fs/cgroup/unified/cgroup.procs"))) {
            base = Path.of("/sys/fs/cgroup/unified");
        }
        assumeTrue(base != null, "no cgroup v2 hierarchy (/sys/fs/cgroup or /sys/fs/cgroup/unified)");
        home = cgroupOf(ProcessHandle.current().pid());
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : sleepers) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        // the deepest first; a cgroup goes once its last process has
        for (int i = made.size() - 1; i >= 0; i--) {
            Path d = made.get(i);
            for (int tries = 0; tries < 50 && Files.exists(d); tries++) {
                try {
                    Files.delete(d);
                } catch (IOException busy) {
                    Thread.sleep(100);
                }
            }
        }
    }

    static String cgroupOf(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"))) {
            if (l.startsWith("0::")) {
                return l.substring(3);
            }
        }
        throw new AssertionError("no unified line for " + pid);
    }

    /** A {@code sleep} child, in the cgroup {@code cg} (made here) when given. */
    private Process sleeper(String cg) throws Exception {
        Process p = new ProcessBuilder("sleep", "300").start();
        sleepers.add(p);
        if (cg != null) {
            Path d = base;
            for (String part : cg.substring(1).split("/")) {
                d = d.resolve(part);
                if (!Files.exists(d)) {
                    Files.createDirectory(d);
                    made.add(d);
                }
            }
            Files.writeString(d.resolve("cgroup.procs"), Long.toString(p.pid()));
            assertEquals(cg, cgroupOf(p.pid()));
        }
        return p;
    }

    private long start(Process p) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]);
    }

    /** systemctl and busctl that stand in for systemd (version {@code version}, oomd {@code oomd}). */
    private Map<String, String> systemd(String version, String oomd, boolean moves) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path state = Files.createDirectories(tmp.resolve("state"));
        write(bin.resolve("systemctl"), """
                #!/bin/sh
                printf 'systemctl' >> "$CALLS"; for a in "$@"; do printf ' [%%s]' "$a" >> "$CALLS"; done; echo >> "$CALLS"
                case "$1" in
                  is-active) echo %s ;;
                  --version) echo 'systemd %s (%s.1-1)'; echo '+PAM +AUDIT' ;;
                  show) cat "%s/$5.$3" 2>/dev/null ;;
                  set-property) echo omit > "%s/$3.ManagedOOMPreference" ;;
                esac
                """.formatted(oomd, version, version, state, state));
        write(bin.resolve("busctl"), """
                #!/bin/sh
                printf 'busctl' >> "$CALLS"; for a in "$@"; do printf ' [%%s]' "$a" >> "$CALLS"; done; echo >> "$CALLS"
                unit=$7; shift 9
                pids=; pref=; pol=
                while [ $# -gt 1 ]; do
                  case $1 in
                    PIDs) n=$3; shift 3; while [ "$n" -gt 0 ]; do pids="$pids $1"; shift; n=$((n - 1)); done ;;
                    ManagedOOMPreference) pref=$3; shift 3 ;;
                    OOMPolicy) pol=$3; shift 3 ;;
                    *) shift 3 ;;
                  esac
                done
                echo "$pref" > "%s/$unit.ManagedOOMPreference"
                echo "${pol:-stop}" > "%s/$unit.OOMPolicy"
                if [ %s = 1 ]; then
                  mkdir -p "%s/system.slice/$unit"
                  for p in $pids; do echo "$p" > "%s/system.slice/$unit/cgroup.procs"; done
                fi
                echo 'o "/org/freedesktop/systemd1/job/4242"'
                """.formatted(state, state, moves ? 1 : 0, base, base));
        Map<String, String> env = new HashMap<>();
        env.put("PATH", bin + ":" + System.getenv("PATH"));
        env.put("CALLS", tmp.resolve("calls").toString());
        return env;
    }

    private static void write(Path f, String text) throws IOException {
        Files.writeString(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private List<String> calls() throws IOException {
        Path c = tmp.resolve("calls");
        return Files.exists(c) ? Files.readAllLines(c) : List.of();
    }

    private ShellResult protect(Map<String, String> env, Process p, boolean oomd) throws Exception {
        ShellResult r = new LocalProcess(env)
                .runAsRoot(
                        HostScripts.protect(
                                List.of(new HostScripts.PinTarget((int) p.pid(), start(p))), 500, true, oomd),
                        Duration.ofSeconds(30));
        // the scope made by the stand-in, if any: removed after the test
        for (String res : r.results()) {
            if (res.startsWith("oomd-omit ") && res.endsWith(" scope")) {
                made.add(base.resolve("system.slice").resolve(res.split(" ")[2]));
            }
        }
        return r;
    }

    /** A process that was moved: back home, so its scope can go. */
    private void home(Process p) throws IOException {
        Files.writeString(base.resolve(home.substring(1)).resolve("cgroup.procs"), Long.toString(p.pid()));
    }

    @Test
    void anSshSessionsJobMovesIntoAnOmittedScopeAndIsReadBack() throws Exception {
        Path slice = base.resolve("system.slice");
        if (!Files.exists(slice)) {
            Files.createDirectory(slice);
            made.add(slice);
        }
        String session = "/user.slice/user-1000.slice/session-"
                + UUID.randomUUID().toString().substring(0, 6) + ".scope";
        Process job = sleeper(session);
        ShellResult r = protect(systemd("252", "active", true), job, true);
        try {
            assertTrue(r.ok(), r.error() + " " + r.stdout());
            assertTrue(
                    r.results().contains("pinned " + job.pid() + " 0 500"),
                    r.results().toString());
            assertTrue(r.results().contains("oomd active 252"), r.results().toString());
            String unit = "colabtop-protect-" + job.pid() + "-";
            String omit = r.results().stream()
                    .filter(x -> x.startsWith("oomd-omit " + job.pid() + " " + unit))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(r.results().toString()));
            String scope = omit.split(" ")[2];
            assertEquals("/system.slice/" + scope, cgroupOf(job.pid()), "the kernel says it moved");
            assertEquals(
                    "busctl [call] [org.freedesktop.systemd1] [/org/freedesktop/systemd1] "
                            + "[org.freedesktop.systemd1.Manager] [StartTransientUnit] [ssa(sv)a(sa(sv))] [" + scope
                            + "] [fail] [3] [Description] [s] [colabtop: kept from OOM killers] [PIDs] [au] [1] ["
                            + job.pid() + "] [ManagedOOMPreference] [s] [omit] [0]",
                    calls().stream()
                            .filter(c -> c.startsWith("busctl"))
                            .findFirst()
                            .orElseThrow(),
                    "systemd 252 takes no OOMPolicy for a scope: not sent");
            assertTrue(
                    r.results().stream().noneMatch(x -> x.startsWith("oompolicy")),
                    r.results().toString());
        } finally {
            home(job);
        }
    }

    @Test
    void systemd253AlsoGetsOomPolicyContinue() throws Exception {
        Path slice = base.resolve("system.slice");
        if (!Files.exists(slice)) {
            Files.createDirectory(slice);
            made.add(slice);
        }
        Process job = sleeper("/user.slice/user-1000.slice/session-c"
                + UUID.randomUUID().toString().substring(0, 6) + ".scope");
        ShellResult r = protect(systemd("253", "active", true), job, true);
        try {
            String busctl = calls().stream()
                    .filter(c -> c.startsWith("busctl"))
                    .findFirst()
                    .orElseThrow();
            assertTrue(busctl.contains("[fail] [4] "), busctl);
            assertTrue(busctl.endsWith("[ManagedOOMPreference] [s] [omit] [OOMPolicy] [s] [continue] [0]"), busctl);
            assertTrue(
                    r.results().stream().anyMatch(x -> x.matches("oompolicy colabtop-protect-\\S+ continue")),
                    r.results().toString());
        } finally {
            home(job);
        }
    }

    @Test
    void aScopeThatDidNotTakeTheProcessIsNotClaimed() throws Exception {
        String session = "/user.slice/user-1000.slice/session-d"
                + UUID.randomUUID().toString().substring(0, 6) + ".scope";
        Process job = sleeper(session);
        ShellResult r = protect(systemd("252", "active", false), job, true);
        assertTrue(r.ok(), r.error());
        assertTrue(
                r.results().contains("oomd-not " + job.pid() + " still in " + session + " after StartTransientUnit"),
                r.results().toString());
        assertTrue(
                r.results().stream().noneMatch(x -> x.startsWith("oomd-omit")),
                r.results().toString());
        assertTrue(r.results().contains("pinned " + job.pid() + " 0 500"), "the kernel part stands");
    }

    @Test
    void aContainersProcessIsNeverMoved() throws Exception {
        String docker = "/docker/" + UUID.randomUUID().toString().replace("-", "");
        Process job = sleeper(docker);
        ShellResult r = protect(systemd("252", "active", true), job, true);
        assertTrue(
                r.results().contains("oomd-not " + job.pid() + " container " + docker),
                r.results().toString());
        assertEquals(docker, cgroupOf(job.pid()), "still in its container's cgroup");
        assertTrue(calls().stream().noneMatch(c -> c.startsWith("busctl")), "no D-Bus call at all: " + calls());
    }

    @Test
    void aSystemServiceKeepsItsCgroupAndGetsTheOmitItself() throws Exception {
        String svc = "train-" + UUID.randomUUID().toString().substring(0, 6) + ".service";
        Process job = sleeper("/system.slice/" + svc);
        ShellResult r = protect(systemd("249", "active", true), job, true);
        assertTrue(
                r.results().contains("oomd-omit " + job.pid() + " " + svc + " service"),
                r.results().toString());
        assertEquals("/system.slice/" + svc, cgroupOf(job.pid()), "not moved out of its service");
        assertTrue(
                calls().contains("systemctl [set-property] [--runtime] [" + svc + "] [ManagedOOMPreference=omit]"),
                calls().toString());
    }

    @Test
    void aUserServicesProcessIsLeftAndSaidSo() throws Exception {
        String cg = "/user.slice/user-1000.slice/user@1000.service/app.slice/job-"
                + UUID.randomUUID().toString().substring(0, 6) + ".service";
        Process job = sleeper(cg);
        ShellResult r = protect(systemd("252", "active", true), job, true);
        assertTrue(
                r.results()
                        .contains("oomd-not " + job.pid() + " user-service " + cg.substring(cg.lastIndexOf('/') + 1)),
                r.results().toString());
        assertEquals(cg, cgroupOf(job.pid()));
    }

    @Test
    void withoutOomdOnlyTheKernelPartRunsAndSaysSo() throws Exception {
        Process job = sleeper(null);
        ShellResult r = protect(systemd("252", "inactive", true), job, true);
        assertTrue(r.ok(), r.error());
        assertEquals(List.of("pinned " + job.pid() + " 0 500", "oomd inactive"), r.results());
        assertTrue(calls().stream().noneMatch(c -> c.startsWith("busctl")));
        Process other = sleeper(null);
        ShellResult notAsked = protect(systemd("252", "active", true), other, false);
        assertEquals(
                List.of("pinned " + other.pid() + " 0 500", "oomd active 252"),
                notAsked.results(),
                "oomd=0: its state is said, nothing moved");
    }
}
