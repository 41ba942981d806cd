package io.colabtop.app.config;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * colabtop's log, {@code $XDG_STATE_HOME/colabtop/colabtop.log}: appended (a crash's log must
 * survive the next start), rotated by size ({@code colabtop.log.1} … {@code .3}), mode 0600 in a
 * 0700 directory (it names hosts and errors). Every logger ends here: sshj's through slf4j-jdk14,
 * Google's client's through java.util.logging directly, and never the terminal, which the TUI owns.
 * JUL's own FileHandler truncates or numbers files by lock and makes them with the umask's mode;
 * this handler is the few lines that do what a log beside a TUI needs.
 */
public final class LogFile extends Handler {
    static final long MAX_BYTES = 1L << 20;
    static final int KEEP = 3;

    private final Path file;
    private final long maxBytes;
    private OutputStream out;
    private long size;

    LogFile(Path file, long maxBytes) throws IOException {
        this.file = file;
        this.maxBytes = maxBytes;
        open();
    }

    /** Sends every log record of this JVM to {@code paths.logFile()}; with no usable file, to nowhere. */
    public static void install(AppPaths paths, Level level) {
        Logger root = LogManager.getLogManager().getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h); // the default ConsoleHandler writes to stderr, under the TUI
        }
        root.setLevel(level);
        try {
            Path dir = paths.stateDir();
            Files.createDirectories(dir);
            try {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException | IOException ignored) {
                // not ours to change (a shared dir): the file itself is still 0600
            }
            root.addHandler(new LogFile(paths.logFile(), MAX_BYTES));
        } catch (IOException e) {
            // no log rather than a log on the terminal
        }
    }

    private void open() throws IOException {
        if (!Files.exists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        size = Files.size(file);
        out = Files.newOutputStream(file, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        if (size >= maxBytes) {
            rotate();
        }
    }

    private void rotate() throws IOException {
        out.close();
        for (int i = KEEP - 1; i >= 1; i--) {
            Path from = file.resolveSibling(file.getFileName() + "." + i);
            if (Files.exists(from)) {
                Files.move(
                        from,
                        file.resolveSibling(file.getFileName() + "." + (i + 1)),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        size = 0;
        out = Files.newOutputStream(file, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    /**
     * What sshj logs as SEVERE when a connection ends the way colabtop expects some to: a host key
     * not trusted, a host that went away, a connection colabtop closed (a timeout, a cancel). Each
     * comes with its own HostException that colabtop shows and logs once; at SEVERE, with stacks,
     * every poll of a down host, they would bury what is wrong. Samples:
     * {@code Dying because - Could not verify `ssh-ed25519` host key with fingerprint `35:92:...`},
     * {@code Disconnecting because none of the configured Host key verifiers ...},
     * {@code <<kex done>> woke to: net.schmizz.sshj.transport.TransportException: ...},
     * {@code Dying because - Broken transport; encountered EOF}.
     */
    static boolean expectedSshFailure(LogRecord r) {
        String logger = r.getLoggerName();
        String m = r.getMessage();
        if (logger == null || m == null || !logger.startsWith("net.schmizz.")) {
            return false;
        }
        return m.startsWith("Dying because")
                || m.startsWith("Disconnecting because")
                || m.contains("woke to: ")
                || m.contains("encountered EOF")
                || m.contains("Socket closed");
    }

    @Override
    public synchronized void publish(LogRecord r) {
        if (out == null || !isLoggable(r)) {
            return;
        }
        Level level = r.getLevel();
        Throwable thrown = r.getThrown();
        if (level.intValue() > Level.INFO.intValue() && expectedSshFailure(r)) {
            level = Level.INFO; // one plain line: colabtop reports the failure itself
            thrown = null;
        }
        StringBuilder sb = new StringBuilder();
        sb.append(Instant.ofEpochMilli(r.getMillis()))
                .append(' ')
                .append(level)
                .append(' ')
                .append(r.getLoggerName())
                .append(": ")
                .append(io.colabtop.core.SafeText.shown(format(r)))
                .append('\n');
        if (thrown != null) {
            java.io.StringWriter w = new java.io.StringWriter();
            thrown.printStackTrace(new java.io.PrintWriter(w));
            // line by line: an exception's message may quote a host
            w.toString()
                    .lines()
                    .forEach(l -> sb.append(io.colabtop.core.SafeText.shown(l)).append('\n'));
        }
        byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
        try {
            if (size + b.length > maxBytes && size > 0) {
                rotate();
            }
            out.write(b);
            out.flush();
            size += b.length;
        } catch (IOException e) {
            reportError(null, e, java.util.logging.ErrorManager.WRITE_FAILURE);
        }
    }

    private static String format(LogRecord r) {
        String m = r.getMessage() == null ? "" : r.getMessage();
        Object[] params = r.getParameters();
        if (params != null && params.length > 0 && m.contains("{0")) {
            try {
                return java.text.MessageFormat.format(m, params);
            } catch (IllegalArgumentException e) {
                return m;
            }
        }
        return m;
    }

    @Override
    public synchronized void flush() {
        try {
            if (out != null) {
                out.flush();
            }
        } catch (IOException ignored) {
            // nothing to tell
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        out = null;
    }
}
