package io.colabtop.ssh;

import io.colabtop.core.ParseException;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes what {@code LC_ALL=C sed -n "F;s/^/|/;l 0" FILE...} prints: for every input line, the
 * file's name, then the line behind a '|' in sed's unambiguous form ending in {@code $}:
 * <pre>
 * /proc/4242/cmdline
 * |python3\000train.py\000--lr\0000.1\000$
 * /proc/4242/status
 * |Name:\tpython3$
 * </pre>
 * The '|' keeps a data line from ever starting like a frame marker: a process named
 * "@@ct:end 7" must not end a frame early.
 * Escapes: {@code \\}, {@code \a \b \f \n \r \t \v}, and {@code \ooo} for every other byte that is
 * not printable ASCII (in the C locale, all bytes over 0x7f), so the original bytes come back
 * exactly. A file's lines are joined with '\n'. A file that is empty or vanished prints nothing.
 */
public final class SedListing {
    private SedListing() {}

    public static Map<String, byte[]> parse(List<String> lines) {
        Map<String, ByteArrayOutputStream> files = new LinkedHashMap<>();
        if (lines.size() % 2 != 0) {
            throw new ParseException("sed listing has an odd number of lines (truncated)");
        }
        for (int i = 0; i < lines.size(); i += 2) {
            String name = lines.get(i);
            String escaped = lines.get(i + 1);
            if (!escaped.startsWith("|") || !escaped.endsWith("$") || escaped.length() < 2) {
                throw new ParseException("not a sed listing line ('|...$'): " + HostSpec.printable(escaped));
            }
            ByteArrayOutputStream out = files.get(name);
            if (out == null) {
                out = new ByteArrayOutputStream();
                files.put(name, out);
            } else {
                out.write('\n');
            }
            unescape(escaped.substring(1), escaped.length() - 2, out);
        }
        Map<String, byte[]> result = new LinkedHashMap<>();
        files.forEach((k, v) -> result.put(k, v.toByteArray()));
        return result;
    }

    /**
     * Decodes the lines of {@code sed -n "s/^/|/;l 0"} (no file names: one stream, such as
     * nvidia-smi's output) into the text they stand for, one line each, decoded as UTF-8.
     */
    public static String text(List<String> lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String escaped : lines) {
            if (!escaped.startsWith("|") || !escaped.endsWith("$") || escaped.length() < 2) {
                throw new ParseException("not a sed listing line ('|...$'): " + HostSpec.printable(escaped));
            }
            unescape(escaped.substring(1), escaped.length() - 2, out);
            out.write('\n');
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    static void unescape(String s, int end, ByteArrayOutputStream out) {
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.write(c);
                continue;
            }
            if (i + 1 >= end) {
                throw new ParseException("dangling backslash in sed listing");
            }
            char n = s.charAt(++i);
            switch (n) {
                case '\\' -> out.write('\\');
                case 'a' -> out.write(7);
                case 'b' -> out.write(8);
                case 'f' -> out.write(12);
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case 'v' -> out.write(11);
                default -> {
                    if (i + 2 < end + 1 && isOctal(n) && isOctal(s.charAt(i + 1)) && isOctal(s.charAt(i + 2))) {
                        out.write(((n - '0') << 6) | ((s.charAt(i + 1) - '0') << 3) | (s.charAt(i + 2) - '0'));
                        i += 2;
                    } else {
                        throw new ParseException("unknown escape \\" + n + " in sed listing");
                    }
                }
            }
        }
    }

    private static boolean isOctal(char c) {
        return c >= '0' && c <= '7';
    }
}
