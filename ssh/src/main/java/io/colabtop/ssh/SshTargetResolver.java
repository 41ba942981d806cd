package io.colabtop.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.client.config.hosts.ConfigFileHostEntryResolver;
import org.apache.sshd.client.config.hosts.HostConfigEntry;

/**
 * Turns a host spec into an {@link SshTarget}, honouring ~/.ssh/config (parsed by Apache MINA
 * sshd-common's HostConfigEntry, not by hand): Host aliases with HostName, Port, User,
 * IdentityFile, UserKnownHostsFile, StrictHostKeyChecking, ConnectTimeout, HostKeyAlias and one
 * ProxyJump hop. GCE conventions are added to the defaults: ~/.ssh/google_compute_engine (the key
 * gcloud compute ssh makes) and ~/.ssh/google_compute_known_hosts.
 */
public final class SshTargetResolver {
    private static final String[] DEFAULT_KEYS = {"id_ed25519", "id_ecdsa", "id_rsa", "google_compute_engine"};

    private final Path sshConfig;
    private final Path home;
    private final String localUser;
    private final Duration defaultConnectTimeout;

    public SshTargetResolver(Path sshConfig, Path home, String localUser, Duration defaultConnectTimeout) {
        this.sshConfig = sshConfig;
        this.home = home;
        this.localUser = localUser;
        this.defaultConnectTimeout = defaultConnectTimeout;
    }

    public SshTarget resolve(String spec) {
        return resolve(spec, 0);
    }

    private SshTarget resolve(String spec, int depth) {
        HostSpec hs = HostSpec.parse(spec);
        HostConfigEntry e = null;
        if (sshConfig != null && Files.isRegularFile(sshConfig)) {
            try {
                e = new ConfigFileHostEntryResolver(sshConfig).resolveEffectiveHost(hs.host(), hs.port(), null, hs.user(),
                        null, null);
            } catch (IOException | RuntimeException ex) {
                throw new IllegalArgumentException("cannot read " + sshConfig + ": " + ex.getMessage(), ex);
            }
        }
        String host = e != null && e.getHostName() != null ? e.getHostName() : hs.host();
        int port = hs.port() != 0 ? hs.port() : e != null && e.getPort() > 0 ? e.getPort() : 22;
        String user = hs.user() != null ? hs.user() : e != null && e.getUsername() != null ? e.getUsername() : localUser;
        // HostName and User from ssh_config are checked like typed input
        HostSpec.parse(user + "@" + (host.contains(":") ? "[" + host + "]" : host));

        List<Path> ids = new ArrayList<>();
        if (e != null && e.getIdentities() != null) {
            e.getIdentities().forEach(s -> ids.add(expand(s)));
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
        if (strict != null && (strict.equalsIgnoreCase("accept-new") || strict.equalsIgnoreCase("no")
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
        SshTarget jump = null;
        String pj = e == null ? null : e.getProxyJump();
        if (pj != null && !pj.isBlank() && !pj.equalsIgnoreCase("none")) {
            if (pj.contains(",")) {
                throw new IllegalArgumentException("ProxyJump with several hops (" + pj + ") is not supported; use one hop");
            }
            if (depth > 0) {
                throw new IllegalArgumentException("ProxyJump chains through " + pj + " are not supported; use one hop");
            }
            jump = resolve(pj.strip(), depth + 1);
        }
        return new SshTarget(spec, host, port, user, ids, known, append, policy, connectTimeout, alias, jump);
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
