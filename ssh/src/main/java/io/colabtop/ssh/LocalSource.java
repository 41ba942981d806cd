package io.colabtop.ssh;

import io.colabtop.core.HostException;
import io.colabtop.core.HostSnapshot;
import io.colabtop.core.HostSource;
import io.colabtop.core.RawProbe;
import io.colabtop.core.SnapshotAssembler;
import io.colabtop.core.UserNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The machine colabtop runs on, as host {@code local}: read by the same probe as a remote host
 * (probe.sh), run by the local /bin/sh as a long-lived child that speaks the same frame protocol
 * ({@link ProbeLink}) and is parsed by the same code, so a local row and a remote row mean the
 * same by construction. The child is {@code /bin/sh -c SCRIPT colabtop-probe N}, the command line
 * the remote bootstrap ends in. A poll that hangs (a wedged nvidia-smi) is ended by {@link #abort}
 * from the watchdog, which kills the child and what it started; the next poll starts a new one.
 * {@link #close} does the same for good.
 */
public final class LocalSource implements HostSource {
    public static final String NAME = "local";

    private final int topProcesses;
    private final InstantSource clock;
    private final Map<String, String> extraEnv;
    private final String script;
    private final ProbeEngine engine;

    private volatile Child child;
    /** The last snapshot, whose kill log and oomd state carry over until read again. */
    private HostSnapshot previous;
    /** /etc/passwd's names as last parsed: again only when the host sends a different text. */
    private UserNames users;

    private volatile boolean closed;

    public LocalSource(int topProcesses, InstantSource clock) {
        this(topProcesses, clock, Map.of(), RemoteScript.script(), ProbeEngine.PERL_WHERE_PRESENT);
    }

    LocalSource(int topProcesses, InstantSource clock, Map<String, String> extraEnv, String script) {
        this(topProcesses, clock, extraEnv, script, ProbeEngine.SH);
    }

    /**
     * @param extraEnv added to the child's environment (tests put a stand-in nvidia-smi first on PATH)
     * @param script   the probe (tests give a hostile one)
     * @param engine   whether probe.sh is asked to start probe.pl where perl is
     */
    LocalSource(
            int topProcesses, InstantSource clock, Map<String, String> extraEnv, String script, ProbeEngine engine) {
        RemoteScript.checkTop(topProcesses);
        this.topProcesses = topProcesses;
        this.clock = clock;
        this.extraEnv = Map.copyOf(extraEnv);
        this.script = script;
        this.engine = engine;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public synchronized HostSnapshot poll() throws HostException {
        if (closed) {
            throw new HostException("closed");
        }
        Child c = child;
        if (c == null) {
            c = start();
        }
        try {
            RawProbe raw = c.probe.next();
            users = UserNames.parse(raw.passwd(), users);
            HostSnapshot s = SnapshotAssembler.assemble(NAME, clock.instant(), raw, previous, users);
            previous = s;
            return s;
        } catch (IOException | RuntimeException e) {
            drop(c);
            throw new HostException(
                    closed ? "closed" : "the probe on this machine stopped: " + HostException.describe(e), e);
        }
    }

    private Child start() throws HostException {
        Process p;
        try {
            List<String> cmd = new java.util.ArrayList<>(
                    List.of("/bin/sh", "-c", script, "colabtop-probe", Integer.toString(topProcesses)));
            if (engine != ProbeEngine.SH) {
                cmd.add("perl");
            }
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().putAll(extraEnv);
            p = pb.start();
        } catch (IOException e) {
            throw new HostException(
                    "cannot start /bin/sh for the probe on this machine: " + HostException.describe(e), e);
        }
        Child c = new Child(p);
        child = c; // from here on abort() and close() reach it
        try {
            if (closed) {
                throw new IOException("closed");
            }
            String wrong = c.probe.handshake(RemoteScript.localPreamble(engine));
            if (wrong != null) {
                String err = c.stderrOnceEnded();
                c.probe.close();
                throw new HostException("the probe did not start on this machine (got " + wrong
                        + (err.isEmpty() ? "" : ", stderr: " + HostSpec.printable(err)) + ")");
            }
            return c;
        } catch (IOException | HostException e) {
            drop(c);
            if (e instanceof HostException h) {
                throw h;
            }
            throw new HostException(
                    closed ? "closed" : "the probe on this machine did not start: " + HostException.describe(e), e);
        }
    }

    private void drop(Child c) {
        if (child == c) {
            child = null;
        }
        c.probe.close();
    }

    /** Which probe answers ("perl" or "sh"), null before the first poll (for tests and the bench). */
    String engineInUse() {
        Child c = child;
        return c == null ? null : c.probe.engine();
    }

    /** The running child's pid, or -1 (for tests). */
    long pid() {
        Child c = child;
        return c == null ? -1 : c.process.pid();
    }

    /** The names in use (for tests: the same object tick after tick while /etc/passwd is unchanged). */
    UserNames usersInUse() {
        return users;
    }

    @Override
    public void abort() {
        Child c = child;
        if (c != null) {
            c.probe.close();
        }
    }

    @Override
    public void close() {
        closed = true;
        abort();
    }

    /** The probe's process and the link to it. */
    private static final class Child {
        final Process process;
        final ProbeLink probe;

        Child(Process process) {
            this.process = process;
            this.probe = new ProbeLink(process.getInputStream(), process.getOutputStream(), this::kill);
        }

        /**
         * Kills the shell and everything it started (sed, sort, nvidia-smi...): a read blocked on
         * the child's stdout returns only when no process holds the pipe any more. The list is
         * taken first, since the children of a dead shell are no longer its descendants.
         */
        private void kill() {
            List<ProcessHandle> started = process.descendants().toList();
            process.destroyForcibly();
            started.forEach(ProcessHandle::destroyForcibly);
            try {
                process.getOutputStream().close();
            } catch (IOException ignored) {
                // a dead child's stdin: closing anyway
            }
        }

        /**
         * What the shell said on stderr (a syntax error), at most 500 bytes, once it has ended
         * (within a second: one that lives on is killed without being heard, as reading its
         * stderr could block). Before the kill: that closes the streams.
         */
        String stderrOnceEnded() {
            try {
                if (!process.waitFor(1, TimeUnit.SECONDS)) {
                    return "";
                }
                return new String(process.getErrorStream().readNBytes(500), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                return "";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "";
            }
        }
    }
}
