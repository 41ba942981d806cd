package io.colabtop.app.serve;

import com.sun.net.httpserver.BasicAuthenticator;
import io.colabtop.core.Printable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * The users {@code serve --basic-auth FILE} lets in: an htpasswd file with bcrypt entries, one
 * {@code user:hash} a line, as {@code htpasswd -nB prometheus} prints it:
 * <pre>
 * prometheus:$2y$05$5eyoqDC0WV.eCbaGqkMd5u1u8V6FDEvBa7tC7vMtg3fhzRMBK5uD6
 * </pre>
 * bcrypt only (the exporter toolkit of Prometheus' own exporters takes the same), so the file holds
 * no password. bcrypt is slow on purpose (~50 ms at cost 10): a password once verified is
 * remembered as its SHA-256 for that user, so Prometheus' scrape every 15 s pays it once.
 */
public final class BasicAuthUsers {
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    /** bcrypt doubles its work per step: 14 is about a second per check here, more would stall scrapes. */
    static final int MAX_COST = 14;

    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}");

    private final Map<String, String> hashes;
    private final Map<String, byte[]> verified = new ConcurrentHashMap<>();
    /** Checked for a user that does not exist, so a wrong name costs what a wrong password costs. */
    private final String decoy;

    private BasicAuthUsers(Map<String, String> hashes) {
        this.hashes = Map.copyOf(hashes);
        byte[] salt = new byte[16];
        byte[] secret = new byte[16];
        java.security.SecureRandom random = new java.security.SecureRandom();
        random.nextBytes(salt);
        random.nextBytes(secret);
        int cost = Integer.parseInt(hashes.values().iterator().next().substring(4, 6));
        this.decoy = OpenBSDBCrypt.generate("2y", secret, salt, cost);
    }

    /** @throws IllegalArgumentException naming the file and line that cannot be used */
    public static BasicAuthUsers load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("--basic-auth " + file + ": cannot read it (" + e.getMessage() + ")");
        }
        Map<String, String> hashes = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            String where = "--basic-auth " + file + " line " + (i + 1) + ": ";
            if (colon < 0 || !USER.matcher(line.substring(0, colon)).matches()) {
                throw new IllegalArgumentException(where + "expected user:bcrypt-hash (htpasswd -nB USER prints one)");
            }
            String hash = line.substring(colon + 1);
            if (!BCRYPT.matcher(hash).matches()) {
                throw new IllegalArgumentException(where + "the hash of " + Printable.clip(line.substring(0, colon), 64)
                        + " is not bcrypt ($2y$...); make one with htpasswd -nB USER");
            }
            int cost = Integer.parseInt(hash.substring(4, 6));
            if (cost < 4 || cost > MAX_COST) {
                throw new IllegalArgumentException(where + "bcrypt cost " + cost + " is outside 4-" + MAX_COST
                        + " (each check would take too long): htpasswd -nB -C 10 USER");
            }
            if (hashes.put(line.substring(0, colon), hash) != null) {
                throw new IllegalArgumentException(where + "a second line for user " + line.substring(0, colon));
            }
        }
        if (hashes.isEmpty()) {
            throw new IllegalArgumentException("--basic-auth " + file + ": no user in it");
        }
        return new BasicAuthUsers(hashes);
    }

    public boolean check(String user, String password) {
        if (user == null || password == null) {
            return false;
        }
        byte[] digest = sha256(user + "\0" + password);
        byte[] known = verified.get(user);
        if (known != null && MessageDigest.isEqual(known, digest)) {
            return true;
        }
        String hash = hashes.get(user);
        boolean ok = OpenBSDBCrypt.checkPassword(hash != null ? hash : decoy, password.toCharArray()) && hash != null;
        if (ok) {
            verified.put(user, digest);
        }
        return ok;
    }

    /** For the client library's HTTP server: every path asks for these users. */
    public BasicAuthenticator authenticator() {
        return new BasicAuthenticator("colabtop", StandardCharsets.UTF_8) {
            @Override
            public boolean checkCredentials(String user, String password) {
                return check(user, password);
            }
        };
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
