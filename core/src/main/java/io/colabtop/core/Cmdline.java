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
    /** Bytes of a command line decoded at most: {@link HostText} keeps 4096 chars, UTF-8 needs up to 4 bytes each. */
    public static final int MAX_BYTES = 4 * HostText.MAX_CHARS;

    private Cmdline() {}

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

    /**
     * What a process table shows: the arguments joined by spaces, exactly (control characters
     * included: {@link HostText} makes them visible when shown). An argv of one empty string
     * (a process that blanked its title) joins to "", which tables show as {@code [comm]}.
     */
    public static String display(byte[] raw) {
        return String.join(" ", arguments(raw.length > MAX_BYTES ? java.util.Arrays.copyOf(raw, MAX_BYTES) : raw));
    }

    private static String decode(byte[] raw, int off, int len) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
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
