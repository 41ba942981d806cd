package io.colabtop.core.action;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every value of an autostop rule reaches a host's shell: what is refused, and that it says why. */
class AutostopRuleTest {
    @Test
    void commandsAreAnAbsoluteProgramAndPlainWords() {
        assertEquals(
                List.of("/usr/bin/gsutil", "-m", "rsync", "-r", "/content/ckpt", "gs://my-bucket/ckpt"),
                AutostopRule.command("--before", "/usr/bin/gsutil -m rsync -r /content/ckpt gs://my-bucket/ckpt"));
        assertEquals(
                List.of("/usr/bin/gcloud", "compute", "instances", "stop", "trainer", "--zone=us-west1-b", "--quiet"),
                AutostopRule.command(
                        "--stop-command", "/usr/bin/gcloud compute instances stop trainer --zone=us-west1-b --quiet"));
        String[] hostile = {
            "shutdown -h now",
            "/sbin/shutdown -h now; reboot",
            "/bin/sh -c 'rm -rf /'",
            "/bin/echo $(id)",
            "/bin/echo `id`",
            "/bin/echo a|b",
            "/bin/echo a&",
            "/bin/rm /tmp/*",
            "/bin/ls ~",
            "/bin/echo \"q\"",
            "/bin/echo a\nb",
            "/bin/echo a\tb",
            "../bin/x",
            "/tmp/../bin/sh",
            "",
            "   ",
            "/bin/echo " + "x".repeat(600),
        };
        for (String h : hostile) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> AutostopRule.command("--before", h), h);
            assertTrue(e.getMessage().startsWith("--before"), e.getMessage());
        }
        assertTrue(
                assertThrows(IllegalArgumentException.class, () -> AutostopRule.command("--stop-command", "shutdown"))
                        .getMessage()
                        .contains("absolute path"));
    }

    @Test
    void regexesArePrintableAsciiThatGrepEUnderstands() {
        assertEquals("python .*train\\.py", AutostopRule.regex("python .*train\\.py"));
        assertEquals("'$(touch /tmp/x)'", AutostopRule.regex("'$(touch /tmp/x)'"), "quoted into the header: inert");
        for (String bad : new String[] {"", " ", "a\nb", "a\u0000b", "é", "(unclosed", "x".repeat(201), "step\\d+"}) {
            assertThrows(IllegalArgumentException.class, () -> AutostopRule.regex(bad), bad);
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AutostopRule.regex("\\d"))
                .getMessage()
                .contains("[0-9]"));
    }

    @Test
    void pidsAreOnesThatCanExit() {
        assertEquals(4242, AutostopRule.pid(4242));
        for (int bad : new int[] {-1, 0, 1, 2, 4_194_305, Integer.MAX_VALUE}) {
            assertThrows(IllegalArgumentException.class, () -> AutostopRule.pid(bad), "" + bad);
        }
        assertThrows(IllegalArgumentException.class, () -> new AutostopRule.Exits(4242, -1, ""));
    }

    @Test
    void durationsHaveBoundsAndWholeSeconds() {
        AutostopRule.Trigger t = new AutostopRule.Exits(4242, 1, "python");
        assertThrows(IllegalArgumentException.class, () -> AutostopRule.of(t, Duration.ofDays(2)));
        assertThrows(IllegalArgumentException.class, () -> AutostopRule.of(t, Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> AutostopRule.of(t, Duration.ofMillis(1500)));
        assertThrows(IllegalArgumentException.class, () -> new AutostopRule.Idle(Duration.ofDays(8)));
        assertThrows(IllegalArgumentException.class, () -> new AutostopRule.Idle(Duration.ofMinutes(30), 101, 5));
        assertThrows(
                IllegalArgumentException.class,
                () -> AutostopRule.of(t, Duration.ZERO).withPeriod(Duration.ofHours(1)));
        assertEquals(Duration.ofMinutes(90), AutostopRule.parseDuration("x", "1h30m"));
        assertEquals(Duration.ofSeconds(45), AutostopRule.parseDuration("x", "45s"));
        assertEquals(Duration.ZERO, AutostopRule.parseDuration("x", "0"));
        assertThrows(IllegalArgumentException.class, () -> AutostopRule.parseDuration("x", "ten minutes"));
        assertThrows(IllegalArgumentException.class, () -> AutostopRule.parseDuration("x", "-5m"));
    }

    @Test
    void itSaysWhenItFiresAndWaitsTheWindowAndTheGrace() {
        AutostopRule exits = AutostopRule.of(new AutostopRule.Exits(4242, 1, "python"), Duration.ofMinutes(5));
        assertEquals("when PID 4242 exits, then 5m of grace", exits.describe());
        assertEquals(Duration.ofMinutes(5), exits.waitAfterHolding());
        AutostopRule idle = AutostopRule.of(new AutostopRule.Idle(Duration.ofMinutes(30)), Duration.ZERO);
        assertEquals("idle 30m", idle.describe());
        assertEquals(Duration.ofMinutes(30), idle.waitAfterHolding());
        assertEquals(
                Duration.ofMinutes(40), idle.withGrace(Duration.ofMinutes(10)).waitAfterHolding());
        assertEquals(AutostopRule.DEFAULT_STOP, idle.stop());
        assertEquals(Duration.ZERO, AutostopRule.defaultGrace(idle.trigger()));
        assertEquals(AutostopRule.DEFAULT_GRACE, AutostopRule.defaultGrace(exits.trigger()));
        assertEquals("1h30m", AutostopRule.duration(Duration.ofMinutes(90)));
    }
}
