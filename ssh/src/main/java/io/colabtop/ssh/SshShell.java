package io.colabtop.ssh;

import io.colabtop.core.HostException;
import io.colabtop.core.action.HostShell;
import io.colabtop.core.action.ShellResult;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;

/**
 * Runs an action script on a remote host over its own SSH connection. The script travels on
 * stdin to {@code sh -s}, so the only command line the login shell sees is a constant; values
 * never pass through a second layer of quoting. Output is read to its end but kept bounded
 * ({@link LocalProcess#readBounded}): a host that floods it costs colabtop at most ~1 MiB a stream.
 */
public final class SshShell implements HostShell {
    /** Root runs the script itself; anyone else goes through sudo -n, which fails rather than prompts. */
    static final String AS_ROOT =
            "exec /bin/sh -c 'if [ \"$(id -u)\" -eq 0 ]; then exec /bin/sh -s; fi; exec sudo -n /bin/sh -s'";

    /** The login user runs the script itself: reads that need no root. */
    static final String AS_USER = "exec /bin/sh -s";

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "colabtop-action-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final SshTarget target;
    private final Duration handshakeTimeout;

    public SshShell(SshTarget target, Duration handshakeTimeout) {
        this.target = target;
        this.handshakeTimeout = handshakeTimeout;
    }

    @Override
    public ShellResult runAsRoot(String script, Duration timeout) throws HostException {
        return runAsRoot(script, timeout, io.colabtop.core.action.ShellWatch.NONE);
    }

    /**
     * Cancelling closes the connection: the host's sshd ends the session, the script's relay dies
     * on its next heartbeat, and a swap worker sees it go and removes the partial file.
     */
    @Override
    public ShellResult runAsRoot(String script, Duration timeout, io.colabtop.core.action.ShellWatch watch)
            throws HostException {
        return run(AS_ROOT, script, timeout, watch);
    }

    /** As the login user, no sudo: for reads that need no privilege. */
    @Override
    public ShellResult runAsUser(String script, Duration timeout) throws HostException {
        return run(AS_USER, script, timeout, io.colabtop.core.action.ShellWatch.NONE);
    }

    private ShellResult run(String command, String script, Duration timeout, io.colabtop.core.action.ShellWatch watch)
            throws HostException {
        AtomicReference<SSHClient> client = new AtomicReference<>();
        AtomicBoolean timedOut = new AtomicBoolean();
        AtomicBoolean cancelled = new AtomicBoolean();
        ScheduledFuture<?> dog = WATCHDOG.schedule(
                () -> {
                    timedOut.set(true);
                    SshConnector.closeQuietly(client.get());
                },
                timeout.toMillis(),
                TimeUnit.MILLISECONDS);
        ScheduledFuture<?> canceller = watch == io.colabtop.core.action.ShellWatch.NONE
                ? null
                : WATCHDOG.scheduleWithFixedDelay(
                        () -> {
                            if (!cancelled.get() && watch.cancelled()) {
                                cancelled.set(true);
                                SshConnector.closeQuietly(client.get());
                            }
                        },
                        100,
                        100,
                        TimeUnit.MILLISECONDS);
        try (SshConnector.Connected c = SshConnector.connect(target, handshakeTimeout, client::set);
                Session s = c.ssh().startSession()) {
            Session.Command cmd = s.exec(command);
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(cmd.getErrorStream()));
            try (OutputStream in = cmd.getOutputStream()) {
                in.write(script.getBytes(StandardCharsets.UTF_8));
            }
            String out = drain(new ProgressTap(cmd.getInputStream(), watch));
            cmd.join(10, TimeUnit.SECONDS);
            Integer exit = cmd.getExitStatus();
            String stderr = err.get(10, TimeUnit.SECONDS);
            if (exit == null) {
                // no exit status: the connection went before the script ended, so its report is cut
                throw new HostException("the connection to " + target.address() + " closed before the action ended"
                        + " (a swap file being made is removed by the host; check anything else there)");
            }
            return LocalProcess.interpret(exit, out, stderr, target.address(), target.user());
        } catch (HostException e) {
            if (cancelled.get()) {
                throw cancelledOn();
            }
            throw timedOut.get()
                    ? new HostException(
                            "the action on " + target.address() + " did not finish within " + timeout.toSeconds()
                                    + " s",
                            e)
                    : e;
        } catch (Exception e) {
            if (cancelled.get()) {
                throw cancelledOn();
            }
            if (timedOut.get()) {
                throw new HostException(
                        "the action on " + target.address() + " did not finish within " + timeout.toSeconds()
                                + " s; the connection was closed (the host may still be working on it)",
                        e);
            }
            throw new HostException("the action on " + target.address() + " failed: " + HostException.describe(e), e);
        } finally {
            dog.cancel(false);
            if (canceller != null) {
                canceller.cancel(false);
            }
        }
    }

    private io.colabtop.core.action.ActionCancelledException cancelledOn() {
        return new io.colabtop.core.action.ActionCancelledException("cancelled: the connection to " + target.address()
                + " was closed (a swap file being made is removed by the host within a second)");
    }

    /** Reads to the end so the host is never blocked on a full channel, keeping a bounded part (see LocalProcess). */
    private static String drain(InputStream in) {
        return LocalProcess.readBounded(in);
    }
}
