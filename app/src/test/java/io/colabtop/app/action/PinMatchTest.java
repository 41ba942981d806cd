package io.colabtop.app.action;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.colabtop.core.Cmdline;
import io.colabtop.core.HostSnapshot;
import io.colabtop.core.action.HostShell;
import io.colabtop.core.action.ShellResult;
import io.colabtop.ssh.HostScripts;
import io.colabtop.ssh.KnownHostsVerifier;
import io.colabtop.ssh.LocalProcess;
import io.colabtop.ssh.RemoteSource;
import io.colabtop.ssh.SshShell;
import io.colabtop.ssh.TestSshd;
import io.colabtop.testing.HostTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pin --match never picks colabtop's own processes on the host: the listing script, its wrappers, the probe. */
class PinMatchTest {
    @TempDir
    Path tmp;

    /** A listing as the script prints it, for a host where colabtop came in through sudo and a probe runs. */
    @Test
    void theListingItsSudoWrappersItsSedAndTheProbeAreLeftOut() throws Exception {
        String stdout = String.join(
                "\n",
                "colabtop-result: self 300",
                "colabtop-result: proc 1 10 0",
                "colabtop-result: proc 100 20 1",
                "colabtop-result: proc 200 30 100",
                "colabtop-result: proc 250 31 200",
                "colabtop-result: proc 300 32 250",
                "colabtop-result: proc 301 33 300",
                "colabtop-result: proc 400 40 1",
                "colabtop-result: proc 401 41 400",
                "colabtop-result: proc 500 50 1",
                "colabtop-result: proc 600 60 1",
                "colabtop-result: proc 700 70 1",
                "/proc/1/cmdline",
                "|/sbin/init\\000$",
                "/proc/100/cmdline",
                "|sshd: sarah@notty$",
                "/proc/200/cmdline",
                "|sudo\\000-n\\000/bin/sh\\000-s\\000$",
                "/proc/250/cmdline",
                "|sudo\\000-n\\000/bin/sh\\000-s\\000$",
                "/proc/300/cmdline",
                "|/bin/sh\\000-s\\000$",
                "/proc/301/cmdline",
                "|sed\\000-n\\000F;s/^/|/;l 0\\000/proc/1/cmdline\\000$",
                "/proc/400/cmdline",
                "|/bin/sh\\000-c\\000exec 2>/dev/null; top=${1:-20}; sh things\\000colabtop-probe\\00020\\000$",
                "/proc/401/cmdline",
                "|sed\\000-n\\000F;s/^/|/;l 0\\000/proc/meminfo\\000$",
                "/proc/500/cmdline",
                "|python3\\000train.py\\000--shards\\000colabtop-probe\\000$",
                "/proc/600/cmdline",
                "|/bin/sh\\000-s\\000$",
                "/proc/700/cmdline",
                "|bash\\000-c\\000sleep 1; sh -s\\000$",
                "");
        List<RescuePlanner.Found> all = RescuePlanner.listing(ShellResult.parse(0, stdout, ""));
        // kept: init, sshd, a user's job (even one mentioning colabtop-probe), another sh -s, a bash
        assertEquals(
                List.of(1, 100, 500, 600, 700),
                all.stream().map(RescuePlanner.Found::pid).toList());
        assertEquals(List.of(100, 500, 600, 700), pids(RescuePlanner.select(all, List.of(), "sh|colabtop|sed")));
    }

    /** Against real hosts: this machine, and the same machine through sshd, with a probe running there. */
    @Test
    @HostTest
    void onARealHostWithAProbeRunningNoneOfColabtopsProcessesMatch() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "the listing runs as root");
        List<HostShell> shells = new ArrayList<>(List.of(new LocalProcess()));
        TestSshd sshd = TestSshd.available() ? TestSshd.start() : null;
        RemoteSource probe = null;
        try {
            if (sshd != null) {
                Path kh = TestSshd.knownHosts(tmp.resolve("kh"), sshd);
                shells.add(
                        new SshShell(sshd.target("vm", kh, KnownHostsVerifier.Policy.STRICT), Duration.ofSeconds(10)));
                // the probe stays running on the host between polls
                probe = new RemoteSource(
                        sshd.target("vm", kh, KnownHostsVerifier.Policy.STRICT),
                        5,
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(1),
                        InstantSource.system());
                HostSnapshot snap = probe.poll();
                assertNotNull(snap);
                assertFalse(probePids().isEmpty(), "a probe runs on the host");
            }
            for (HostShell shell : shells) {
                ShellResult r = shell.runAsRoot(HostScripts.processListing(), Duration.ofSeconds(30));
                assertTrue(r.ok(), r.error());
                int self = r.results().stream()
                        .filter(x -> x.startsWith("self "))
                        .map(x -> Integer.parseInt(x.substring(5)))
                        .findFirst()
                        .orElseThrow();
                List<RescuePlanner.Found> all = RescuePlanner.listing(r);
                Set<Integer> seen = all.stream().map(RescuePlanner.Found::pid).collect(Collectors.toSet());
                assertFalse(seen.contains(self), "the listing script itself");
                assertTrue(
                        r.results().stream().anyMatch(x -> x.startsWith("proc " + self + " ")),
                        "the script lists itself");
                List<RescuePlanner.Found> matched = RescuePlanner.select(all, List.of(), "colabtop|sh");
                assertFalse(pids(matched).contains(self), "--match sh never picks the listing script");
                for (RescuePlanner.Found f : matched) {
                    List<String> argv = argv(f.pid());
                    assertFalse(
                            argv.size() >= 4
                                    && argv.get(1).equals("-c")
                                    && argv.get(3).equals("colabtop-probe"),
                            "a probe matched: " + f + " via " + shell.getClass().getSimpleName());
                }
                for (int p : probePids()) {
                    assertFalse(seen.contains(p), "probe " + p + " left out");
                }
            }
        } finally {
            if (probe != null) {
                probe.close();
            }
            if (sshd != null) {
                sshd.close();
            }
        }
    }

    static List<Integer> pids(List<RescuePlanner.Found> found) {
        return found.stream().map(RescuePlanner.Found::pid).toList();
    }

    static List<String> argv(int pid) {
        try {
            return Cmdline.arguments(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")));
        } catch (IOException gone) {
            return List.of();
        }
    }

    static List<Integer> probePids() throws IOException {
        List<Integer> out = new ArrayList<>();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(d -> d.getFileName().toString().matches("\\d+"))
                    .toList()) {
                List<String> a = argv(Integer.parseInt(p.getFileName().toString()));
                if (a.size() >= 4 && a.get(1).equals("-c") && a.get(3).equals("colabtop-probe")) {
                    out.add(Integer.parseInt(p.getFileName().toString()));
                }
            }
        }
        return out;
    }
}
