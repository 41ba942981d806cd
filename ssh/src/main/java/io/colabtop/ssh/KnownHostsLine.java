package io.colabtop.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;

/**
 * One line of a known_hosts file, in the format of sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT":
 * <pre>
 *   [@cert-authority|@revoked] HOSTS KEYTYPE BASE64-KEY [COMMENT]
 *   [10.0.0.5]:2222,vm1.corp.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI...
 *   |1|F1E1KeoE/eEWhi10WpGv4OdiO6Y=|3988QV0VE8wmZL7suNrYQLITLCg= ecdsa-sha2-nistp256 AAAAE2Vj...
 *   {@literal @}cert-authority *.corp.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI...
 * </pre>
 * HOSTS is a pattern list ({@link HostPatterns}) or one hashed name {@code |1|salt|HMAC-SHA1(salt, name)}
 * as {@code ssh-keygen -H} writes it. Keys are kept and compared as their wire blob, so a key type
 * sshj cannot decode (sk-ssh-ed25519@openssh.com, say) still matches byte for byte.
 */
record KnownHostsLine(
        String where, Marker marker, String hosts, byte[] salt, byte[] hash, String keyType, byte[] blob) {
    enum Marker {
        NONE,
        CERT_AUTHORITY,
        REVOKED
    }

    private static final String HASH_MAGIC = "|1|";
    private static final int SHA1_BYTES = 20;

    /**
     * Reads every line of a known_hosts file. A line that cannot be parsed is skipped and reported
     * to {@code warnings} as "FILE:LINE: REASON" (OpenSSH skips such lines too); a missing file is
     * no line at all, an unreadable one is reported.
     */
    static List<KnownHostsLine> read(Path file, Consumer<String> warnings) {
        List<String> text;
        try {
            text = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException | RuntimeException e) {
            if (Files.exists(file)) {
                warnings.accept(
                        "cannot read " + file + " (" + e.getMessage() + "): no key in it is trusted or checked");
            }
            return List.of();
        }
        List<KnownHostsLine> lines = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
            String where = file + ":" + (i + 1);
            try {
                KnownHostsLine l = parse(where, text.get(i));
                if (l != null) {
                    lines.add(l);
                }
            } catch (IllegalArgumentException e) {
                warnings.accept(where + ": line skipped: " + e.getMessage());
            }
        }
        return lines;
    }

    /** @return the line, or null for a blank line or a comment; @throws IllegalArgumentException saying what is wrong */
    static KnownHostsLine parse(String where, String line) {
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#")) {
            return null;
        }
        String[] f = t.split("[ \t]+");
        int i = 0;
        Marker marker = Marker.NONE;
        if (f[0].startsWith("@")) {
            marker = switch (f[0]) {
                case "@cert-authority" -> Marker.CERT_AUTHORITY;
                case "@revoked" -> Marker.REVOKED;
                default ->
                    throw new IllegalArgumentException("unknown marker '" + HostSpec.printable(f[0])
                            + "' (only @cert-authority and @revoked exist)");
            };
            i++;
        }
        if (f.length - i < 3) {
            throw new IllegalArgumentException("too few fields (expected " + (i > 0 ? "MARKER " : "")
                    + "HOSTS KEYTYPE KEY, got '" + HostSpec.printable(t) + "')");
        }
        String hosts = f[i];
        byte[] salt = null;
        byte[] hash = null;
        if (hosts.startsWith("|")) {
            // OpenSSH reads any host field that starts with '|' as one hashed name: |1|salt|hash
            String[] h = hosts.split("\\|", -1);
            if (!hosts.startsWith(HASH_MAGIC) || h.length != 4) {
                throw new IllegalArgumentException("hashed host name is not |1|SALT|HASH");
            }
            salt = base64(h[2], "salt of the hashed host name");
            hash = base64(h[3], "hash of the hashed host name");
            if (salt.length != SHA1_BYTES || hash.length != SHA1_BYTES) {
                throw new IllegalArgumentException("hashed host name has a " + salt.length + "-byte salt and a "
                        + hash.length + "-byte hash (both must be 20)");
            }
        }
        String keyType = f[i + 1];
        if (keyType.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException(
                    "SSH protocol 1 key (BITS EXPONENT MODULUS): no longer supported by OpenSSH");
        }
        byte[] blob = base64(f[i + 2], "key");
        checkBlob(keyType, blob);
        return new KnownHostsLine(where, marker, hosts, salt, hash, keyType, blob);
    }

    /**
     * A blob starts with its own type name (RFC 4253 6.6); OpenSSH refuses a line whose two
     * disagree. Types sshj knows must also decode, so a truncated or garbled key is reported
     * here rather than silently never matching.
     */
    private static void checkBlob(String keyType, byte[] blob) {
        String inBlob;
        try {
            inBlob = new Buffer.PlainBuffer(blob).readString();
        } catch (Buffer.BufferException | RuntimeException e) {
            throw new IllegalArgumentException("key is not an SSH public key blob");
        }
        if (!inBlob.equals(keyType)) {
            throw new IllegalArgumentException("key type " + HostSpec.printable(keyType) + " does not match the key ("
                    + HostSpec.printable(inBlob) + ")");
        }
        if (KeyType.fromString(keyType) != KeyType.UNKNOWN) {
            try {
                new Buffer.PlainBuffer(blob).readPublicKey();
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException(keyType + " key does not decode (" + e.getMessage() + ")");
            }
        }
    }

    private static byte[] base64(String s, String what) {
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not valid base64");
        }
    }

    /** Whether this line's host field names {@code name} (a host, {@code [host]:port}, or a HostKeyAlias). */
    boolean matches(String name) {
        if (salt == null) {
            return HostPatterns.matches(name, hosts);
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(salt, "HmacSHA1"));
            return MessageDigest.isEqual(hash, mac.doFinal(name.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every Java runtime", e);
        }
    }

    boolean sameKey(byte[] other) {
        return other != null && Arrays.equals(blob, other);
    }

    /** "ED25519 key SHA256:..." for messages. */
    String describeKey() {
        return keyType + " " + KnownHostsVerifier.fingerprint(blob);
    }
}
