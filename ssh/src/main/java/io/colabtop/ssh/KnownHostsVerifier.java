package io.colabtop.ssh;

import com.hierynomus.sshj.userauth.certificate.Certificate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a server's key against every known_hosts file given (the user's, gcloud's
 * google_compute_known_hosts, a UserKnownHostsFile, /etc/ssh/ssh_known_hosts) with OpenSSH's rules
 * (sshconnect.c check_host_key, hostfile.c), read fresh on every check:
 * <ul>
 * <li>a key on an {@code @revoked} line is REVOKED, whatever else any file says (stricter than
 *     OpenSSH, which applies an {@code @revoked} line only to the hosts its pattern names);</li>
 * <li>a key that a plain line for the host carries passes; any other plain line for the host, of
 *     any key type, makes it CHANGED (a server that now offers ed25519 where ecdsa was recorded is
 *     CHANGED, never new); no line at all makes it UNKNOWN: refused, or appended under ACCEPT_NEW;</li>
 * <li>a host certificate passes when an {@code @cert-authority} line for the host names its CA and
 *     it is valid (a host certificate, naming the host, in its validity window, no critical
 *     options, signed by that CA); a valid-looking one from a CA no line names is UNKNOWN_CA unless
 *     its plain key is on record (OpenSSH then falls back to the plain key too);</li>
 * <li>the host is looked up as {@code host}, {@code [host]:port} for a port other than 22, or the
 *     HostKeyAlias; for a non-22 port without alias a key still unknown under {@code [host]:port} may
 *     be vouched for by a line for the bare host, as OpenSSH does ("checking without port identifier").</li>
 * </ul>
 * A line that cannot be parsed is skipped and reported once to the warnings consumer, and named in
 * the refusal if the host then fails. The reason of the last refusal is kept for the caller, since
 * sshj only sees a boolean.
 */
public final class KnownHostsVerifier implements HostKeyVerifier {
    private static final Logger LOG = LoggerFactory.getLogger(KnownHostsVerifier.class);
    /** SSH2_CERT_TYPE_HOST of PROTOCOL.certkeys; 1 is a user certificate. */
    private static final long HOST_CERTIFICATE = 2;

    private static final int WARNINGS_IN_A_MESSAGE = 3;

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
    private final Consumer<String> warnings;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private volatile List<String> lastWarnings = List.of();
    private volatile HostKeyException rejection;

    /**
     * @param files        known_hosts files to check, missing ones skipped
     * @param appendTo     where an accepted key is written (usually ~/.ssh/known_hosts)
     * @param hostKeyAlias name the key is filed under instead of the host (gcloud's compute.ID), or null
     */
    public KnownHostsVerifier(List<Path> files, Path appendTo, Policy policy, String hostKeyAlias) {
        this(files, appendTo, policy, hostKeyAlias, null);
    }

    /** @param warnings told once per verifier of each known_hosts line skipped (null: the log only) */
    public KnownHostsVerifier(
            List<Path> files, Path appendTo, Policy policy, String hostKeyAlias, Consumer<String> warnings) {
        this.files = List.copyOf(files);
        this.appendTo = appendTo;
        this.policy = policy;
        this.hostKeyAlias = hostKeyAlias;
        this.warnings = warnings != null ? warnings : LOG::warn;
    }

    public HostKeyException rejection() {
        return rejection;
    }

    @Override
    public boolean verify(String hostname, int port, PublicKey key) {
        rejection = null;
        List<KnownHostsLine> lines = load();
        List<String> names = names(hostname, port);
        String name = names.get(0);
        byte[] blob = blob(key);
        Certificate<?> cert = key instanceof Certificate<?> c ? c : null;
        PublicKey plain = cert != null ? cert.getKey() : key;
        byte[] plainBlob = blob(plain);
        byte[] caBlob = cert != null ? cert.getSignatureKey() : null;
        String type = KeyType.fromKey(plain).toString();
        String fp = fingerprint(plainBlob);
        String line = name + " " + type + " " + Base64.getEncoder().encodeToString(plainBlob);

        for (KnownHostsLine l : lines) {
            if (l.marker() == KnownHostsLine.Marker.REVOKED
                    && (l.sameKey(blob) || l.sameKey(plainBlob) || l.sameKey(caBlob))) {
                String what = l.sameKey(caBlob)
                        ? "the CA that signed its certificate (" + l.describeKey() + ")"
                        : "its key " + type + " " + fp;
                return refuse(
                        HostKeyException.Kind.REVOKED,
                        name,
                        type,
                        fp,
                        line,
                        "REVOKED HOST KEY for " + name + ": "
                                + what + " is marked @revoked at " + l.where()
                                + "; refused. Someone may be using a stolen key: "
                                + "do not connect until the host has a new key.");
            }
        }

        if (cert != null) {
            List<KnownHostsLine> authorities = authorities(lines, names);
            for (KnownHostsLine ca : authorities) {
                if (ca.sameKey(caBlob)) {
                    String problem = certificateProblem(
                            cert, blob, hostKeyAlias != null ? hostKeyAlias : hostname.toLowerCase(Locale.ROOT));
                    if (problem == null) {
                        return true;
                    }
                    return refuse(
                            HostKeyException.Kind.BAD_CERTIFICATE,
                            name,
                            type,
                            fp,
                            line,
                            "INVALID HOST CERTIFICATE "
                                    + "for " + name + " (CA " + ca.describeKey() + ", trusted at " + ca.where() + "): "
                                    + problem
                                    + "; refused.");
                }
            }
            if (lookUp(lines, names, plainBlob).outcome() == Outcome.MATCH) {
                return true; // OpenSSH: "No matching CA found. Retry with plain key", and the plain key is on record
            }
            String caKey = caBlob == null ? "?" : fingerprintOfBlob(caBlob);
            return refuse(
                    HostKeyException.Kind.UNKNOWN_CA,
                    name,
                    type,
                    fp,
                    line,
                    "HOST CERTIFICATE FROM AN UNKNOWN CA for "
                            + name + ": its CA " + caKey + " is named by no @cert-authority line for " + name
                            + (authorities.isEmpty()
                                    ? ""
                                    : " (those that match it name "
                                            + String.join(
                                                    ", ",
                                                    authorities.stream()
                                                            .map(a -> a.describeKey() + " at " + a.where())
                                                            .toList())
                                            + ")")
                            + ", and its key " + type + " " + fp
                            + " is not in known_hosts; refused. If that CA is yours, add "
                            + "'@cert-authority PATTERN <CA public key>' to " + appendTo + ".");
        }

        Found found = lookUp(lines, names, blob);
        if (found.outcome() == Outcome.MATCH) {
            return true;
        }
        if (found.outcome() == Outcome.CHANGED) {
            KnownHostsLine old = found.line();
            return refuse(
                    HostKeyException.Kind.CHANGED,
                    name,
                    type,
                    fp,
                    line,
                    "HOST KEY CHANGED for " + name + " (now "
                            + type + " " + fp + "; known_hosts has " + old.describeKey() + " at " + old.where()
                            + "): refused. "
                            + "If the VM was re-created this is expected; otherwise someone may be intercepting. Remove the old "
                            + "key with: ssh-keygen -R '" + name + "'");
        }
        if (policy == Policy.ACCEPT_NEW) {
            try {
                append(line);
                return true;
            } catch (IOException e) {
                return refuse(
                        HostKeyException.Kind.UNKNOWN,
                        name,
                        type,
                        fp,
                        line,
                        "cannot record the key of " + name + " in " + appendTo + ": " + e.getMessage());
            }
        }
        return refuse(
                HostKeyException.Kind.UNKNOWN,
                name,
                type,
                fp,
                line,
                "unknown host key for " + name + ": " + type + " " + fp
                        + " (not in known_hosts; accept it in the TUI, with --accept-new, or by ssh-ing once)");
    }

    /**
     * The host key algorithms to ask the server for first, as OpenSSH's order_hostkeyalgs does: the
     * types known_hosts already has for the host (so a server with ed25519, ecdsa and rsa keys, of
     * which only ecdsa is on record, is checked against that one), and certificates when an
     * {@code @cert-authority} line covers the host.
     */
    @Override
    public List<String> findExistingAlgorithms(String hostname, int port) {
        List<KnownHostsLine> lines = load();
        List<String> names = names(hostname, port);
        Set<String> algorithms = new LinkedHashSet<>();
        for (KnownHostsLine l : lines) {
            if (l.marker() == KnownHostsLine.Marker.NONE && l.matches(names.get(0))) {
                algorithms.addAll(algorithmsFor(l.keyType()));
            }
        }
        if (!authorities(lines, names).isEmpty()) {
            Arrays.stream(KeyType.values())
                    .filter(k -> k.getParent() != null)
                    .forEach(k -> algorithms.add(k.toString()));
        }
        return List.copyOf(algorithms);
    }

    /** Whether an {@code @cert-authority} line covers the host: only then is a host certificate worth asking for. */
    public boolean trustsCertificates(String hostname, int port) {
        return !authorities(load(), names(hostname, port)).isEmpty();
    }

    /** Appends one known_hosts line, creating ~/.ssh (0700) and the file (0600) if needed. */
    public synchronized void append(String line) throws IOException {
        Path dir = appendTo.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            try {
                Files.setPosixFilePermissions(
                        dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
        }
        String prefix =
                Files.isRegularFile(appendTo) && Files.size(appendTo) > 0 && !endsWithNewline(appendTo) ? "\n" : "";
        Files.writeString(
                appendTo,
                prefix + line + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    private static boolean endsWithNewline(Path p) throws IOException {
        byte[] b = Files.readAllBytes(p);
        return b.length == 0 || b[b.length - 1] == '\n';
    }

    static String knownHostsName(String host, int port) {
        return port == 22 ? host : "[" + host + "]:" + port;
    }

    /**
     * The names OpenSSH files the host under (sshconnect.c get_hostfile_hostname_ipaddr): the
     * HostKeyAlias verbatim, else the lower-cased host, as {@code [host]:port} off port 22. The
     * second name, the bare host for a non-22 port, only ever vouches for a key the first left unknown.
     */
    private List<String> names(String hostname, int port) {
        if (hostKeyAlias != null) {
            return List.of(hostKeyAlias);
        }
        String host = hostname.toLowerCase(Locale.ROOT);
        return port == 22 ? List.of(host) : List.of(knownHostsName(host, port), host);
    }

    private List<KnownHostsLine> load() {
        List<String> skipped = new ArrayList<>();
        List<KnownHostsLine> lines = new ArrayList<>();
        for (Path f : files) {
            lines.addAll(KnownHostsLine.read(f, skipped::add));
        }
        lastWarnings = List.copyOf(skipped);
        for (String w : skipped) {
            if (warned.add(w)) {
                warnings.accept(w);
            }
        }
        return lines;
    }

    private static List<KnownHostsLine> authorities(List<KnownHostsLine> lines, List<String> names) {
        return lines.stream()
                .filter(l -> l.marker() == KnownHostsLine.Marker.CERT_AUTHORITY)
                .filter(l -> names.stream().anyMatch(l::matches))
                .toList();
    }

    enum Outcome {
        MATCH,
        CHANGED,
        UNKNOWN
    }

    private record Found(Outcome outcome, KnownHostsLine line) {}

    /**
     * Plain lines only: the key matches a line for the host (in any file, any order: a match wins),
     * or some line for the host has another key, or none names the host.
     */
    private static Found lookUp(List<KnownHostsLine> lines, List<String> names, byte[] blob) {
        KnownHostsLine other = null;
        for (KnownHostsLine l : lines) {
            if (l.marker() == KnownHostsLine.Marker.NONE && l.matches(names.get(0))) {
                if (l.sameKey(blob)) {
                    return new Found(Outcome.MATCH, l);
                }
                other = other == null ? l : other;
            }
        }
        if (other != null) {
            return new Found(Outcome.CHANGED, other);
        }
        for (String fallback : names.subList(1, names.size())) {
            for (KnownHostsLine l : lines) {
                if (l.marker() == KnownHostsLine.Marker.NONE && l.sameKey(blob) && l.matches(fallback)) {
                    return new Found(Outcome.MATCH, l);
                }
            }
        }
        return new Found(Outcome.UNKNOWN, null);
    }

    /**
     * Why a certificate whose CA is trusted is still not acceptable, or null. Mirrors OpenSSH's
     * check_host_cert: a host (not user) certificate, the name among its principals (exactly; none
     * listed means any host), now inside its validity window, no critical options, and the CA's
     * signature over it, which sshj checks (sshj's own check during key exchange is switched off in
     * SshConnector because it cannot know the HostKeyAlias).
     */
    static String certificateProblem(Certificate<?> cert, byte[] raw, String principal) {
        if (cert.getType() != HOST_CERTIFICATE) {
            return "it is a user certificate (type " + cert.getType() + "), not a host certificate";
        }
        List<String> principals = cert.getValidPrincipals();
        if (principals != null && !principals.isEmpty() && !principals.contains(principal)) {
            return "it is for " + HostSpec.printable(String.join(",", principals)) + ", not " + principal;
        }
        Date now = new Date();
        if (cert.getValidAfter() != null && now.before(cert.getValidAfter())) {
            return "it is not valid before " + cert.getValidAfter().toInstant();
        }
        if (cert.getValidBefore() != null && !now.before(cert.getValidBefore())) {
            return "it expired at " + cert.getValidBefore().toInstant();
        }
        if (cert.getCritOptions() != null && !cert.getCritOptions().isEmpty()) {
            return "it has critical options ("
                    + HostSpec.printable(String.join(",", cert.getCritOptions().keySet()))
                    + ") that no host certificate may carry";
        }
        try {
            String signature = new Buffer.PlainBuffer(cert.getSignature()).readString();
            if (signature.equals("ssh-rsa")) {
                return "its CA signed it with SHA-1 (ssh-rsa), which OpenSSH no longer accepts";
            }
            String error = KeyType.CertUtils.verifyHostCertificate(raw, cert, principal);
            return error == null ? null : "the CA's signature does not check out (" + error + ")";
        } catch (IOException | RuntimeException e) {
            return "its signature cannot be checked (" + e.getMessage() + ")";
        }
    }

    private static List<String> algorithmsFor(String keyType) {
        // an RSA key is recorded as ssh-rsa and used with the SHA-2 signature algorithms
        return keyType.equals("ssh-rsa") ? List.of("rsa-sha2-512", "rsa-sha2-256", "ssh-rsa") : List.of(keyType);
    }

    private boolean refuse(
            HostKeyException.Kind kind, String name, String type, String fp, String line, String message) {
        List<String> skipped = lastWarnings;
        String note = "";
        if (!skipped.isEmpty()) {
            note = " [known_hosts lines skipped: "
                    + String.join("; ", skipped.subList(0, Math.min(WARNINGS_IN_A_MESSAGE, skipped.size())))
                    + (skipped.size() > WARNINGS_IN_A_MESSAGE
                            ? "; and " + (skipped.size() - WARNINGS_IN_A_MESSAGE) + " more"
                            : "")
                    + "]";
        }
        rejection = new HostKeyException(kind, name, type, fp, line, message + note);
        return false;
    }

    static byte[] blob(PublicKey key) {
        return new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
    }

    static String base64(PublicKey key) {
        return Base64.getEncoder().encodeToString(blob(key));
    }

    /** SHA256:..., as OpenSSH prints fingerprints. */
    public static String fingerprint(PublicKey key) {
        return fingerprint(blob(key));
    }

    static String fingerprint(byte[] blob) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** "ssh-ed25519 SHA256:..." of a key blob, whatever its type. */
    private static String fingerprintOfBlob(byte[] blob) {
        String type;
        try {
            type = new Buffer.PlainBuffer(blob).readString();
        } catch (IOException | RuntimeException e) {
            type = "key";
        }
        return HostSpec.printable(type) + " " + fingerprint(blob);
    }
}
