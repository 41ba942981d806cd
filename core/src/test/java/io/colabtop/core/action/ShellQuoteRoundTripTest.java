package io.colabtop.core.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every value colabtop puts into a remote script is {@link ShellQuote#quote}d; whatever the value,
 * the real {@code /bin/sh} (dash on Debian/Ubuntu) must hand it to a command unchanged and run
 * nothing of it. Random strings with quotes, {@code $ ` \ ! * ~ ;}, newlines, control characters,
 * C1 controls, bidi marks and characters of every UTF-8 length go through
 * {@code printf '%s' QUOTED} and must come back byte for byte.
 */
class ShellQuoteRoundTripTest {
    private static final int SEEDS = 200;
    private static final int VALUES_PER_SEED = 40;
    private static final String SPECIAL =
            "'\"$`\\!*?[]{}~#;&|<>() \t\n\r=%-\u007f\u0080\u009b\u00a0\u00e9\u202e\u2028\ufeff\uffff";

    static String randomValue(Random r) {
        StringBuilder sb = new StringBuilder();
        int len = r.nextInt(8) == 0 ? 1000 + r.nextInt(3000) : r.nextInt(40);
        while (sb.length() < len) {
            int cp = switch (r.nextInt(5)) {
                case 0, 1 -> SPECIAL.charAt(r.nextInt(SPECIAL.length()));
                case 2 -> 1 + r.nextInt(0x7f); // any ASCII but NUL, controls included
                case 3 ->
                    0x80 + r.nextInt(0xd800 - 0x80); // 2 and 3 UTF-8 bytes: continuation bytes dash treats specially
                default -> 0x10000 + r.nextInt(0x10ffff - 0x10000); // 4 bytes
            };
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

    /**
     * Runs {@code printf '%s' QUOTED; printf '\000'} for each value in one real /bin/sh and returns
     * what each printed. The script goes on stdin as UTF-8 bytes (as colabtop's scripts reach
     * {@code sh -s}): an argv would be encoded with the JVM's locale charset, ASCII under LANG=C,
     * and mangle the value before the shell ever saw it.
     */
    static List<String> throughShell(List<String> values) throws IOException, InterruptedException {
        StringBuilder script = new StringBuilder();
        for (String v : values) {
            script.append("printf '%s' ").append(ShellQuote.quote(v)).append("; printf '\\000'\n");
        }
        Process p = new ProcessBuilder("/bin/sh", "-s")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        Thread feed = new Thread(() -> {
            try (OutputStream in = p.getOutputStream()) {
                in.write(script.toString().getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the shell exited early: its exit code says why
            }
        });
        feed.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "sh finished");
        feed.join();
        assertEquals(0, p.exitValue(), "sh ran the script");
        List<String> printed = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == 0) {
                printed.add(new String(out, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        assertEquals(out.length, start, "output ends with the last value's NUL");
        return printed;
    }

    @Test
    void anyValueReachesTheCommandUnchangedThroughRealSh() throws Exception {
        for (int seed = 0; seed < SEEDS; seed++) {
            Random r = new Random(seed);
            List<String> values = new ArrayList<>();
            for (int i = 0; i < VALUES_PER_SEED; i++) {
                values.add(randomValue(r));
            }
            List<String> printed = throughShell(values);
            assertEquals(values.size(), printed.size(), "seed " + seed + ": one printf per value, nothing else ran");
            for (int i = 0; i < values.size(); i++) {
                assertEquals(values.get(i), printed.get(i), "seed " + seed + ", value " + i);
            }
        }
    }

    @Test
    void aValueWithNulIsRefusedWherever() {
        for (int seed = 0; seed < SEEDS; seed++) {
            Random r = new Random(seed);
            String v = randomValue(r);
            int at = r.nextInt(v.length() + 1);
            String withNul = v.substring(0, at) + '\0' + v.substring(at);
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> ShellQuote.quote(withNul), "seed " + seed);
            assertTrue(e.getMessage().contains("NUL"), e.getMessage());
        }
    }
}
