package io.colabtop.app.cli;

import io.colabtop.core.action.Progress;
import io.colabtop.core.action.ProgressRate;
import io.colabtop.core.action.ShellWatch;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Long work on the command line: on a terminal one line redrawn in place ({@code \r}) with a bar,
 * bytes, rate and time left; elsewhere (a pipe, a log, CI) a plain line when the phase changes and
 * every few seconds, so a log shows that something is happening without filling up. Ctrl-C sets
 * {@link #cancel()}: the running script is stopped and the host undoes.
 */
final class ProgressPrinter implements ShellWatch {
    /** How often a plain line is written when the output is not a terminal. */
    static final Duration PLAIN_EVERY = Duration.ofSeconds(5);

    private static final int BAR = 24;

    private final PrintWriter err;
    private final boolean terminal;
    private final boolean unicode;
    private final InstantSource clock;
    private final ProgressRate rate;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private Instant lastLine;
    private String lastPhase;
    private int drawn;

    ProgressPrinter(PrintWriter err, boolean terminal, boolean unicode, InstantSource clock) {
        this.err = err;
        this.terminal = terminal;
        this.unicode = unicode;
        this.clock = clock;
        this.rate = new ProgressRate(clock);
    }

    @Override
    public synchronized void progress(Progress p) {
        ProgressRate.Estimate e = rate.update(p);
        Instant now = clock.instant();
        if (terminal) {
            String line = "  " + bar(p.fraction()) + " " + e.describe();
            err.print("\r" + line + " ".repeat(Math.max(0, drawn - line.length())));
            drawn = line.length();
            err.flush();
        } else if (!p.phase().equals(lastPhase)
                || lastLine == null
                || Duration.between(lastLine, now).compareTo(PLAIN_EVERY) >= 0) {
            err.println("  progress: " + e.describe());
            err.flush();
            lastLine = now;
        }
        lastPhase = p.phase();
    }

    /** Ends the redrawn line, so what follows starts on a line of its own. */
    synchronized void finish() {
        if (terminal && drawn > 0) {
            err.println();
            err.flush();
            drawn = 0;
        }
    }

    private String bar(double fraction) {
        if (fraction < 0) {
            return "";
        }
        int full = (int) Math.round(fraction * BAR);
        char on = unicode ? '█' : '#';
        char off = unicode ? '░' : '-';
        return "[" + String.valueOf(on).repeat(full) + String.valueOf(off).repeat(BAR - full) + "]";
    }

    void cancel() {
        cancelled.set(true);
    }

    @Override
    public boolean cancelled() {
        return cancelled.get();
    }
}
