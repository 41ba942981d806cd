package io.colabtop.ssh;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.colabtop.testing.HostTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host-key rules against real sshd processes with their own host keys (one type, three types,
 * a host certificate) and known_hosts files written the way OpenSSH writes them. Each comment says
 * what OpenSSH 9.2's ssh does with the same file, checked with
 * {@code ssh -F /dev/null -o BatchMode=yes -o UserKnownHostsFile=kh -o GlobalKnownHostsFile=/dev/null -p PORT 127.0.0.1 true}.
 */
@HostTest
class KnownHostsVerifierTest {
    static Path keys;
    static Path ca;
    static Path otherCa;
    static TestSshd single;
    static TestSshd multi;
    static TestSshd certified;

    @TempDir
    Path tmp;

    @BeforeAll
    static void servers() throws Exception {
        assumeTrue(TestSshd.available(), "needs OpenSSH server (run-tests installs it)");
        keys = Files.createTempDirectory("colabtop-keys");
        ca = TestSshd.newKey(keys, "ca", "ed25519");
        otherCa = TestSshd.newKey(keys, "other-ca", "ed25519");
        single = TestSshd.start();
        multi = TestSshd.start(List.of("ed25519", "ecdsa", "rsa"), null, List.of());
        certified = TestSshd.start(List.of("ed25519"), new TestSshd.HostCertificate(ca, "127.0.0.1"), List.of());
    }

    @AfterAll
    static void stop() throws Exception {
        Stream.of(single, multi, certified).filter(s -> s != null).forEach(TestSshd::close);
        if (keys != null) {
            try (Stream<Path> files = Files.walk(keys)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    // ---- @revoked

    @Test
    void aRevokedKeyIsRefusedWhateverPlainLineVouchesForItInAnyOrderAndFile() throws Exception {
        String plain = single.knownHostsLine();
        String revoked = "@revoked * " + TestSshd.publicKey(single.hostPublicKey());
        // OpenSSH: "WARNING: REVOKED HOST KEY DETECTED!" for each of these (plain line first or last)
        List<List<Path>> layouts = List.of(
                List.of(file("revoked-last", plain, revoked)),
                List.of(file("revoked-first", revoked, plain)),
                List.of(file("plain-a", plain), file("revoked-b", revoked)),
                List.of(file("revoked-a", revoked), file("plain-b", plain)),
                // stricter than OpenSSH, which applies an @revoked line only to the hosts its pattern names
                // (checked: '@revoked otherhost KEY' does not stop ssh): a stolen key is stolen for every name
                List.of(file(
                        "revoked-elsewhere",
                        plain,
                        "@revoked other.example " + TestSshd.publicKey(single.hostPublicKey()))));
        for (List<Path> files : layouts) {
            for (KnownHostsVerifier.Policy policy : KnownHostsVerifier.Policy.values()) {
                List<String> before = contents(files);
                HostKeyException e = refused(target(single, files, policy, null), files + " " + policy);
                assertEquals(HostKeyException.Kind.REVOKED, e.kind(), e.getMessage());
                assertTrue(
                        e.getMessage().startsWith("REVOKED HOST KEY for [127.0.0.1]:" + single.port()), e.getMessage());
                assertFalse(e.getMessage().contains("CHANGED"), e.getMessage());
                assertEquals(before, contents(files), "nothing is recorded for a revoked key");
            }
        }
    }

    @Test
    void aRevokedKeyAloneIsReportedRevokedNotChangedAndAcceptNewNeverAddsIt() throws Exception {
        Path kh = file("kh", "@revoked * " + TestSshd.publicKey(single.hostPublicKey()));
        HostKeyException e =
                refused(target(single, List.of(kh), KnownHostsVerifier.Policy.ACCEPT_NEW, null), "revoked");
        assertEquals(HostKeyException.Kind.REVOKED, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(kh + ":1"), "names the line: " + e.getMessage());
        assertEquals(1, Files.readAllLines(kh).size(), "accept-new did not append the revoked key");
    }

    // ---- key types

    @Test
    void aKeyOfAnotherTypeThanTheOneOnRecordIsChangedAndAcceptNewNeverAddsIt() throws Exception {
        // single offers only ed25519; known_hosts has an ecdsa key for it. OpenSSH (even with
        // StrictHostKeyChecking accept-new): "REMOTE HOST IDENTIFICATION HAS CHANGED", file untouched
        Path ecdsa = TestSshd.newKey(tmp, "some-ecdsa", "ecdsa");
        Path kh = file("kh", "[127.0.0.1]:" + single.port() + " " + TestSshd.publicKey(Path.of(ecdsa + ".pub")));
        HostKeyException e =
                refused(target(single, List.of(kh), KnownHostsVerifier.Policy.ACCEPT_NEW, null), "other type");
        assertEquals(HostKeyException.Kind.CHANGED, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("ssh-keygen -R '[127.0.0.1]:" + single.port() + "'"), e.getMessage());
        assertTrue(
                e.getMessage().contains("ecdsa-sha2-nistp256") && e.getMessage().contains(kh + ":1"), e.getMessage());
        assertEquals(1, Files.readAllLines(kh).size(), "accept-new did not append the ed25519 key");
    }

    @Test
    void aHostWithSeveralKeyTypesIsCheckedAgainstTheTypeOnRecord() throws Exception {
        // multi has ed25519, ecdsa and rsa keys; OpenSSH asks for the recorded type first and connects
        for (String type : List.of("ecdsa", "rsa", "ed25519")) {
            Path kh = file("kh-" + type, multi.knownHostsLine(type));
            connects(target(multi, List.of(kh), KnownHostsVerifier.Policy.STRICT, null), type);
            assertEquals(1, Files.readAllLines(kh).size());
        }
        // the same under a HostKeyAlias (gcloud files VMs as compute.ID), and from the second file
        Path gce =
                file("google_compute_known_hosts", "compute.4242 " + TestSshd.publicKey(multi.hostPublicKey("ecdsa")));
        connects(target(multi, List.of(file("empty"), gce), KnownHostsVerifier.Policy.STRICT, "compute.4242"), "alias");

        KnownHostsVerifier v =
                new KnownHostsVerifier(List.of(gce), gce, KnownHostsVerifier.Policy.STRICT, "compute.4242");
        assertEquals(List.of("ecdsa-sha2-nistp256"), v.findExistingAlgorithms("127.0.0.1", multi.port()));
    }

    // ---- malformed lines

    @Test
    void malformedLinesAreSkippedWithAWarningAndDoNotHideTheRightKeyInAnotherFile() throws Exception {
        // gcloud's file holds the right key, hashed by ssh-keygen -H (which refuses to hash a file with bad
        // lines); the user's file holds bad lines and a stale key for the same host. OpenSSH skips each bad
        // line, reads both files as one list and connects, a matching key anywhere winning over a stale one
        Path gce = file("google_compute_known_hosts", single.knownHostsLine());
        TestSshd.run("ssh-keygen", "-q", "-H", "-f", gce.toString());
        Files.deleteIfExists(Path.of(gce + ".old"));
        assertTrue(Files.readString(gce).startsWith("|1|"), Files.readString(gce));
        String key = TestSshd.publicKey(single.hostPublicKey());
        Path stale = TestSshd.newKey(tmp, "stale", "ed25519");
        Path kh = file(
                "known_hosts",
                "|1||AAAA " + key, // empty salt: every host failed with "Empty key"
                "|1|!!not-base64!!|AAAA " + key,
                "onlytwo fields",
                "[127.0.0.1]:" + single.port() + " ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGarbage",
                "@bogus * " + key,
                "[127.0.0.1]:" + single.port() + " " + TestSshd.publicKey(Path.of(stale + ".pub")));
        List<String> warnings = new CopyOnWriteArrayList<>();
        for (List<Path> files : List.of(List.of(kh, gce), List.of(gce, kh))) {
            connects(target(single, files, KnownHostsVerifier.Policy.STRICT, null, warnings::add), files.toString());
        }
        assertEquals(
                HostKeyException.Kind.CHANGED,
                refused(target(single, List.of(kh), KnownHostsVerifier.Policy.STRICT, null), "stale only")
                        .kind());
        assertEquals(10, warnings.size(), "each bad line once per connection: " + warnings);
        for (int line = 1; line <= 5; line++) {
            String w = warnings.get(line - 1);
            assertTrue(w.startsWith(kh + ":" + line + ": line skipped: "), w);
        }
        assertTrue(warnings.get(0).contains("20"), "empty salt: " + warnings.get(0));
        assertTrue(warnings.get(1).contains("base64"), warnings.get(1));
        assertTrue(warnings.get(2).contains("too few fields"), warnings.get(2));
        assertTrue(
                warnings.get(3).contains("does not decode") || warnings.get(3).contains("not an SSH public key"),
                warnings.get(3));
        assertTrue(warnings.get(4).contains("unknown marker"), warnings.get(4));

        // a host the files do not know fails, and the refusal names the skipped lines
        HostKeyException e =
                refused(target(multi, List.of(kh, gce), KnownHostsVerifier.Policy.STRICT, null), "unknown");
        assertEquals(HostKeyException.Kind.UNKNOWN, e.kind());
        assertTrue(e.getMessage().contains("known_hosts lines skipped: " + kh + ":1"), e.getMessage());
        assertTrue(e.getMessage().contains("and 2 more"), e.getMessage());
    }

    // ---- patterns, hashes, ports, aliases, several files

    @Test
    void hostPatternsMatchAsOpenSshMatchesThem() throws Exception {
        String key = TestSshd.publicKey(single.hostPublicKey());
        String hp = "[127.0.0.1]:" + single.port();
        // OpenSSH connects with each of these lines ...
        for (String hosts : List.of(
                hp,
                "other.example," + hp,
                "[127.0.0.?]:" + single.port(),
                "*",
                "[127.0.0.1]:*",
                hp + ",!other.example",
                "*,!127.0.0.1",
                // the bare host for a non-22 port, when [host]:port left the key unknown: OpenSSH's
                // "checking without port identifier" (so '*,![host]:port' still vouches through '*')
                "127.0.0.1",
                "*,!" + hp)) {
            connects(
                    target(single, List.of(file("kh", hosts + " " + key)), KnownHostsVerifier.Policy.STRICT, null),
                    hosts);
        }
        // ... and finds the key unknown with each of these (a negated match removes the line)
        Path otherKey = TestSshd.newKey(tmp, "other", "ed25519");
        for (String line : List.of(
                "[127.0.0.1]:*,!" + hp + " " + key,
                "!other.example " + key,
                "[127.0.0.1]:1 " + key,
                "127.0.0.1 "
                        + TestSshd.publicKey(Path.of(otherKey + ".pub")))) { // bare host only vouches, never refuses
            HostKeyException e =
                    refused(target(single, List.of(file("kh", line)), KnownHostsVerifier.Policy.STRICT, null), line);
            assertEquals(HostKeyException.Kind.UNKNOWN, e.kind(), line + ": " + e.getMessage());
        }

        // a HostKeyAlias replaces the name, hashed or not (gcloud files VMs as compute.ID)
        Path hashed = file("gce", "compute.77 " + key);
        TestSshd.run("ssh-keygen", "-q", "-H", "-f", hashed.toString());
        assertTrue(Files.readString(hashed).startsWith("|1|"));
        connects(target(single, List.of(hashed), KnownHostsVerifier.Policy.STRICT, "compute.77"), "hashed alias");
        // with an alias the address is not looked up (OpenSSH: "using hostkeyalias"), nor the bare host
        HostKeyException e = refused(
                target(
                        single,
                        List.of(file("kh", single.knownHostsLine(), "127.0.0.1 " + key)),
                        KnownHostsVerifier.Policy.STRICT,
                        "compute.77"),
                "address only");
        assertEquals(HostKeyException.Kind.UNKNOWN, e.kind());
        assertEquals("compute.77", e.knownHostsName());
    }

    // ---- host certificates

    @Test
    void aCertificateFromATrustedCaPassesForTheHostItNames() throws Exception {
        String caKey = TestSshd.publicKey(Path.of(ca + ".pub"));
        // OpenSSH accepts each (the bare-host pattern through its "checking without port identifier")
        for (String hosts : List.of("*", "[127.0.0.1]:" + certified.port(), "127.0.0.1", "127.0.0.*")) {
            Path kh = file("kh", "@cert-authority " + hosts + " " + caKey);
            connects(target(certified, List.of(kh), KnownHostsVerifier.Policy.ACCEPT_NEW, null), hosts);
            assertEquals(1, Files.readAllLines(kh).size(), "nothing appended for a certified host");
        }
    }

    @Test
    void aCertificateFromAnUnknownCaIsReportedAsSuchNotAsChanged() throws Exception {
        // the only CA for the host is another one. OpenSSH: "No matching CA found. Retry with plain key",
        // then asks about the plain key; colabtop refuses and says why, and never records it
        Path kh = file("kh", "@cert-authority * " + TestSshd.publicKey(Path.of(otherCa + ".pub")));
        HostKeyException e =
                refused(target(certified, List.of(kh), KnownHostsVerifier.Policy.ACCEPT_NEW, null), "other CA");
        assertEquals(HostKeyException.Kind.UNKNOWN_CA, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("UNKNOWN CA"), e.getMessage());
        assertTrue(
                e.getMessage().contains(RemoteSourceTest.sshKeygenFingerprint(Path.of(ca + ".pub"))),
                "names the CA that signed it: " + e.getMessage());
        assertFalse(e.getMessage().contains("CHANGED"), e.getMessage());
        assertEquals(1, Files.readAllLines(kh).size(), "accept-new did not record anything");

        // the plain key on record still vouches, as in OpenSSH (checked: CA2 line + plain line connects)
        Files.writeString(kh, certified.knownHostsLine() + "\n", java.nio.file.StandardOpenOption.APPEND);
        connects(target(certified, List.of(kh), KnownHostsVerifier.Policy.STRICT, null), "plain key on record");
    }

    @Test
    void withoutACaLineTheServersPlainKeyIsWhatIsAskedAboutAndRecorded() throws Exception {
        // OpenSSH drops the certificate when no CA is known and asks about the plain ed25519 key
        Path kh = tmp.resolve("kh");
        HostKeyException e = refused(target(certified, List.of(kh), KnownHostsVerifier.Policy.STRICT, null), "new");
        assertEquals(HostKeyException.Kind.UNKNOWN, e.kind(), e.getMessage());
        assertEquals("ssh-ed25519", e.keyType());
        assertEquals(RemoteSourceTest.sshKeygenFingerprint(certified.hostPublicKey()), e.fingerprint());
        connects(target(certified, List.of(kh), KnownHostsVerifier.Policy.ACCEPT_NEW, null), "accept-new");
        assertEquals(certified.knownHostsLine(), Files.readString(kh).strip());
        connects(target(certified, List.of(kh), KnownHostsVerifier.Policy.STRICT, null), "recorded");
    }

    @Test
    void aRevokedCaOrHostKeyBeatsTheCaLine() throws Exception {
        String caKey = TestSshd.publicKey(Path.of(ca + ".pub"));
        // OpenSSH: "WARNING: REVOKED HOST KEY DETECTED!" for both
        for (String revoked : List.of(caKey, TestSshd.publicKey(certified.hostPublicKey()))) {
            Path kh = file("kh", "@cert-authority * " + caKey, "@revoked * " + revoked);
            HostKeyException e =
                    refused(target(certified, List.of(kh), KnownHostsVerifier.Policy.STRICT, null), revoked);
            assertEquals(HostKeyException.Kind.REVOKED, e.kind(), e.getMessage());
        }
    }

    @Test
    void anInvalidCertificateFromATrustedCaIsRefused() throws Exception {
        String caLine = "@cert-authority * " + TestSshd.publicKey(Path.of(ca + ".pub"));
        record Case(TestSshd.HostCertificate cert, String alias, String why) {}
        // OpenSSH: "Certificate invalid: name is not a listed principal" / "expired" / "not a host certificate"
        List<Case> cases = List.of(
                new Case(
                        new TestSshd.HostCertificate(ca, "vm1.corp.example"),
                        null,
                        "is for vm1.corp.example, not 127.0.0.1"),
                new Case(new TestSshd.HostCertificate(ca, "127.0.0.1", "-2d:-1d", true), null, "expired"),
                new Case(new TestSshd.HostCertificate(ca, "127.0.0.1", null, false), null, "user certificate"),
                // under a HostKeyAlias the alias is the name checked (OpenSSH: same message with -o HostKeyAlias=foo)
                new Case(new TestSshd.HostCertificate(ca, "127.0.0.1"), "compute.9", "not compute.9"));
        for (Case c : cases) {
            try (TestSshd s = TestSshd.start(List.of("ed25519"), c.cert(), List.of())) {
                Path kh = file("kh", caLine);
                HostKeyException e =
                        refused(target(s, List.of(kh), KnownHostsVerifier.Policy.ACCEPT_NEW, c.alias()), c.why());
                assertEquals(HostKeyException.Kind.BAD_CERTIFICATE, e.kind(), e.getMessage());
                assertTrue(e.getMessage().contains(c.why()), e.getMessage());
                assertEquals(1, Files.readAllLines(kh).size());
            }
        }
        try (TestSshd s =
                TestSshd.start(List.of("ed25519"), new TestSshd.HostCertificate(ca, "compute.9"), List.of())) {
            connects(
                    target(s, List.of(file("kh", caLine)), KnownHostsVerifier.Policy.STRICT, "compute.9"),
                    "alias principal");
        }
    }

    // ---- helpers

    private Path file(String name, String... lines) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, lines.length == 0 ? "" : String.join("\n", lines) + "\n");
        return p;
    }

    private static List<String> contents(List<Path> files) throws Exception {
        List<String> out = new ArrayList<>();
        for (Path f : files) {
            out.add(Files.readString(f));
        }
        return out;
    }

    private static SshTarget target(TestSshd s, List<Path> files, KnownHostsVerifier.Policy policy, String alias)
            throws Exception {
        return target(s, files, policy, alias, null);
    }

    private static SshTarget target(
            TestSshd s,
            List<Path> files,
            KnownHostsVerifier.Policy policy,
            String alias,
            java.util.function.Consumer<String> warnings)
            throws Exception {
        SshTarget t = s.target("vm", files.get(0), policy);
        return new SshTarget(
                t.name(),
                t.host(),
                t.port(),
                t.user(),
                t.identities(),
                files,
                files.get(0),
                policy,
                t.connectTimeout(),
                alias,
                null,
                warnings);
    }

    private static void connects(SshTarget t, String what) throws Exception {
        try (SshConnector.Connected c = SshConnector.connect(t, Duration.ofSeconds(10), x -> {})) {
            assertTrue(c.ssh().isAuthenticated(), what);
        }
    }

    private static HostKeyException refused(SshTarget t, String what) {
        Exception e = assertThrows(Exception.class, () -> connects(t, what), what);
        if (e instanceof HostKeyException k) {
            return k;
        }
        throw new AssertionError(what + ": expected a host-key refusal, got " + e, e);
    }
}
