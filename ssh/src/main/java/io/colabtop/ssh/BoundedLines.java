package io.colabtop.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a host's output line by line with a bound on each line, in bytes: a host that sends one
 * endless line (or a flood with no newline) costs colabtop at most {@code maxLineBytes} of memory
 * and a clear error, never an OutOfMemoryError. {@code BufferedReader.readLine} has no such bound.
 */
final class BoundedLines {
    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buf = new byte[8192];
    private int pos;
    private int len;
    private long bytesRead;

    BoundedLines(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** Total bytes consumed so far (line ends included). */
    long bytesRead() {
        return bytesRead;
    }

    /** The next line without its '\n' (a trailing '\r' is kept), decoded as UTF-8; null at end of stream. */
    String readLine() throws IOException {
        ByteArrayOutputStream line = null;
        while (true) {
            if (pos == len) {
                len = in.read(buf, 0, buf.length);
                pos = 0;
                if (len <= 0) {
                    len = 0;
                    if (line == null) {
                        return null;
                    }
                    return line.toString(StandardCharsets.UTF_8);
                }
            }
            int start = pos;
            while (pos < len && buf[pos] != '\n') {
                pos++;
            }
            int n = pos - start;
            if (line == null) {
                line = new ByteArrayOutputStream(Math.min(n + 16, 256));
            }
            if (line.size() + n > maxLineBytes) {
                throw new IOException("the host sent a line over " + maxLineBytes + " bytes; colabtop reads no more");
            }
            line.write(buf, start, n);
            bytesRead += n;
            if (pos < len) {
                pos++; // the '\n'
                bytesRead++;
                return line.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
