package io.colabtop.ssh;

import io.colabtop.core.action.Progress;
import io.colabtop.core.action.ShellWatch;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Passes a script's stdout through unchanged and hands each {@code colabtop-progress:} line to the
 * watch as it goes by. Only the start of a line is kept (a line longer than a progress line cannot
 * be one), so a host that prints one endless line costs nothing here.
 */
final class ProgressTap extends FilterInputStream {
    private static final int MAX_LINE = 128;
    private static final byte[] PREFIX = Progress.PREFIX.getBytes(StandardCharsets.US_ASCII);

    private final ShellWatch watch;
    private final byte[] line = new byte[MAX_LINE];
    private int len;
    private boolean tooLong;

    ProgressTap(InputStream in, ShellWatch watch) {
        super(in);
        this.watch = watch;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            see((byte) b);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int n) throws IOException {
        int r = super.read(b, off, n);
        for (int i = 0; i < r; i++) {
            see(b[off + i]);
        }
        return r;
    }

    private void see(byte b) {
        if (b == '\n') {
            if (!tooLong && len > PREFIX.length && startsWithPrefix()) {
                Progress p = Progress.parse(new String(line, 0, len, StandardCharsets.US_ASCII));
                if (p != null) {
                    try {
                        watch.progress(p);
                    } catch (RuntimeException e) {
                        // a watcher's fault must not break the reading of the script's report
                    }
                }
            }
            len = 0;
            tooLong = false;
        } else if (len < MAX_LINE) {
            line[len++] = b;
        } else {
            tooLong = true;
        }
    }

    private boolean startsWithPrefix() {
        for (int i = 0; i < PREFIX.length; i++) {
            if (line[i] != PREFIX[i]) {
                return false;
            }
        }
        return true;
    }
}
