package io.colabtop.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

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
 * @param warnings        where problems with the user's files found while connecting go (a known_hosts
 *                        line skipped), or null for the log only
 */
public record SshTarget(
        String name,
        String host,
        int port,
        String user,
        List<Path> identities,
        List<Path> knownHosts,
        Path knownHostsAppend,
        KnownHostsVerifier.Policy policy,
        Duration connectTimeout,
        String hostKeyAlias,
        SshTarget jump,
        Consumer<String> warnings) {

    public SshTarget {
        identities = List.copyOf(identities);
        knownHosts = List.copyOf(knownHosts);
    }

    /** A target whose warnings only go to the log. */
    public SshTarget(
            String name,
            String host,
            int port,
            String user,
            List<Path> identities,
            List<Path> knownHosts,
            Path knownHostsAppend,
            KnownHostsVerifier.Policy policy,
            Duration connectTimeout,
            String hostKeyAlias,
            SshTarget jump) {
        this(
                name,
                host,
                port,
                user,
                identities,
                knownHosts,
                knownHostsAppend,
                policy,
                connectTimeout,
                hostKeyAlias,
                jump,
                null);
    }

    public SshTarget withPolicy(KnownHostsVerifier.Policy p) {
        return new SshTarget(
                name,
                host,
                port,
                user,
                identities,
                knownHosts,
                knownHostsAppend,
                p,
                connectTimeout,
                hostKeyAlias,
                jump == null ? null : jump.withPolicy(p),
                warnings);
    }

    public SshTarget withName(String n) {
        return new SshTarget(
                n,
                host,
                port,
                user,
                identities,
                knownHosts,
                knownHostsAppend,
                policy,
                connectTimeout,
                hostKeyAlias,
                jump,
                warnings);
    }

    public SshTarget withIdentities(List<Path> ids) {
        return new SshTarget(
                name,
                host,
                port,
                user,
                ids,
                knownHosts,
                knownHostsAppend,
                policy,
                connectTimeout,
                hostKeyAlias,
                jump,
                warnings);
    }

    /** The name the host key is filed under (gcloud's compute.ID for a VM found by discovery). */
    public SshTarget withHostKeyAlias(String alias) {
        return new SshTarget(
                name,
                host,
                port,
                user,
                identities,
                knownHosts,
                knownHostsAppend,
                policy,
                connectTimeout,
                alias,
                jump,
                warnings);
    }

    /** user@host:port, for messages. */
    public String address() {
        return user + "@" + (host.contains(":") ? "[" + host + "]" : host) + (port == 22 ? "" : ":" + port);
    }
}
