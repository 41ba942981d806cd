package io.colabtop.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Where and how to reach one host, after the command line, colabtop's config and ssh_config
 * were combined. Every field was validated on the way in.
 *
 * @param name            what the table calls the host (the spec or alias the user wrote)
 * @param identities      private key files to try, in order
 * @param knownHosts      known_hosts files that may vouch for the host key
 * @param knownHostsAppend where an accepted key is recorded
 * @param hostKeyAlias    name the host key is filed under (HostKeyAlias; gcloud's compute.ID), or null
 * @param jump            the ProxyJump host, or null
 */
public record SshTarget(String name, String host, int port, String user, List<Path> identities, List<Path> knownHosts,
                        Path knownHostsAppend, KnownHostsVerifier.Policy policy, Duration connectTimeout,
                        String hostKeyAlias, SshTarget jump) {

    public SshTarget {
        identities = List.copyOf(identities);
        knownHosts = List.copyOf(knownHosts);
    }

    public SshTarget withPolicy(KnownHostsVerifier.Policy p) {
        return new SshTarget(name, host, port, user, identities, knownHosts, knownHostsAppend, p, connectTimeout,
                hostKeyAlias, jump == null ? null : jump.withPolicy(p));
    }

    public SshTarget withName(String n) {
        return new SshTarget(n, host, port, user, identities, knownHosts, knownHostsAppend, policy, connectTimeout,
                hostKeyAlias, jump);
    }

    public SshTarget withIdentities(List<Path> ids) {
        return new SshTarget(name, host, port, user, ids, knownHosts, knownHostsAppend, policy, connectTimeout,
                hostKeyAlias, jump);
    }

    /** user@host:port, for messages. */
    public String address() {
        return user + "@" + (host.contains(":") ? "[" + host + "]" : host) + (port == 22 ? "" : ":" + port);
    }
}
