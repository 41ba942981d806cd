package io.colabtop.ssh;

import io.colabtop.core.HostException;
import io.colabtop.core.action.HostShell;
import io.colabtop.core.action.ShellResult;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs an action script on the machine colabtop runs on, as root or through sudo -n. */
public final class LocalProcess implements HostShell {
    private final java.util.Map<String, String> extraEnv;

    public LocalProcess() {
        this(java.util.Map.of());
    }

    /** With extra environment (tests put a gcsfuse stand-in first on PATH this way). */
    public LocalProcess(java.util.Map<String, String> extraEnv) {
        this.extraEnv = java.util.Map.copyOf(extraEnv);
    }

    @Override
    public ShellResult runAsRoot(String script, Duration timeout) throws HostException {
        return runAsRoot(script, timeout, io.colabtop.core.action.ShellWatch.NONE);
    }

    /** Cancelling ends the script's shell (SIGTERM, then SIGKILL): a swap worker sees it go and undoes. */
    @Override
    public ShellResult runAsRoot(String script, Duration timeout, io.colabtop.core.action.ShellWatch watch)
            throws HostException {
        return run(
                isRoot() ? List.of("/bin/sh", "-s") : List.of("sudo", "-n", "/bin/sh", "-s"), script, timeout, watch);
    }

    /** As colabtop's own user, no sudo: for reads that need no privilege. */
    @Override
    public ShellResult runAsUser(String script, Duration timeout) throws HostException {
        return run(List.of("/bin/sh", "-s"), script, timeout, io.colabtop.core.action.ShellWatch.NONE);
    }

    private ShellResult run(List<String> cmd, String script, Duration timeout, io.colabtop.core.action.ShellWatch watch)
            throws HostException {
        Process p = null;
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().putAll(extraEnv);
            p = pb.start();
            Process started = p;
            CompletableFuture<String> out =
                    CompletableFuture.supplyAsync(() -> read(new ProgressTap(started.getInputStream(), watch)));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(started.getErrorStream()));
            try (OutputStream in = p.getOutputStream()) {
                in.write(script.getBytes(StandardCharsets.UTF_8));
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!p.waitFor(100, TimeUnit.MILLISECONDS)) {
                if (watch.cancelled()) {
                    p.destroy();
                    if (!p.waitFor(5, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                    throw new io.colabtop.core.action.ActionCancelledException(
                            "cancelled: the script on this machine was stopped (a swap file being made is removed)");
                }
                if (System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new HostException(
                            "the action did not finish within " + timeout.toSeconds() + " s and was killed");
                }
            }
            return interpret(
                    p.exitValue(),
                    out.get(10, TimeUnit.SECONDS),
                    err.get(10, TimeUnit.SECONDS),
                    "this machine",
                    System.getProperty("user.name"));
        } catch (HostException e) {
            throw e;
        } catch (InterruptedException e) {
            // colabtop is shutting this work down: end the script as a cancel would (a swap worker undoes)
            p.destroy();
            Thread.currentThread().interrupt();
            throw new HostException("interrupted; the script was stopped", e);
        } catch (Exception e) {
            throw new HostException("cannot run the action: " + HostException.describe(e), e);
        }
    }

    static boolean isRoot() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("Uid:")) {
                    return l.substring(4).trim().split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException ignored) {
            // not Linux: fall through
        }
        return "root".equals(System.getProperty("user.name"));
    }

    /** Reads the script's report; a refused sudo becomes a message that says what is needed. */
    static ShellResult interpret(int exit, String out, String err, String where, String user) throws HostException {
        ShellResult r = ShellResult.parse(exit, out, err);
        boolean scriptRan = out.contains("colabtop-");
        if (!scriptRan && exit != 0 && err.contains("sudo")) {
            throw new HostException("this action needs root on " + where + ": log in as root or allow passwordless "
                    + "sudo for " + user + " (sudo -n said: "
                    + err.strip().lines().findFirst().orElse("") + ")");
        }
        return r;
    }

    private static String read(java.io.InputStream in) {
        return readBounded(in);
    }

    /** Bytes of an action's stdout (and of its stderr) kept from the beginning. */
    static final int KEEP_HEAD = 1 << 20;
    /** Bytes kept from the end, where a script's result and error lines are. */
    static final int KEEP_TAIL = 64 << 10;
    /** Starts the line put where output was cut, e.g. {@code colabtop-cut: 51380224 bytes not kept}. */
    public static final String CUT_MARK = "colabtop-cut: ";

    /**
     * Reads a stream to its end, keeping at most {@link #KEEP_HEAD} bytes from its beginning and
     * {@link #KEEP_TAIL} from its end: a host that floods output must not grow colabtop by
     * gigabytes, and must not block either, so everything is read and the middle dropped. The
     * dropped part is replaced by one {@link #CUT_MARK} line; the tail starts at a whole line.
     */
    static String readBounded(java.io.InputStream in) {
        java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
        byte[] ring = new byte[KEEP_TAIL];
        long total = 0;
        byte[] buf = new byte[64 << 10];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                int off = 0;
                if (head.size() < KEEP_HEAD) {
                    int take = Math.min(n, KEEP_HEAD - head.size());
                    head.write(buf, 0, take);
                    off = take;
                }
                for (int i = off; i < n; i++) {
                    ring[(int) ((total + i - KEEP_HEAD) % KEEP_TAIL)] = buf[i];
                }
                total += n;
            }
        } catch (IOException e) {
            // the stream broke (connection closed): what was read is what there is
        }
        byte[] first = head.toByteArray();
        long beyond = total - KEEP_HEAD;
        if (beyond <= 0) {
            return new String(first, StandardCharsets.UTF_8);
        }
        if (beyond <= KEEP_TAIL) { // nothing was lost: head and ring hold it all
            byte[] all = java.util.Arrays.copyOf(first, (int) total);
            for (int i = 0; i < beyond; i++) {
                all[KEEP_HEAD + i] = ring[i];
            }
            return new String(all, StandardCharsets.UTF_8);
        }
        // whole lines on both sides of the cut: a fragment such as "colabtop-result: acti" must not
        // be read as a line (unless the head is one huge line: then its start is what there is)
        int headEnd = first.length;
        while (headEnd > 0 && first[headEnd - 1] != '\n') {
            headEnd--;
        }
        String headText;
        if (headEnd == 0) {
            headText = new String(first, StandardCharsets.UTF_8) + "\n";
            headEnd = first.length;
        } else {
            headText = new String(first, 0, headEnd, StandardCharsets.UTF_8);
        }
        int kept = KEEP_TAIL;
        byte[] tail = new byte[kept];
        long from = beyond - kept; // index (counted past the head) of the first byte still in the ring
        for (int i = 0; i < kept; i++) {
            tail[i] = ring[(int) ((from + i) % KEEP_TAIL)];
        }
        int cut = 0;
        while (cut < kept && tail[cut] != '\n') {
            cut++;
        }
        cut = Math.min(kept, cut + 1);
        long dropped = total - headEnd - (kept - cut);
        return headText + CUT_MARK + dropped + " bytes not kept\n"
                + new String(tail, cut, kept - cut, StandardCharsets.UTF_8);
    }
}
