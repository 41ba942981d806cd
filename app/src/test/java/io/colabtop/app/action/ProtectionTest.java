package io.colabtop.app.action;

import static org.junit.jupiter.api.Assertions.*;

import io.colabtop.core.action.ShellResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a protection says it achieved, read from protect.sh's report lines (as ProtectScriptTest records them). */
class ProtectionTest {
    static Protection of(String... results) {
        StringBuilder out = new StringBuilder();
        for (String r : results) {
            out.append("colabtop-result: ").append(r).append('\n');
        }
        return Protection.of(ShellResult.parse(0, out.toString(), ""));
    }

    @Test
    void bothKillersWhereOomdRuns() {
        Protection p = of(
                "pinned 4242 0 -1000",
                "pinned 4300 0 -1000",
                "oomd active 253",
                "oomd-omit 4242 colabtop-protect-4242-5120.scope scope",
                "oomd-not 4300 container /docker/ab12",
                "oompolicy colabtop-protect-4242-5120.scope continue");
        assertEquals(
                List.of(
                        "pid 4242: kernel OOM killer: oom_score_adj 0 -> -1000 (read back), never picked; systemd-oomd: "
                                + "omitted: moved to colabtop-protect-4242-5120.scope (ManagedOOMPreference=omit), read back",
                        "pid 4300: kernel OOM killer: oom_score_adj 0 -> -1000 (read back), never picked; systemd-oomd: NOT "
                                + "protected: in a container's cgroup (/docker/ab12): colabtop never moves a process out of one",
                        "OOMPolicy=continue on colabtop-protect-4242-5120.scope (one kernel OOM kill inside does not stop "
                                + "the rest)"),
                p.lines());
        assertEquals(
                "2/2 exempt from the kernel OOM killer; 1/2 omitted by systemd-oomd (pid 4300 NOT: in a container's "
                        + "cgroup (/docker/ab12): colabtop never moves a process out of one)",
                p.summary());
    }

    @Test
    void aServiceGetsTheOmitItself() {
        Protection p = of("pinned 77 0 -1000", "oomd active 249", "oomd-omit 77 train.service service");
        assertTrue(
                p.lines().get(0).endsWith("omitted: ManagedOOMPreference=omit on its service train.service, read back"),
                p.lines().get(0));
    }

    @Test
    void withoutOomdOnlyTheKernelMattersAndAPositiveAdjProtectsNothing() {
        assertEquals(
                List.of(
                        "pid 9: kernel OOM killer: oom_score_adj 0 -> -1000 (read back), never picked; systemd-oomd: not "
                                + "running (inactive): nothing to do"),
                of("pinned 9 0 -1000", "oomd inactive").lines());
        assertEquals(
                List.of(
                        "pid 9: kernel OOM killer: oom_score_adj 0 -> 500 (read back), not protected; systemd-oomd: NOT "
                                + "protected (not asked: oom_score_adj 500 protects from nothing)"),
                of("pinned 9 0 500", "oomd active 252").lines());
        assertEquals(
                "0/1 exempt from the kernel OOM killer; systemd-oomd not running",
                of("pinned 9 0 -500", "oomd absent").summary());
    }
}
