package io.colabtop.app.output;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * JSON that keeps every value exact and is still safe to print on a terminal: besides the C0
 * controls JSON always escapes, DEL, C1 controls (U+009B is CSI to some terminals, even in
 * UTF-8), Unicode format characters (bidi overrides and isolates, zero-width), line separators
 * and lone surrogates are written as {@code \\uXXXX}. A parser reads back the host's exact text;
 * {@code cat} of the output cannot recolour or reorder anything.
 */
public final class SafeJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** One line per value (JSON lines). */
    public static final ObjectWriter COMPACT = MAPPER.writer().with(new TerminalSafeEscapes());
    /** Indented, for a person. */
    public static final ObjectWriter PRETTY =
            MAPPER.writer().with(new TerminalSafeEscapes()).with(SerializationFeature.INDENT_OUTPUT);

    private SafeJson() {}

    private static final class TerminalSafeEscapes extends CharacterEscapes {
        private final int[] ascii;

        TerminalSafeEscapes() {
            ascii = standardAsciiEscapesForJSON();
            ascii[0x7f] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            int type = Character.getType(ch);
            if ((ch >= 0x80 && ch <= 0x9f)
                    || type == Character.FORMAT
                    || type == Character.SURROGATE
                    || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR) {
                return new SerializedString(String.format("\\u%04x", ch));
            }
            return null;
        }
    }
}
