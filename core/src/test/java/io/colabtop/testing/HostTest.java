package io.colabtop.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test that needs something of the machine it runs on (root, OpenSSH's sshd, rclone and FUSE,
 * shellcheck, perl, a loop mount) and assumes it is there. {@code ./run-tests} installs all of it;
 * without it such a test is skipped, which {@link SkipGuard} turns into a failure on CI and
 * {@link SkipReport} lists at the end of every local run. {@code mvn verify -DexcludedGroups=host}
 * leaves these tests out on purpose.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Tag("host")
public @interface HostTest {}
