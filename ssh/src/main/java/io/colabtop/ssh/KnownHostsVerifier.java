package io.colabtop.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

/**
 * Checks a server's key against every known_hosts file given (the user's, gcloud's
 * google_compute_known_hosts, a UserKnownHostsFile), plain or hashed lines. A key that matches
 * any file passes; a host filed with a different key is CHANGED and refused whatever the policy;
 * a host in no file is UNKNOWN: refused, unless the policy is accept-new, which appends it.
 * The reason of the last refusal is kept for the caller, since sshj only sees a boolean.
 */
public final class KnownHostsVerifier implements HostKeyVerifier {
    public enum Policy {
        /** Refuse unknown keys (the TUI then asks the user). */
        STRICT,
        /** Append unknown keys, like StrictHostKeyChecking=accept-new. */
        ACCEPT_NEW
    }

    private final List<Path> files;
    private final Path appendTo;
    private final Policy policy;
    private final String hostKeyAlias;
    private volatile HostKeyException rejection;

    /**
     * @param files        known_hosts files to check, missing ones skipped
     * @param appendTo     where an accepted key is written (usually ~/.ssh/known_hosts)
     * @param hostKeyAlias name the key is filed under instead of the host (gcloud's compute.ID), or null
     */
    public KnownHostsVerifier(List<Path> files, Path appendTo, Policy policy, String hostKeyAlias) {
        this.files = List.copyOf(files);
        this.appendTo = appendTo;
        this.policy = policy;
        this.hostKeyAlias = hostKeyAlias;
    }

    public HostKeyException rejection() {
        return rejection;
    }

    @Override
    public boolean verify(String hostname, int port, PublicKey key) {
        rejection = null;
        String lookupHost = hostKeyAlias != null ? hostKeyAlias : hostname;
        int lookupPort = hostKeyAlias != null ? 22 : port;
        String name = knownHostsName(lookupHost, lookupPort);
        boolean changed = false;
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                continue;
            }
            Outcome o = check(f, lookupHost, lookupPort, key);
            if (o == Outcome.MATCH) {
                return true;
            }
            changed |= o == Outcome.CHANGED;
        }
        String type = KeyType.fromKey(key).toString();
        String fp = fingerprint(key);
        String line = name + " " + type + " " + base64(key);
        if (changed) {
            rejection = new HostKeyException(HostKeyException.Kind.CHANGED, name, type, fp, line,
                    "HOST KEY CHANGED for " + name + " (now " + type + " " + fp + "): refused. If the VM was "
                            + "re-created this is expected; otherwise someone may be intercepting. Remove the old "
                            + "key with: ssh-keygen -R '" + name + "'");
            return false;
        }
        if (policy == Policy.ACCEPT_NEW) {
            try {
                append(line);
                return true;
            } catch (IOException e) {
                rejection = new HostKeyException(HostKeyException.Kind.UNKNOWN, name, type, fp, line,
                        "cannot record the key of " + name + " in " + appendTo + ": " + e.getMessage());
                return false;
            }
        }
        rejection = new HostKeyException(HostKeyException.Kind.UNKNOWN, name, type, fp, line,
                "unknown host key for " + name + ": " + type + " " + fp
                        + " (not in known_hosts; accept it in the TUI, with --accept-new, or by ssh-ing once)");
        return false;
    }

    @Override
    public List<String> findExistingAlgorithms(String hostname, int port) {
        return List.of(); // let the server offer its preferred key type
    }

    /** Appends one known_hosts line, creating ~/.ssh (0700) and the file (0600) if needed. */
    public synchronized void append(String line) throws IOException {
        Path dir = appendTo.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            try {
                Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
        }
        String prefix = Files.isRegularFile(appendTo) && Files.size(appendTo) > 0 && !endsWithNewline(appendTo) ? "\n" : "";
        Files.writeString(appendTo, prefix + line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    private static boolean endsWithNewline(Path p) throws IOException {
        byte[] b = Files.readAllBytes(p);
        return b.length == 0 || b[b.length - 1] == '\n';
    }

    static String knownHostsName(String host, int port) {
        return port == 22 ? host : "[" + host + "]:" + port;
    }

    enum Outcome { MATCH, CHANGED, UNKNOWN }

    private static Outcome check(Path file, String host, int port, PublicKey key) {
        Outcome[] result = {Outcome.MATCH};
        try {
            OpenSSHKnownHosts kh = new OpenSSHKnownHosts(file.toFile()) {
                @Override
                protected boolean hostKeyUnverifiableAction(String h, PublicKey k) {
                    result[0] = Outcome.UNKNOWN;
                    return false;
                }

                @Override
                protected boolean hostKeyChangedAction(String h, PublicKey k) {
                    result[0] = Outcome.CHANGED;
                    return false;
                }
            };
            return kh.verify(host, port, key) ? Outcome.MATCH : result[0];
        } catch (IOException e) {
            return Outcome.UNKNOWN; // unreadable file: it vouches for nothing
        }
    }

    static String base64(PublicKey key) {
        return Base64.getEncoder().encodeToString(new Buffer.PlainBuffer().putPublicKey(key).getCompactData());
    }

    /** SHA256:..., as OpenSSH prints fingerprints. */
    public static String fingerprint(PublicKey key) {
        try {
            byte[] blob = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
            byte[] d = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
