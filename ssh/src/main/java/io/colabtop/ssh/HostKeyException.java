package io.colabtop.ssh;

import io.colabtop.core.HostException;

/**
 * A host key colabtop will not accept on its own. Only an UNKNOWN key may be trusted by the user
 * (the TUI asks, {@code --accept-new} records it); every other kind is refused, always. Carries
 * what a prompt needs to show and what accepting would write.
 */
public class HostKeyException extends HostException {
    public enum Kind {
        /** No known_hosts line names the host: the user may trust the key. */
        UNKNOWN,
        /** known_hosts has a different key (of any type) for the host. */
        CHANGED,
        /** The key, or the CA that signed its certificate, is on an {@code @revoked} line. */
        REVOKED,
        /** A host certificate whose CA no {@code @cert-authority} line for the host names. */
        UNKNOWN_CA,
        /** A host certificate from a trusted CA that is not valid (expired, wrong host, bad signature, a user certificate). */
        BAD_CERTIFICATE
    }

    private final Kind kind;
    private final String knownHostsName;
    private final String keyType;
    private final String fingerprint;
    private final String knownHostsLine;

    public HostKeyException(
            Kind kind,
            String knownHostsName,
            String keyType,
            String fingerprint,
            String knownHostsLine,
            String message) {
        super(message);
        this.kind = kind;
        this.knownHostsName = knownHostsName;
        this.keyType = keyType;
        this.fingerprint = fingerprint;
        this.knownHostsLine = knownHostsLine;
    }

    public Kind kind() {
        return kind;
    }

    /** The name the key is filed under: host, [host]:port, or a HostKeyAlias. */
    public String knownHostsName() {
        return knownHostsName;
    }

    public String keyType() {
        return keyType;
    }

    /** SHA256:base64, as ssh-keygen -lf prints it (of the certified key, for a certificate). */
    public String fingerprint() {
        return fingerprint;
    }

    /** The line accepting the key appends to known_hosts. */
    public String knownHostsLine() {
        return knownHostsLine;
    }
}
