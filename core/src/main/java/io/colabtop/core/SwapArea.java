package io.colabtop.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One active swap area, a line of {@code /proc/swaps}:
 * <pre>
 * Filename                                Type            Size            Used            Priority
 * /tmp/sw\040ap/file                      file            65532           0               -2
 * </pre>
 * Sizes there are in KiB. The kernel escapes space, tab, newline and backslash in the path as
 * octal ({@code \040}), which is decoded here.
 */
public record SwapArea(HostText path, HostText type, long sizeBytes, long usedBytes, int priority) {

    public SwapArea(String path, String type, long sizeBytes, long usedBytes, int priority) {
        this(HostText.of(path), HostText.of(type, 32), sizeBytes, usedBytes, priority);
    }

    public static List<SwapArea> parseAll(String text) {
        List<SwapArea> areas = new ArrayList<>();
        String[] lines = text.split("\n");
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("Filename")) {
                continue;
            }
            String[] f = Words.of(line);
            if (f.length < 5) {
                continue; // truncated last line
            }
            try {
                areas.add(new SwapArea(
                        unescape(f[0]),
                        f[1],
                        Long.parseLong(f[2]) * 1024,
                        Long.parseLong(f[3]) * 1024,
                        Integer.parseInt(f[4])));
            } catch (NumberFormatException e) {
                throw new ParseException("bad /proc/swaps line: " + line, e);
            }
        }
        return List.copyOf(areas);
    }

    /** Decodes the kernel's {@code \ooo} escapes (seq_file's mangle_path). */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[b.length];
        int n = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\\' && isOctal(b, i + 1) && isOctal(b, i + 2) && isOctal(b, i + 3)) {
                out[n++] = (byte) (((b[i + 1] - '0') << 6) | ((b[i + 2] - '0') << 3) | (b[i + 3] - '0'));
                i += 3;
            } else {
                out[n++] = b[i];
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    private static boolean isOctal(byte[] b, int i) {
        return i < b.length && b[i] >= '0' && b[i] <= '7';
    }
}
