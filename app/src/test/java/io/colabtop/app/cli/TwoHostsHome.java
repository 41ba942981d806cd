package io.colabtop.app.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.colabtop.app.config.AppPaths;
import io.colabtop.ssh.TestSshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Two real sshd hosts for a test class, and the user's ~/.ssh under the build's temp HOME (set by
 * surefire) with the test key in it, emptied after each test: the CLI runs as a user's would,
 * and never touches the real ~/.ssh.
 */
abstract class TwoHostsHome {
    static TestSshd a;
    static TestSshd b;
    protected Path ssh;

    @BeforeAll
    static void servers() throws Exception {
        assumeTrue(TestSshd.available(), "needs OpenSSH server (run-tests installs it)");
        a = TestSshd.start();
        b = TestSshd.start();
    }

    @AfterAll
    static void stop() {
        Stream.of(a, b).filter(s -> s != null).forEach(TestSshd::close);
    }

    @BeforeEach
    void home() throws Exception {
        AppPaths paths = AppPaths.fromEnvironment();
        assertTrue(
                paths.home().toString().contains("test-home"),
                "tests must run under the temp HOME, not " + paths.home());
        ssh = paths.sshDir();
        Files.createDirectories(ssh);
        Path key = ssh.resolve("id_ed25519");
        Files.copy(TestSshd.clientKey(), key);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    }

    @AfterEach
    void cleanHome() throws Exception {
        try (Stream<Path> files = Files.walk(ssh)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static String spec(TestSshd s) {
        return System.getProperty("user.name") + "@127.0.0.1:" + s.port();
    }
}
