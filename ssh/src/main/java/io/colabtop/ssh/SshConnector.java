package io.colabtop.ssh;

import com.hierynomus.sshj.key.KeyAlgorithm;
import io.colabtop.core.HostException;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.connection.channel.direct.DirectConnection;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.method.AuthMethod;
import net.schmizz.sshj.userauth.method.AuthPublickey;

/**
 * Opens an authenticated sshj connection to a target, with the timeouts sshj lacks by default
 * (connect, socket read during the handshake, transport), TCP_NODELAY (a request/response over a
 * kept-open connection drops from ~48 ms to ~7 ms), no keep-alive thread, host keys verified against
 * known_hosts (host key algorithms ordered as OpenSSH orders them: the types on record first,
 * certificates first only where a CA is trusted), and one ProxyJump hop.
 */
public final class SshConnector {
    /** A connected client, and the jump client it rides on (closed together). */
    public record Connected(SSHClient ssh, SSHClient jump) implements AutoCloseable {
        @Override
        public void close() {
            closeQuietly(ssh);
            closeQuietly(jump);
        }
    }

    /** Host certificates asked for first: for a host an {@code @cert-authority} line covers. */
    private static final DefaultConfig CERTIFICATES_FIRST = newConfig(true);
    /**
     * Plain keys first, certificates last: a certificate no CA line vouches for is worth nothing, and
     * asking for it first would show a host whose plain key is on record as a stranger (OpenSSH
     * offers it, then falls back to the plain key inside; colabtop asks for the plain key directly).
     */
    private static final DefaultConfig PLAIN_KEYS_FIRST = newConfig(false);

    private SshConnector() {}

    private static DefaultConfig newConfig(boolean certificatesFirst) {
        DefaultConfig c = new DefaultConfig();
        // sshj's keep-alive is a thread per connection (100 hosts: 100 threads that only sleep). A
        // connection colabtop keeps open is used every poll, and a poll that gets no answer by its
        // deadline is aborted (the poller's watchdog calls RemoteSource.abort, which closes it), so a dead
        // peer is found as fast without it.
        // The provider stays the plain one; its thread is never started (interval 0, sshj's default).
        c.setKeepAliveProvider(KeepAliveProvider.HEARTBEAT);
        // KnownHostsVerifier checks a certificate against the @cert-authority line and the HostKeyAlias;
        // sshj's own check runs earlier, against the bare remote host, and fails with no reason for the user
        c.setVerifyHostKeyCertificates(false);
        List<Factory.Named<KeyAlgorithm>> certs = new ArrayList<>();
        List<Factory.Named<KeyAlgorithm>> plain = new ArrayList<>();
        for (Factory.Named<KeyAlgorithm> a : c.getKeyAlgorithms()) {
            (a.getName().endsWith("-cert-v01@openssh.com") ? certs : plain).add(a);
        }
        List<Factory.Named<KeyAlgorithm>> ordered = new ArrayList<>(certificatesFirst ? certs : plain);
        ordered.addAll(certificatesFirst ? plain : certs);
        c.setKeyAlgorithms(ordered);
        return c;
    }

    /**
     * @param handshakeTimeout bound on connect, key exchange and auth (sshj's default is forever)
     * @param onClient         receives each client as soon as it exists, so a watchdog can close it
     */
    public static Connected connect(
            SshTarget t, Duration handshakeTimeout, java.util.function.Consumer<SSHClient> onClient)
            throws HostException {
        SSHClient jump = null;
        if (t.jump() != null) {
            jump = open(t.jump(), null, handshakeTimeout, onClient).ssh();
        }
        try {
            return new Connected(open(t, jump, handshakeTimeout, onClient).ssh(), jump);
        } catch (HostException | RuntimeException e) {
            closeQuietly(jump);
            throw e;
        }
    }

    private static Connected open(
            SshTarget t, SSHClient via, Duration timeout, java.util.function.Consumer<SSHClient> onClient)
            throws HostException {
        KnownHostsVerifier verifier = new KnownHostsVerifier(
                t.knownHosts(), t.knownHostsAppend(), t.policy(), t.hostKeyAlias(), t.warnings());
        // the verifier also puts the key types known_hosts has for the host first (findExistingAlgorithms)
        SSHClient ssh =
                new SSHClient(verifier.trustsCertificates(t.host(), t.port()) ? CERTIFICATES_FIRST : PLAIN_KEYS_FIRST);
        onClient.accept(ssh);
        ssh.addHostKeyVerifier(verifier);
        int ms = (int) Math.min(
                Integer.MAX_VALUE,
                Math.min(timeout.toMillis(), t.connectTimeout().toMillis()));
        ssh.setConnectTimeout(ms);
        ssh.setTimeout((int) timeout.toMillis());
        ssh.getTransport().setTimeoutMs((int) timeout.toMillis());
        String where = t.address() + (via != null ? " via " + t.jump().address() : "");
        try {
            if (via != null) {
                DirectConnection dc = via.newDirectConnection(t.host(), t.port());
                ssh.connectVia(dc, t.host(), t.port());
            } else {
                ssh.connect(t.host(), t.port());
                Socket s = ssh.getSocket();
                s.setTcpNoDelay(true);
            }
        } catch (TransportException e) {
            closeQuietly(ssh);
            if (verifier.rejection() != null) {
                throw verifier.rejection();
            }
            throw new HostException("ssh handshake with " + where + " failed: " + HostException.describe(e), e);
        } catch (IOException e) {
            closeQuietly(ssh);
            throw new HostException("cannot connect to " + where + ": " + HostException.describe(e), e);
        }
        try {
            authenticate(ssh, t);
            if (via == null) {
                // the read timeout guarded the handshake; idle gaps between polls are normal, and a
                // silent peer is caught by the per-poll watchdog instead
                ssh.getSocket().setSoTimeout(0);
            }
            return new Connected(ssh, null);
        } catch (HostException e) {
            closeQuietly(ssh);
            throw e;
        } catch (IOException e) {
            closeQuietly(ssh);
            throw new HostException("ssh to " + where + " failed: " + HostException.describe(e), e);
        }
    }

    private static void authenticate(SSHClient ssh, SshTarget t) throws HostException, IOException {
        List<AuthMethod> methods = new ArrayList<>();
        List<String> tried = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        AgentAuth.forEnvironment().ifPresent(agent -> {
            methods.addAll(agent.methods());
            tried.add(
                    "ssh-agent (" + agent.keys().size() + " key" + (agent.keys().size() == 1 ? "" : "s") + ")");
        });
        for (Path id : t.identities()) {
            if (!Files.isReadable(id)) {
                continue;
            }
            try {
                KeyProvider kp = ssh.loadKeys(id.toString());
                kp.getPrivate(); // an encrypted key fails here, not half-way through auth
                methods.add(new AuthPublickey(kp));
                tried.add(id.getFileName().toString());
            } catch (IOException | RuntimeException e) {
                skipped.add(id.getFileName() + " ("
                        + (isPassphraseProblem(e)
                                ? "passphrase-protected: load it into ssh-agent (ssh-add) and set SSH_AUTH_SOCK"
                                : HostException.describe(e))
                        + ")");
            }
        }
        if (methods.isEmpty()) {
            throw new HostException("no usable SSH key for " + t.address() + ": "
                    + (skipped.isEmpty()
                            ? "none of " + names(t.identities()) + " exists and no ssh-agent holds a key"
                            : "skipped " + String.join(", ", skipped)));
        }
        try {
            ssh.auth(t.user(), methods);
        } catch (UserAuthException e) {
            throw new HostException(
                    "permission denied for " + t.address() + " (tried " + String.join(", ", tried)
                            + (skipped.isEmpty() ? "" : "; skipped " + String.join(", ", skipped)) + ")",
                    e);
        }
    }

    private static boolean isPassphraseProblem(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            String m = String.valueOf(c.getMessage()).toLowerCase();
            if (m.contains("passphrase")
                    || m.contains("password")
                    || m.contains("encrypted")
                    || m.contains("decrypt")) {
                return true;
            }
        }
        return false;
    }

    private static String names(List<Path> ps) {
        return String.join(
                ", ", ps.stream().map(p -> p.getFileName().toString()).toList());
    }

    static void closeQuietly(SSHClient c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException | RuntimeException ignored) {
                // already gone
            }
        }
    }
}
