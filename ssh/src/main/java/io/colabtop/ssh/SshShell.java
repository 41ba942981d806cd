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
        AtomicReference<SSHClient> client = new AtomicReference<>();
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> dog = WATCHDOG.schedule(
                () -> {
                    timedOut.set(true);
                    SshConnector.closeQuietly(client.get());
                },
                timeout.toMillis(),
                TimeUnit.MILLISECONDS);
        try (SshConnector.Connected c = SshConnector.connect(target, handshakeTimeout, client::set);
                Session s = c.ssh().startSession()) {
            Session.Command cmd = s.exec(AS_ROOT);
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(cmd.getErrorStream()));
            try (OutputStream in = cmd.getOutputStream()) {
                in.write(script.getBytes(StandardCharsets.UTF_8));
            }
            String out = drain(cmd.getInputStream());
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
            throw timedOut.get()
                    ? new HostException(
                            "the action on " + target.address() + " did not finish within " + timeout.toSeconds()
                                    + " s",
                            e)
                    : e;
        } catch (Exception e) {
            if (timedOut.get()) {
                throw new HostException(
                        "the action on " + target.address() + " did not finish within " + timeout.toSeconds()
                                + " s; the connection was closed (the host may still be working on it)",
                        e);
            }
            throw new HostException("the action on " + target.address() + " failed: " + HostException.describe(e), e);
        } finally {
            dog.cancel(false);
        }
    }

    /** Reads to the end so the host is never blocked on a full channel, keeping a bounded part (see LocalProcess). */
    private static String drain(InputStream in) {
        return LocalProcess.readBounded(in);
    }
}
