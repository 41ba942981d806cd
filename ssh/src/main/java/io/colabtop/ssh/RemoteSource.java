package io.colabtop.ssh;

import io.colabtop.core.HostException;
import io.colabtop.core.HostSnapshot;
import io.colabtop.core.HostSource;
import io.colabtop.core.RawProbe;
import io.colabtop.core.SnapshotAssembler;
import io.colabtop.core.UserNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;

/**
 * A remote host read over one kept-open SSH connection: the probe runs as one long-lived exec
 * (started by {@link RemoteScript}'s constant command, the script sent on its stdin) and answers a
 * framed snapshot per request ({@link ProbeLink}), so a tick is one round trip and no login shell.
 * After a failure the connection is dropped and rebuilt on a later poll, with backoff
 * (0, 2, 4 … up to {@code maxBackoff}) so a dead host is not hammered. Polls come from one
 * thread at a time; {@link #abort} may come from the watchdog thread.
 */
public final class RemoteSource implements HostSource {
    private final SshTarget target;
    private final int topProcesses;
    private final Duration handshakeTimeout;
    private final Duration maxBackoff;
    private final InstantSource clock;
    private final ProbeEngine engine;

    private volatile Link link;
    private volatile SSHClient connecting;
    private volatile boolean closed;
    private int failures;
    private Instant retryAt;
    private String lastError;
    /** The last snapshot, whose kill log and oomd state carry over until read again. */
    private HostSnapshot previous;
    /** /etc/passwd's names as last parsed: again only when the host sends a different text. */
    private UserNames users;

    public RemoteSource(
            SshTarget target, int topProcesses, Duration handshakeTimeout, Duration maxBackoff, InstantSource clock) {
        this(target, topProcesses, handshakeTimeout, maxBackoff, clock, ProbeEngine.PERL_WHERE_PRESENT);
    }

    /** @param engine whether probe.sh is asked to start probe.pl where the host has perl */
    public RemoteSource(
            SshTarget target,
            int topProcesses,
            Duration handshakeTimeout,
            Duration maxBackoff,
            InstantSource clock,
            ProbeEngine engine) {
        this.engine = engine;
        this.target = target;
        this.topProcesses = topProcesses;
        this.handshakeTimeout = handshakeTimeout;
        this.maxBackoff = maxBackoff;
        this.clock = clock;
        RemoteScript.command(topProcesses); // range check now, not at the first poll
    }

    @Override
    public String name() {
        return target.name();
    }

    public SshTarget target() {
        return target;
    }

    /** Forget the backoff: the next poll connects at once (after a host key was accepted, say). */
    public synchronized void retryNow() {
        retryAt = null;
    }

    @Override
    public synchronized HostSnapshot poll() throws HostException {
        if (closed) {
            throw new HostException("closed");
        }
        Link l = link;
        if (l == null) {
            Instant now = clock.instant();
            if (retryAt != null && now.isBefore(retryAt)) {
                throw new HostException(lastError + " (retry in "
                        + Math.max(1, Duration.between(now, retryAt).toSeconds()) + " s)");
            }
            try {
                l = Link.open(target, topProcesses, engine, handshakeTimeout, c -> connecting = c);
                link = l;
            } catch (HostException e) {
                fail(e.getMessage());
                throw e;
            } finally {
                connecting = null;
            }
        }
        try {
            RawProbe raw = l.probe.next();
            failures = 0;
            retryAt = null;
            users = UserNames.parse(raw.passwd(), users);
            HostSnapshot s = SnapshotAssembler.assemble(target.name(), clock.instant(), raw, previous, users);
            previous = s;
            return s;
        } catch (IOException | RuntimeException e) {
            drop(l);
            String why =
                    closed ? "closed" : "connection to " + target.address() + " lost: " + HostException.describe(e);
            fail(why);
            throw new HostException(why, e);
        }
    }

    private void fail(String why) {
        failures++;
        lastError = why;
        long s = failures <= 1 ? 0 : Math.min(maxBackoff.toSeconds(), 1L << Math.min(20, failures - 1));
        retryAt = clock.instant().plusSeconds(s);
    }

    private void drop(Link l) {
        if (link == l) {
            link = null;
        }
        l.close();
    }

    /** Which probe answers on the host ("perl" or "sh"), null while not connected (for tests and the bench). */
    public String engineInUse() {
        Link l = link;
        return l == null ? null : l.probe.engine();
    }

    /** The names in use (for tests: the same object tick after tick while /etc/passwd is unchanged). */
    UserNames usersInUse() {
        return users;
    }

    @Override
    public void abort() {
        Link l = link;
        if (l != null) {
            l.close();
        }
        SshConnector.closeQuietly(connecting);
    }

    @Override
    public void close() {
        closed = true;
        abort();
    }

    /** One open connection with the probe running on it. */
    private static final class Link {
        private final SshConnector.Connected conn;
        private final Session session;
        private final Session.Command command;
        private final ProbeLink probe;

        private Link(SshConnector.Connected conn, Session session, Session.Command command) {
            this.conn = conn;
            this.session = session;
            this.command = command;
            this.probe = new ProbeLink(command.getInputStream(), command.getOutputStream(), this::closeTransport);
        }

        static Link open(
                SshTarget t,
                int top,
                ProbeEngine engine,
                Duration timeout,
                java.util.function.Consumer<SSHClient> onClient)
                throws HostException {
            SshConnector.Connected c = SshConnector.connect(t, timeout, onClient);
            try {
                Session s = c.ssh().startSession();
                Session.Command cmd = s.exec(RemoteScript.command(top, engine));
                Link l = new Link(c, s, cmd);
                String wrong = l.probe.handshake(RemoteScript.stdin(engine));
                if (wrong != null) {
                    String err = new String(cmd.getErrorStream().readNBytes(500), StandardCharsets.UTF_8).strip();
                    l.close();
                    throw new HostException("the probe did not start on " + t.address() + " (got " + wrong
                            + (err.isEmpty() ? "" : ", stderr: " + HostSpec.printable(err)) + "); is /bin/sh there?");
                }
                return l;
            } catch (IOException e) {
                c.close();
                throw new HostException(
                        "cannot start the probe on " + t.address() + ": " + HostException.describe(e), e);
            }
        }

        void close() {
            probe.close();
        }

        private void closeTransport() {
            // the socket first: closing the channel first waits for the peer's CLOSE, which a
            // frozen host never sends (seen: 30 s)
            conn.close();
            try {
                command.close();
            } catch (IOException | RuntimeException ignored) {
                // closing anyway
            }
            try {
                session.close();
            } catch (IOException | RuntimeException ignored) {
                // closing anyway
            }
        }
    }
}
