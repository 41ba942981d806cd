package io.colabtop.ssh;

import io.colabtop.core.HostException;
import io.colabtop.core.HostSnapshot;
import io.colabtop.core.HostSource;
import io.colabtop.core.RawProbe;
import io.colabtop.core.SnapshotAssembler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;

/**
 * A remote host read over one kept-open SSH connection: the probe runs as one long-lived exec
 * and answers a framed snapshot per request, so a tick is one round trip and no login shell.
 * After a failure the connection is dropped and rebuilt on a later poll, with backoff
 * (0, 2, 4 … up to {@code maxBackoff}) so a dead host is not hammered. Polls come from one
 * thread at a time; {@link #abort} may come from the watchdog thread.
 */
public final class RemoteSource implements HostSource {
    private static final int MAX_FRAME_LINES = 200_000;
    /**
     * Bounds on what one frame may cost colabtop. A normal frame is 20-80 KiB; the probe cuts
     * command lines on the host, so only a broken or hostile host comes near these.
     */
    static final int MAX_LINE_BYTES = 1 << 20;
    static final long MAX_FRAME_BYTES = 8L << 20;
    /**
     * Bytes all frames being read at once may hold together: the per-frame bound times 64 pool
     * threads would be more than colabtop's whole heap, so a fleet of flooding hosts is refused
     * here, host by host, instead of ending colabtop with an OutOfMemoryError.
     */
    static final long MAX_BYTES_IN_FLIGHT = 48L << 20;
    private static final java.util.concurrent.atomic.AtomicLong IN_FLIGHT = new java.util.concurrent.atomic.AtomicLong();

    private final SshTarget target;
    private final int topProcesses;
    private final Duration handshakeTimeout;
    private final Duration maxBackoff;
    private final InstantSource clock;

    private volatile Link link;
    private volatile SSHClient connecting;
    private volatile boolean closed;
    private int failures;
    private Instant retryAt;
    private String lastError;
    private String passwd;
    private long seq;
    private volatile long pollsSinceConnect;

    public RemoteSource(SshTarget target, int topProcesses, Duration handshakeTimeout, Duration maxBackoff,
                        InstantSource clock) {
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
                throw new HostException(lastError + " (retry in " + Math.max(1, Duration.between(now, retryAt).toSeconds()) + " s)");
            }
            try {
                l = Link.open(target, topProcesses, handshakeTimeout, c -> connecting = c);
                link = l;
                pollsSinceConnect = 0;
            } catch (HostException e) {
                fail(e.getMessage());
                throw e;
            } finally {
                connecting = null;
            }
        }
        try {
            boolean wantPasswd = passwd == null || pollsSinceConnect % 60 == 0;
            List<String> frame = l.request(++seq, wantPasswd);
            RawProbe raw = ProbeFrame.parse(frame, passwd);
            if (raw.passwd() != null) {
                passwd = raw.passwd();
            }
            pollsSinceConnect++;
            failures = 0;
            retryAt = null;
            return SnapshotAssembler.assemble(target.name(), clock.instant(), raw);
        } catch (IOException | RuntimeException e) {
            drop(l);
            String why = closed ? "closed" : "connection to " + target.address() + " lost: " + HostException.describe(e);
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
        private final BoundedLines in;
        private final OutputStream out;

        private Link(SshConnector.Connected conn, Session session, Session.Command command) {
            this.conn = conn;
            this.session = session;
            this.command = command;
            this.in = new BoundedLines(command.getInputStream(), MAX_LINE_BYTES);
            this.out = command.getOutputStream();
        }

        static Link open(SshTarget t, int top, Duration timeout, java.util.function.Consumer<SSHClient> onClient)
                throws HostException {
            SshConnector.Connected c = SshConnector.connect(t, timeout, onClient);
            try {
                Session s = c.ssh().startSession();
                Session.Command cmd = s.exec(RemoteScript.command(top));
                Link l = new Link(c, s, cmd);
                String hello = l.in.readLine();
                if (hello == null || !hello.startsWith(ProbeFrame.MARK + "hello ")) {
                    String err = new String(cmd.getErrorStream().readNBytes(500), StandardCharsets.UTF_8).strip();
                    l.close();
                    throw new HostException("the probe did not start on " + t.address() + " (got "
                            + (hello == null ? "nothing" : "'" + HostSpec.printable(hello) + "'")
                            + (err.isEmpty() ? "" : ", stderr: " + HostSpec.printable(err)) + "); is /bin/sh there?");
                }
                return l;
            } catch (IOException e) {
                c.close();
                throw new HostException("cannot start the probe on " + t.address() + ": " + HostException.describe(e), e);
            }
        }

        List<String> request(long seq, boolean withPasswd) throws IOException {
            out.write((seq + (withPasswd ? " p" : "") + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String begin = ProbeFrame.MARK + "begin " + seq;
            String end = ProbeFrame.MARK + "end " + seq;
            List<String> lines = new ArrayList<>();
            String line;
            boolean started = false;
            long before = in.bytesRead();
            long held = 0;
            try {
                while ((line = in.readLine()) != null) {
                    long frame = in.bytesRead() - before;
                    if (frame > MAX_FRAME_BYTES) {
                        throw new IOException("probe frame over " + (MAX_FRAME_BYTES >> 20) + " MiB; colabtop reads no more");
                    }
                    long more = frame - held;
                    held = frame;
                    if (IN_FLIGHT.addAndGet(more) > MAX_BYTES_IN_FLIGHT) {
                        throw new IOException("frames being read hold over " + (MAX_BYTES_IN_FLIGHT >> 20)
                                + " MiB together (hosts flooding?); this one was dropped");
                    }
                    if (!started) {
                        started = line.equals(begin); // skip leftovers of an earlier, aborted frame
                        if (started) {
                            lines.add(line);
                        }
                        continue;
                    }
                    lines.add(line);
                    if (line.equals(end)) {
                        return lines;
                    }
                    if (lines.size() > MAX_FRAME_LINES) {
                        throw new IOException("probe frame over " + MAX_FRAME_LINES + " lines");
                    }
                }
                throw new IOException("the probe stopped (connection closed)");
            } finally {
                IN_FLIGHT.addAndGet(-held);
            }
        }

        void close() {
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
