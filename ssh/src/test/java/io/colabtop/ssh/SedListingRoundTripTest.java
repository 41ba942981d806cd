package io.colabtop.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever bytes a host's files hold, the probe's listing brings them back exactly: random
 * files go through the real {@code LC_ALL=C sed -n "F;s/^/|/;l 0"} (GNU sed, as on every
 * Debian/Ubuntu VM) and {@link SedListing#parse} must return the same bytes. A command line with
 * NUL separators, a newline, a backslash or a byte over 0x7f decoded wrongly would put the wrong
 * process in front of an action.
 */
class SedListingRoundTripTest {
    private static final int SEEDS = 300;
    private static final int FILES_PER_SEED = 6;
    /** Bytes that take each path of sed's escaping and the parser's decoding. */
    private static final byte[] SPECIAL = {
        0,
        '\n',
        '\\',
        '|',
        '$',
        '@',
        7,
        8,
        9,
        11,
        12,
        13,
        27,
        0x7f,
        (byte) 0x80,
        (byte) 0x9b,
        (byte) 0xc3,
        (byte) 0xa9,
        (byte) 0xff,
        '0',
        '7',
        '8',
        ' '
    };

    @TempDir
    Path tmp;

    static byte[] randomBytes(Random r) {
        int len = switch (r.nextInt(10)) {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> 2000 + r.nextInt(6000); // one line longer than any line-wrap default
            default -> r.nextInt(120);
        };
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = switch (r.nextInt(4)) {
                case 0 -> SPECIAL[r.nextInt(SPECIAL.length)];
                case 1 -> (byte) r.nextInt(256);
                default -> (byte) (0x20 + r.nextInt(0x5f)); // printable ASCII
            };
        }
        return b;
    }

    /** What the listing promises: lines joined with '\n', so one final newline is not kept; an empty file is absent. */
    static byte[] expected(byte[] file) {
        return file.length > 0 && file[file.length - 1] == '\n' ? Arrays.copyOf(file, file.length - 1) : file;
    }

    /** Runs sed as the probe does ({@code LC_ALL=C}) and returns its output lines. */
    static List<String> sed(List<String> command, byte[] stdin) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        Thread feed = new Thread(() -> {
            try (var in = p.getOutputStream()) {
                in.write(stdin);
            } catch (IOException e) {
                // sed exited early: its exit code says why
            }
        });
        feed.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "sed finished");
        feed.join();
        assertEquals(0, p.exitValue(), command.toString());
        // sed -n "...;l 0" prints only printable ASCII: any decoding reads it the same
        String text = new String(out, StandardCharsets.ISO_8859_1);
        assertTrue(text.isEmpty() || text.endsWith("\n"), "whole lines");
        return text.isEmpty()
                ? List.of()
                : List.of(text.substring(0, text.length() - 1).split("\n", -1));
    }

    @Test
    void anyBytesComeBackExactlyThroughRealSed() throws Exception {
        for (int seed = 0; seed < SEEDS; seed++) {
            Random r = new Random(seed);
            List<String> command = new ArrayList<>(List.of("sed", "-n", "F;s/^/|/;l 0"));
            List<byte[]> contents = new ArrayList<>();
            for (int f = 0; f < FILES_PER_SEED; f++) {
                byte[] b = randomBytes(r);
                Path file = tmp.resolve("s" + seed + "-f" + f);
                Files.write(file, b);
                contents.add(b);
                command.add(file.toString());
            }
            Map<String, byte[]> parsed = SedListing.parse(sed(command, new byte[0]));
            for (int f = 0; f < FILES_PER_SEED; f++) {
                String name = tmp.resolve("s" + seed + "-f" + f).toString();
                byte[] original = contents.get(f);
                String where = "seed " + seed + ", file " + f + ": "
                        + HexFormat.of().formatHex(original, 0, Math.min(64, original.length));
                if (original.length == 0) {
                    assertFalse(parsed.containsKey(name), where);
                } else {
                    assertArrayEquals(expected(original), parsed.get(name), where);
                }
            }
            assertEquals(contents.stream().filter(b -> b.length > 0).count(), parsed.size(), "seed " + seed);
        }
    }

    /** The listing of a stream (nvidia-smi's output): any text comes back, each line ended by '\n'. */
    @Test
    void anyTextComesBackThroughRealSedOnAStream() throws Exception {
        for (int seed = 0; seed < SEEDS; seed++) {
            Random r = new Random(seed);
            StringBuilder sb = new StringBuilder();
            int len = r.nextInt(200);
            while (sb.length() < len) {
                int cp = switch (r.nextInt(4)) {
                    case 0 -> "\n\\|$\t\u00e9\u00ff\u202e\u4e2d".codePointAt(r.nextInt(9));
                    case 1 -> 0x20 + r.nextInt(0x5f);
                    case 2 -> 0x1f600 + r.nextInt(80); // 4 bytes in UTF-8
                    default -> 1 + r.nextInt(0xd7ff); // any BMP character below the surrogates, no NUL
                };
                sb.appendCodePoint(cp);
            }
            String s = sb.toString();
            String back = SedListing.text(sed(List.of("sed", "-n", "s/^/|/;l 0"), s.getBytes(StandardCharsets.UTF_8)));
            assertEquals(s.isEmpty() || s.endsWith("\n") ? s : s + "\n", back, "seed " + seed);
        }
    }
}
