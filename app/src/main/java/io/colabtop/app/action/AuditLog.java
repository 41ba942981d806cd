package io.colabtop.app.action;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Every action colabtop takes, one JSON object per line in {@code $XDG_STATE_HOME/colabtop/audit.log}:
 * what was asked, on which host, the commands shown, how it was confirmed, the outcome and how long
 * it took. Appended under a file lock, so two colabtops never interleave lines. Holds no secrets.
 */
public final class AuditLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Parses one line as one value: "{...} trailing" is not an entry. */
    private static final ObjectReader STRICT = JSON.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Path file;

    public AuditLog(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /**
     * A file lock is held per JVM, not per channel: a second channel locking the same file in this
     * JVM throws OverlappingFileLockException. So appends of every AuditLog here take turns.
     */
    private static final Object IN_THIS_JVM = new Object();

    public void append(ObjectNode entry) throws IOException {
        synchronized (IN_THIS_JVM) {
            appendLocked(entry);
        }
    }

    private void appendLocked(ObjectNode entry) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] line = (JSON.writeValueAsString(entry) + "\n").getBytes(StandardCharsets.UTF_8);
        boolean created = !Files.exists(file);
        try (FileChannel ch = FileChannel.open(
                        file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                FileLock ignored = ch.lock()) {
            ByteBuffer b = ByteBuffer.wrap(line);
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
        if (created) {
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not POSIX
            }
        }
    }

    public static ObjectNode entry() {
        return JSON.createObjectNode();
    }

    /** The last {@code n} entries, oldest first; unreadable lines are skipped (see {@link #read}). */
    public List<JsonNode> tail(int n) throws IOException {
        return read(n).entries();
    }

    /** A line longer than this is not an entry colabtop wrote (an entry is a few KiB): skipped unread. */
    static final int MAX_LINE = 1 << 20;
    /** How far back from the end {@link #read} looks: reading the audit log never costs more. */
    public static final long MAX_SCAN = 64L << 20;

    private static final int BLOCK = 64 << 10;

    /**
     * What {@link #read} found.
     *
     * @param entries the last entries, oldest first
     * @param skipped lines among those read that are not an entry: truncated or invalid JSON, bytes
     *                that are not UTF-8, a JSON value that is not an object, a line over {@link #MAX_LINE}
     * @param partial whether reading stopped at {@link #MAX_SCAN} before the start of the file
     */
    public record Tail(List<JsonNode> entries, int skipped, boolean partial) {}

    /**
     * The last {@code n} entries, read backwards from the end of the file in blocks, so memory and
     * time stay bounded whatever the file holds (a crash can cut a line; anything can be appended
     * to a file in a user's home). Blank lines are ignored; other unreadable lines are counted.
     */
    public Tail read(int n) throws IOException {
        if (n <= 0 || !Files.exists(file)) {
            return new Tail(List.of(), 0, false);
        }
        List<JsonNode> newestFirst = new ArrayList<>();
        int[] skipped = {0};
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long pos = ch.size();
            long floor = Math.max(0, pos - MAX_SCAN);
            byte[] carry = new byte[0]; // the end of a line whose start is further back
            boolean overlong = false; // the current line is past MAX_LINE: skip it whole
            ByteBuffer buf = ByteBuffer.allocate(BLOCK);
            while (pos > floor && newestFirst.size() < n) {
                int len = (int) Math.min(BLOCK, pos - floor);
                pos -= len;
                buf.clear().limit(len);
                while (buf.hasRemaining()) {
                    if (ch.read(buf, pos + buf.position()) < 0) {
                        throw new IOException(file + " shrank while being read");
                    }
                }
                byte[] block = buf.array();
                int end = len;
                for (int i = len - 1; i >= 0 && newestFirst.size() < n; i--) {
                    if (block[i] == '\n') {
                        if (!overlong) {
                            byte[] line = concat(block, i + 1, end, carry);
                            take(line, newestFirst, skipped);
                        } else {
                            skipped[0]++;
                        }
                        carry = new byte[0];
                        overlong = false;
                        end = i;
                    }
                }
                if (newestFirst.size() >= n) {
                    break;
                }
                if (!overlong) {
                    if (end + (long) carry.length > MAX_LINE) {
                        overlong = true;
                        carry = new byte[0];
                    } else {
                        carry = concat(block, 0, end, carry);
                    }
                }
            }
            if (newestFirst.size() < n && pos == 0) {
                if (overlong) {
                    skipped[0]++;
                } else {
                    take(carry, newestFirst, skipped);
                }
            }
            boolean partial = pos > 0 && pos == floor && newestFirst.size() < n;
            List<JsonNode> entries = new ArrayList<>(newestFirst);
            java.util.Collections.reverse(entries);
            return new Tail(entries, skipped[0], partial);
        }
    }

    private static byte[] concat(byte[] block, int from, int to, byte[] carry) {
        byte[] line = new byte[to - from + carry.length];
        System.arraycopy(block, from, line, 0, to - from);
        System.arraycopy(carry, 0, line, to - from, carry.length);
        return line;
    }

    /** One line: an entry if it is UTF-8 holding exactly one JSON object. */
    private static void take(byte[] line, List<JsonNode> into, int[] skipped) {
        if (line.length == 0) {
            return;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(line))
                    .toString();
        } catch (CharacterCodingException notUtf8) {
            skipped[0]++;
            return;
        }
        if (text.isBlank()) {
            return;
        }
        try {
            JsonNode node = STRICT.readTree(text);
            if (node != null && node.isObject()) {
                into.add(node);
                return;
            }
        } catch (IOException garbled) {
            // a line cut by a crash, or not JSON
        }
        skipped[0]++;
    }
}
