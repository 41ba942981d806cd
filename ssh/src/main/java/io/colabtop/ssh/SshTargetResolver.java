package io.colabtop.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.sshd.client.config.hosts.HostConfigEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a host spec into an {@link SshTarget}, honouring ~/.ssh/config (parsed by Apache MINA
 * sshd-common's HostConfigEntry, with Match and Include handled by {@link SshConfigFile}): Host
 * aliases with HostName, Port, User, IdentityFile, UserKnownHostsFile, StrictHostKeyChecking,
 * ConnectTimeout, HostKeyAlias and one ProxyJump hop. A host colabtop cannot reach the way ssh
 * would (a ProxyCommand, several ProxyJump hops, a ProxyJump it cannot parse) is an error for that
 * host, never a direct connection instead. GCE conventions are added to the defaults:
 * ~/.ssh/google_compute_engine (the key gcloud compute ssh makes) and ~/.ssh/google_compute_known_hosts.
 */
public final class SshTargetResolver {
    private static final Logger LOG = LoggerFactory.getLogger(SshTargetResolver.class);
    private static final String[] DEFAULT_KEYS = {"id_ed25519", "id_ecdsa", "id_rsa", "google_compute_engine"};

    private final Path sshConfig;
    private final Path home;
    private final String localUser;
    private final Duration defaultConnectTimeout;
    private final Consumer<String> warnings;
    /** ssh_config and its Includes as read for this run: once, not once per host. */
    private final SshConfigFile.Reads reads = new SshConfigFile.Reads();

    public SshTargetResolver(Path sshConfig, Path home, String localUser, Duration defaultConnectTimeout) {
        this(sshConfig, home, localUser, defaultConnectTimeout, null);
    }

    /**
     * @param warnings told of what in the user's files colabtop skips or ignores (an unsupported
     *                 Match block here; a malformed known_hosts line when a target connects), or null
     *                 for the log only
     */
    public SshTargetResolver(
            Path sshConfig, Path home, String localUser, Duration defaultConnectTimeout, Consumer<String> warnings) {
        this.sshConfig = sshConfig;
        this.home = home;
        this.localUser = localUser;
        this.defaultConnectTimeout = defaultConnectTimeout;
        this.warnings = warnings != null ? warnings : LOG::warn;
    }

    public SshTarget resolve(String spec) {
        return resolve(spec, 0);
    }

    private SshTarget resolve(String spec, int depth) {
        HostSpec hs = HostSpec.parse(spec);
        HostConfigEntry e = null;
        if (sshConfig != null && Files.isRegularFile(sshConfig)) {
            try {
                e = SshConfigFile.effective(
                        reads, sshConfig, home.resolve(".ssh"), hs.host(), hs.user(), localUser, warnings);
            } catch (IOException | RuntimeException ex) {
                throw new IllegalArgumentException("cannot read " + sshConfig + ": " + ex.getMessage(), ex);
            }
        }
        // "HostName %h.corp.example": %h is the name given, as in OpenSSH
        String host = e != null && e.getHostName() != null && !e.getHostName().isBlank()
                ? e.getHostName().replace("%h", hs.host())
                : hs.host();
        int port = hs.port() != 0 ? hs.port() : e != null && e.getPort() > 0 ? e.getPort() : 22;
        String user =
                hs.user() != null ? hs.user() : e != null && e.getUsername() != null ? e.getUsername() : localUser;
        // HostName and User from ssh_config are checked like typed input
        HostSpec.parse(user + "@" + (host.contains(":") ? "[" + host + "]" : host));

        List<Path> ids = new ArrayList<>();
        if (e != null && e.getIdentities() != null) {
            for (String id : e.getIdentities()) {
                ids.add(identity(id, host, port, user));
            }
        }
        if (ids.isEmpty()) {
            for (String k : DEFAULT_KEYS) {
                ids.add(home.resolve(".ssh").resolve(k));
            }
        }
        List<Path> known = new ArrayList<>();
        String ukh = e == null ? null : e.getProperty("UserKnownHostsFile");
        if (ukh != null && !ukh.isBlank()) {
            for (String s : ukh.split("[,\\s]+")) {
                if (!s.isBlank() && !s.equalsIgnoreCase("none")) {
                    known.add(expand(s));
                }
            }
        }
        if (known.isEmpty()) {
            known.add(home.resolve(".ssh/known_hosts"));
            known.add(home.resolve(".ssh/google_compute_known_hosts"));
        }
        Path append = known.get(0);
        known.add(Path.of("/etc/ssh/ssh_known_hosts"));

        KnownHostsVerifier.Policy policy = KnownHostsVerifier.Policy.STRICT;
        String strict = e == null ? null : e.getProperty("StrictHostKeyChecking");
        if (strict != null
                && (strict.equalsIgnoreCase("accept-new")
                        || strict.equalsIgnoreCase("no")
                        || strict.equalsIgnoreCase("off"))) {
            // "no" would accept changed keys in OpenSSH; colabtop never does, so it means accept-new here
            policy = KnownHostsVerifier.Policy.ACCEPT_NEW;
        }
        Duration connectTimeout = defaultConnectTimeout;
        String ct = e == null ? null : e.getProperty("ConnectTimeout");
        if (ct != null) {
            try {
                connectTimeout = Duration.ofSeconds(Math.max(1, Integer.parseInt(ct.strip())));
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("ConnectTimeout '" + ct + "' in " + sshConfig + " is not a number");
            }
        }
        String alias = e == null ? null : e.getProperty("HostKeyAlias");
        String proxyCommand = e == null ? null : e.getProperty("ProxyCommand");
        if (proxyCommand != null
                && !proxyCommand.isBlank()
                && !proxyCommand.strip().equalsIgnoreCase("none")) {
            // MINA keeps the words of the command joined by ','
            throw new IllegalArgumentException(spec + ": " + sshConfig + " reaches it through a ProxyCommand ("
                    + HostSpec.printable(proxyCommand.replace(',', ' ')) + "), which colabtop cannot run; it will not "
                    + "connect directly instead. Use a ProxyJump host, or leave this host out");
        }
        SshTarget jump = null;
        String pj = e == null ? null : e.getProxyJump();
        if (pj != null && !pj.isBlank() && !pj.strip().equalsIgnoreCase("none")) {
            if (depth > 0) {
                throw new IllegalArgumentException(
                        "ProxyJump chains through " + HostSpec.printable(pj) + " are not supported; use one hop");
            }
            try {
                jump = resolve(jumpSpec(pj), depth + 1);
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(
                        spec + ": ProxyJump " + HostSpec.printable(pj.strip()) + " in " + sshConfig + ": "
                                + ex.getMessage() + " (colabtop will not connect directly instead)",
                        ex);
            }
        }
        return new SshTarget(spec, host, port, user, ids, known, append, policy, connectTimeout, alias, jump, warnings);
    }

    /**
     * One ProxyJump hop, as ssh_config(5) writes it: {@code [user@]host[:port]} or
     * {@code ssh://[user@]host[:port]}, turned into a host spec. Several hops ({@code a,b}) are
     * refused: colabtop connects through one bastion only.
     */
    static String jumpSpec(String proxyJump) {
        String v = proxyJump.strip();
        if (v.contains(",")) {
            throw new IllegalArgumentException("it has several hops; colabtop supports one");
        }
        if (v.regionMatches(true, 0, "ssh://", 0, 6)) {
            v = v.substring(6);
            if (v.endsWith("/")) {
                v = v.substring(0, v.length() - 1);
            }
        } else if (v.contains("://")) {
            throw new IllegalArgumentException("only ssh:// URIs name a jump host");
        }
        try {
            HostSpec.parse(v);
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(
                    "expected [user@]host[:port] or ssh://[user@]host[:port]; " + ex.getMessage());
        }
        return v;
    }

    /** An IdentityFile: ~ is colabtop's home, %d too; MINA expands the other tokens (%h %p %r %u %%). */
    private Path identity(String id, String host, int port, String user) {
        String s = expand(id.strip().replace("%d", home.toString())).toString();
        if (s.indexOf('%') >= 0) {
            try {
                s = HostConfigEntry.resolveIdentityFilePath(s, host, port, user);
            } catch (IOException | RuntimeException ex) {
                throw new IllegalArgumentException(
                        "IdentityFile " + HostSpec.printable(id) + " in " + sshConfig + ": " + ex.getMessage(), ex);
            }
        }
        return Path.of(s);
    }

    private Path expand(String s) {
        String t = s.strip();
        if (t.equals("~")) {
            return home;
        }
        if (t.startsWith("~/")) {
            return home.resolve(t.substring(2));
        }
        return Path.of(t);
    }
}
