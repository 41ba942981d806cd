package io.colabtop.ssh;

import io.colabtop.core.HostException;

/**
 * A host key colabtop will not accept on its own: unknown (the user may accept it) or changed
 * (refused, always). Carries what a prompt needs to show and what accepting would write.
 */
public class HostKeyException extends HostException {
    public enum Kind { UNKNOWN, CHANGED }

    private final Kind kind;
    private final String knownHostsName;
    private final String keyType;
    private final String fingerprint;
    private final String knownHostsLine;

    public HostKeyException(Kind kind, String knownHostsName, String keyType, String fingerprint, String knownHostsLine,
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

    /** SHA256:base64, as ssh-keygen -lf prints it. */
    public String fingerprint() {
        return fingerprint;
    }

    /** The line accepting the key appends to known_hosts. */
    public String knownHostsLine() {
        return knownHostsLine;
    }
}
