package io.colabtop.ssh;

import io.colabtop.core.RawProbe;
import io.colabtop.core.oom.OomReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One running probe (probe.sh), reached through its stdin and stdout whatever carries them: an
 * SSH exec ({@link RemoteSource}) or a child /bin/sh of colabtop ({@link LocalSource}). Speaks
 * the frame protocol: waits for the hello line, then per tick writes {@code "SEQ"} or
 * {@code "SEQ p"} and reads from {@code @@ct:begin SEQ} to {@code @@ct:end SEQ}, within bounds a
 * hostile or broken host cannot push colabtop past. {@link #close} may come from another thread
 * (a watchdog) while a read is blocked: it closes the transport, which ends the read.
 */
final class ProbeLink {
    static final int MAX_FRAME_LINES = 200_000;
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

    private static final AtomicLong IN_FLIGHT = new AtomicLong();
    /** /etc/passwd (for user names) is asked for on the first frame and then every this many. */
    private static final int PASSWD_EVERY = 60;
    /** systemd-oomd's state (two short-lived processes on the host) is asked for every this many frames. */
    static final int OOMD_EVERY = 5;
    /**
     * Frames that ask for the kill log after /proc/vmstat's oom_kill moved: the next one and, in
     * case the logger had not written the kernel's report yet, the one after.
     */
    static final int KILL_LOG_FRAMES = 2;

    private final BoundedLines in;
    private final OutputStream out;
    private final Runnable transportClose;
    private final AtomicBoolean closed = new AtomicBoolean();
    private long seq;
    private long frames;
    private String passwd;
    private Long oomKills;
    private int killLogFrames = 1; // on connect
    private volatile String engine;

    /**
     * @param stdout         the probe's stdout
     * @param stdin          the probe's stdin
     * @param transportClose ends the transport so a blocked read returns (closes the socket, kills
     *                       the process); called once, from any thread
     */
    ProbeLink(InputStream stdout, OutputStream stdin, Runnable transportClose) {
        this.in = new BoundedLines(stdout, MAX_LINE_BYTES);
        this.out = stdin;
        this.transportClose = transportClose;
    }

    /**
     * Sends {@code preamble} (what the command that starts the probe reads first: the script for
     * the remote bootstrap, nothing locally) and reads the hello line.
     *
     * @return null when the probe said hello, else what came instead, printable, to say in an error
     */
    String handshake(byte[] preamble) throws IOException {
        if (preamble.length > 0) {
            out.write(preamble);
            out.flush();
        }
        String hello = in.readLine();
        if (hello != null && hello.startsWith(ProbeFrame.MARK + "hello ")) {
            // "@@ct:hello colabtop-probe 1 perl" from probe.pl, "@@ct:hello colabtop-probe 1" from probe.sh
            engine = hello.endsWith(" " + ProbeEngine.PERL_HELLO_WORD) ? "perl" : "sh";
            return null;
        }
        return hello == null ? "nothing" : "'" + HostSpec.printable(hello) + "'";
    }

    /** Which probe answered the handshake: "perl" or "sh"; null before it. */
    String engine() {
        return engine;
    }

    /**
     * One snapshot's raw texts; /etc/passwd from an earlier frame when this one did not carry it.
     * The kill log is asked for on the first frame and after the host's oom_kill counter moved (a
     * tick later: this frame is where the move is seen), oomd's state every {@link #OOMD_EVERY}.
     */
    RawProbe next() throws IOException {
        StringBuilder flags = new StringBuilder();
        if (passwd == null || frames % PASSWD_EVERY == 0) {
            flags.append('p');
        }
        if (frames % OOMD_EVERY == 0) {
            flags.append('o');
        }
        if (killLogFrames > 0) {
            flags.append('k');
            killLogFrames--;
        }
        List<String> frame = request(++seq, flags.toString());
        RawProbe raw = ProbeFrame.parse(frame, passwd);
        if (raw.passwd() != null) {
            passwd = raw.passwd();
        }
        Long kills = OomReport.oomKillCounter(raw.vmstat());
        if (kills != null && oomKills != null && !kills.equals(oomKills)) {
            killLogFrames = KILL_LOG_FRAMES;
        }
        if (kills != null) {
            oomKills = kills;
        }
        frames++;
        return raw;
    }

    List<String> request(long seq, boolean withPasswd) throws IOException {
        return request(seq, withPasswd ? "p" : "");
    }

    /** Sends "SEQ" or "SEQ FLAGS" (see probe.sh) and reads that frame. */
    List<String> request(long seq, String flags) throws IOException {
        out.write((seq + (flags.isEmpty() ? "" : " " + flags) + "\n").getBytes(StandardCharsets.US_ASCII));
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
                    throw new IOException(
                            "probe frame over " + (MAX_FRAME_BYTES >> 20) + " MiB; colabtop reads no more");
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
            throw new IOException("the probe stopped (its output ended)");
        } finally {
            IN_FLIGHT.addAndGet(-held);
        }
    }

    /** Ends the transport once; safe from any thread, also while {@link #next} is blocked. */
    void close() {
        if (closed.compareAndSet(false, true)) {
            transportClose.run();
        }
    }
}
