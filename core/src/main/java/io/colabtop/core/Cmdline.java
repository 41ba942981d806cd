package io.colabtop.core;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /proc/PID/cmdline}: arguments separated (and ended) by NUL bytes, in whatever bytes the
 * process was given, which need not be UTF-8. This is the one parser that takes bytes, because
 * decoding first would lose the argument boundaries' meaning for invalid sequences.
 * Kernel threads and zombies have an empty cmdline.
 */
public final class Cmdline {
    private Cmdline() {
    }

    /** Arguments, each decoded as UTF-8 with U+FFFD for bytes that are not. */
    public static List<String> arguments(byte[] raw) {
        List<String> args = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == 0) {
                args.add(decode(raw, start, i - start));
                start = i + 1;
            }
        }
        if (start < raw.length) {
            // no trailing NUL: the process rewrote its argv (setproctitle), keep the rest
            args.add(decode(raw, start, raw.length - start));
        }
        return args;
    }

    /** What a process table shows: arguments joined by spaces, control characters made visible. */
    public static String display(byte[] raw) {
        StringBuilder sb = new StringBuilder();
        for (String arg : arguments(raw)) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            for (int i = 0; i < arg.length(); i++) {
                char c = arg.charAt(i);
                sb.append(Character.isISOControl(c) ? '?' : c);
            }
        }
        return sb.toString();
    }

    private static String decode(byte[] raw, int off, int len) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(raw, off, len));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException(e); // cannot happen with REPLACE
        }
    }
}
