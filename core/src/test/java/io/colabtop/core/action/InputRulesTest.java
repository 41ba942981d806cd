package io.colabtop.core.action;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class InputRulesTest {
    static final String[] HOSTILE = {
        "; rm -rf /",
        "$(reboot)",
        "`id`",
        "a\nb",
        "it's",
        "\"q\"",
        "a b",
        "x".repeat(5000),
        "--help",
        "-o",
        "..",
        "/tmp/../etc/passwd",
        "/tmp/a;b",
        "/tmp/$(x)",
        "/tmp/`x`",
        "/tmp/a\nb",
        "",
        "relative/path"
    };

    @Test
    void pathsAreAbsoluteAndPlain() {
        assertEquals("/swapfile", InputRules.path("p", "/swapfile"));
        assertEquals("/mnt/disks/scratch/swap-1.img", InputRules.path("p", "/mnt/disks/scratch/swap-1.img"));
        for (String bad : HOSTILE) {
            assertThrows(IllegalArgumentException.class, () -> InputRules.path("p", bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> InputRules.path("p", "/"));
        assertThrows(IllegalArgumentException.class, () -> InputRules.path("p", "/tmp/"));
    }

    @Test
    void bucketNamesFollowGcsRules() {
        for (String ok :
                List.of("my-bucket", "abc", "a_b-c.d", "training-data-2026", "x".repeat(63), "a.".repeat(40) + "b")) {
            assertEquals(ok, InputRules.bucket(ok), ok);
        }
        for (String bad : List.of(
                "ab",
                "x".repeat(64),
                "My-Bucket",
                "-lead",
                "trail-",
                "192.168.5.4",
                "goog-data",
                "my-google-bucket",
                "a..b",
                "a.-b",
                "has space",
                "semi;colon",
                "$(x)",
                "a/b",
                "a\nb")) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> InputRules.bucket(bad), bad);
            assertTrue(e.getMessage().contains("not a valid bucket name"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
    }

    @Test
    void optionsSizesAndAdj() {
        assertEquals("allow_other", InputRules.mountOption("allow_other"));
        assertEquals("uid=1000", InputRules.mountOption("uid=1000"));
        for (String bad : List.of("a;b", "a b", "-x", "$(x)", "a'b")) {
            assertThrows(IllegalArgumentException.class, () -> InputRules.mountOption(bad), bad);
        }
        assertEquals(16L << 30, InputRules.size("16G"));
        assertEquals(512L << 20, InputRules.size("512M"));
        assertEquals(3L << 29, InputRules.size("1.5GiB"));
        assertEquals(4096, InputRules.size("4096"));
        for (String bad : List.of("lots", "-1G", "1X", "0", "2000T")) {
            assertThrows(IllegalArgumentException.class, () -> InputRules.size(bad), bad);
        }
        assertEquals(-1000, InputRules.oomScoreAdj(-1000));
        assertThrows(IllegalArgumentException.class, () -> InputRules.oomScoreAdj(-1001));
        assertThrows(IllegalArgumentException.class, () -> InputRules.oomScoreAdj(1001));
    }

    @Test
    void quotingKeepsEveryValueInert() throws Exception {
        for (String v :
                new String[] {"it's", "$(touch /tmp/colabtop-pwned)", "`id`", "a\nb", "\\", "'", "''", "; echo hi"}) {
            Process p = new ProcessBuilder("sh", "-c", "printf %s " + ShellQuote.quote(v)).start();
            assertEquals(v, new String(p.getInputStream().readAllBytes()), v);
            p.waitFor();
        }
        assertFalse(new java.io.File("/tmp/colabtop-pwned").exists());
        assertThrows(IllegalArgumentException.class, () -> ShellQuote.quote("a\0b"));
    }

    @Test
    void swapSizing() {
        long g = 1L << 30;
        // 52 GB box with a 200 GB disk, 150 GB free: 2x RAM fits (reserve 20 GB)
        SwapSizing.Choice c = SwapSizing.choose(52 * g, 200 * g, 150 * g, 0);
        assertTrue(c.ok());
        assertEquals(104 * g, c.bytes());
        assertFalse(c.capped());
        // 100 GB disk, 60 GB free: reserve 10 GB, so capped at 50 GB
        c = SwapSizing.choose(52 * g, 100 * g, 60 * g, 0);
        assertTrue(c.capped());
        assertEquals(50 * g, c.bytes());
        // small disk: reserve is 5 GB, not 10%
        c = SwapSizing.choose(8 * g, 30 * g, 6 * g, 0);
        assertEquals(1 * g, c.bytes());
        // no room
        c = SwapSizing.choose(8 * g, 30 * g, 5 * g, 0);
        assertFalse(c.ok());
        assertTrue(c.refusal().contains("no room"), c.refusal());
        // asked for more than fits: refused, not shrunk behind the user's back
        c = SwapSizing.choose(8 * g, 100 * g, 40 * g, 32 * g);
        assertFalse(c.ok());
        assertTrue(c.refusal().contains("cannot hold 32G"), c.refusal());
        assertEquals(16 * g, SwapSizing.choose(8 * g, 100 * g, 40 * g, 16 * g).bytes());
        assertFalse(SwapSizing.choose(8 * g, 100 * g, 40 * g, 1 << 20).ok(), "1 MiB of swap would not help");
    }
}
