package io.colabtop.app.serve;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * TLS for {@code serve --tls-cert FILE --tls-key FILE}: the PEM files a certificate authority,
 * certbot or {@code openssl req -x509} give (a chain of {@code BEGIN CERTIFICATE} blocks, the
 * server's first; an unencrypted key, {@code BEGIN PRIVATE KEY}, {@code BEGIN RSA PRIVATE KEY} or
 * {@code BEGIN EC PRIVATE KEY}). The key is checked against the certificate before the server
 * starts, so a mismatch is an error at start, not a handshake failure at each scrape. TLS 1.2 and 1.3
 * only.
 */
public final class TlsFiles {
    private TlsFiles() {}

    /** @throws IllegalArgumentException naming the file that cannot be used and why */
    public static HttpsConfigurator configurator(Path certFile, Path keyFile) {
        List<X509Certificate> chain = certificates(certFile);
        PrivateKey key = privateKey(keyFile);
        if (!matches(key, chain.get(0).getPublicKey())) {
            throw new IllegalArgumentException(
                    "--tls-key " + keyFile + " is not the key of the certificate in --tls-cert " + certFile);
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] none = new char[0];
            store.setKeyEntry("colabtop", key, none, chain.toArray(new Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, none);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(kmf.getKeyManagers(), null, new SecureRandom());
            return new HttpsConfigurator(tls) {
                @Override
                public void configure(HttpsParameters params) {
                    SSLParameters p = tls.getDefaultSSLParameters();
                    p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                    params.setSSLParameters(p);
                }
            };
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("--tls-cert " + certFile + ": " + e.getMessage());
        }
    }

    static List<X509Certificate> certificates(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                chain.add((X509Certificate) c);
            }
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("--tls-cert " + file + ": no certificate in it (expected PEM)");
            }
            return chain;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "--tls-cert " + file + ": not a PEM certificate (" + e.getMessage() + ")");
        }
    }

    static PrivateKey privateKey(Path file) {
        Object pem;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(r)) {
            pem = parser.readObject();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("--tls-key " + file + ": not a PEM key (" + e.getMessage() + ")");
        }
        try {
            JcaPEMKeyConverter convert = new JcaPEMKeyConverter();
            if (pem instanceof PEMKeyPair pair) {
                // the private half only: an EC key may come without its public point
                return convert.getPrivateKey(pair.getPrivateKeyInfo());
            }
            if (pem instanceof PrivateKeyInfo info) {
                return convert.getPrivateKey(info);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("--tls-key " + file + ": " + e.getMessage());
        }
        throw new IllegalArgumentException("--tls-key " + file + ": "
                + (pem == null ? "no key in it" : "an encrypted key or not a private key") + " (expected an"
                + " unencrypted PEM private key)");
    }

    /** Whether {@code key} signs what {@code pub} verifies: the two halves of one key pair. */
    static boolean matches(PrivateKey key, PublicKey pub) {
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (alg == null) {
            return false; // a key type TLS here would not use anyway
        }
        try {
            byte[] probe = "colabtop".getBytes(StandardCharsets.US_ASCII);
            Signature sign = Signature.getInstance(alg);
            sign.initSign(key);
            sign.update(probe);
            byte[] sig = sign.sign();
            Signature verify = Signature.getInstance(alg);
            verify.initVerify(pub);
            verify.update(probe);
            return verify.verify(sig);
        } catch (GeneralSecurityException e) {
            return false; // a key of another type than the certificate's
        }
    }
}
