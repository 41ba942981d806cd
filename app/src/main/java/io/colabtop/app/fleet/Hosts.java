package io.colabtop.app.fleet;

import io.colabtop.app.config.AppPaths;
import io.colabtop.core.HostSource;
import io.colabtop.core.action.HostShell;
import io.colabtop.core.cost.VmInfo;
import io.colabtop.ssh.ConfigWarnings;
import io.colabtop.ssh.HostKeyException;
import io.colabtop.ssh.KnownHostsVerifier;
import io.colabtop.ssh.LocalProcess;
import io.colabtop.ssh.LocalSource;
import io.colabtop.ssh.RemoteSource;
import io.colabtop.ssh.SshShell;
import io.colabtop.ssh.SshTarget;
import io.colabtop.ssh.SshTargetResolver;
import java.io.IOException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place that turns a host into what reads it (a {@link HostSource}) and what acts on it
 * (a {@link HostShell}): {@code local}, {@code user@host[:port]}, an ssh_config alias, or a GCE VM
 * found by discovery. ssh_config is read here once, and every time-out comes from {@link Timeouts}.
 */
public final class Hosts {
    /** The host name that means the machine colabtop runs on. */
    public static final String LOCAL = LocalSource.NAME;

    private final SshTargetResolver resolver;
    private final Timeouts timeouts;
    private final int topProcesses;
    private final InstantSource clock;
    private final Path home;

    public Hosts(SshTargetResolver resolver, Timeouts timeouts, int topProcesses, InstantSource clock, Path home) {
        this.resolver = resolver;
        this.timeouts = timeouts;
        this.topProcesses = topProcesses;
        this.clock = clock;
        this.home = home;
    }

    /** With ssh_config at {@code sshConfig} (missing: none), warnings about it to {@code warnings}. */
    public static Hosts open(
            Path sshConfig,
            AppPaths paths,
            Timeouts timeouts,
            int topProcesses,
            InstantSource clock,
            ConfigWarnings warnings) {
        return new Hosts(
                new SshTargetResolver(
                        sshConfig, paths.home(), System.getProperty("user.name"), timeouts.connect(), warnings),
                timeouts,
                topProcesses,
                clock,
                paths.home());
    }

    public Timeouts timeouts() {
        return timeouts;
    }

    /**
     * What reads the host named {@code name}, reached as {@code target}.
     *
     * @param identity a key tried before ssh_config's and the defaults, or null
     * @throws IllegalArgumentException when the target or its ssh_config entry is not usable (says why)
     */
    public HostSource source(String name, String target, String identity, boolean acceptNew) {
        if (target.equals(LOCAL)) {
            return new LocalSource(topProcesses, clock);
        }
        SshTarget t = resolver.resolve(target).withName(name);
        if (identity != null && !identity.isBlank()) {
            List<Path> ids = new ArrayList<>();
            ids.add(expand(identity, home));
            ids.addAll(t.identities());
            t = t.withIdentities(ids);
        }
        if (acceptNew) {
            t = t.withPolicy(KnownHostsVerifier.Policy.ACCEPT_NEW);
        }
        return new RemoteSource(t, topProcesses, timeouts.poll(), timeouts.maxBackoff(), clock);
    }

    /**
     * What reads a VM found through the Compute API, named {@code NAME.ZONE.PROJECT}: through a
     * {@code Host NAME.ZONE.PROJECT} entry of ssh_config when there is one ({@code gcloud compute
     * config-ssh}), else at its IP, with its host key checked under gcloud's {@code compute.ID}.
     *
     * @throws IllegalArgumentException when the VM cannot be reached (no IP), saying why
     */
    public HostSource vm(VmInfo v, boolean internalIp) {
        SshTarget alias = resolver.resolve(v.hostName());
        boolean configured = !alias.host().equals(v.hostName());
        String ip = internalIp ? v.internalIp() : v.externalIp();
        SshTarget t;
        if (configured) {
            t = alias.withName(v.hostName());
        } else if (ip != null) {
            t = resolver.resolve(ip).withName(v.hostName());
        } else {
            throw new IllegalArgumentException(v.name() + " has no " + (internalIp ? "internal" : "external") + " IP"
                    + (internalIp ? "" : " (try --internal-ip)"));
        }
        if (t.hostKeyAlias() == null) {
            t = t.withHostKeyAlias(v.hostKeyAlias());
        }
        return new RemoteSource(t, topProcesses, timeouts.poll(), timeouts.maxBackoff(), clock);
    }

    /** What acts on the host given as on the command line ({@code local}, user@host, an alias). */
    public HostShell shell(String target) {
        return target.equals(LOCAL) ? new LocalProcess() : new SshShell(resolver.resolve(target), timeouts.action());
    }

    /** What acts on the host a source reads, or null when colabtop cannot act on it. */
    public HostShell shellOf(HostSource s) {
        if (s instanceof RemoteSource r) {
            return new SshShell(r.target(), timeouts.action());
        }
        if (s instanceof LocalSource) {
            return new LocalProcess();
        }
        return null;
    }

    /** Records a key the user trusted for {@code s} in its known_hosts, and lets it reconnect at once. */
    public static void trust(HostSource s, HostKeyException key) throws IOException {
        if (!(s instanceof RemoteSource src)) {
            throw new IOException("no SSH host named " + s.name());
        }
        SshTarget t = src.target();
        new KnownHostsVerifier(
                        t.knownHosts(),
                        t.knownHostsAppend(),
                        KnownHostsVerifier.Policy.STRICT,
                        t.hostKeyAlias(),
                        t.warnings())
                .append(key.knownHostsLine());
        src.retryNow();
    }

    static Path expand(String p, Path home) {
        return p.startsWith("~/") ? home.resolve(p.substring(2)) : Path.of(p);
    }
}
