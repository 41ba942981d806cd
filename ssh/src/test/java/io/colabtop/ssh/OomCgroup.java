package io.colabtop.ssh;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A memory cgroup with a small limit, for causing a real kernel OOM kill in a test: the kernel's
 * own OOM killer, its own report in the kernel log, its own {@code oom_kill} counter. cgroup v1
 * ({@code /sys/fs/cgroup/memory}: {@code memory.limit_in_bytes}, and {@code memory.memsw.limit_in_bytes}
 * and {@code memory.swappiness} 0 so swap another test made cannot save the hog) or v2
 * ({@code memory.max}, {@code memory.swap.max} 0), whichever the machine has; needs root. The hog
 * is {@code dd} with a block larger than the limit (coreutils, on every machine), moved into the
 * cgroup by the shell that then execs it. {@link #close} kills what is left and removes the cgroup,
 * also when the test failed.
 */
public final class OomCgroup implements AutoCloseable {
    static final Path V1 = Path.of("/sys/fs/cgroup/memory");
    static final Path V2 = Path.of("/sys/fs/cgroup");

    private final Path dir;
    private final String path;
    private Process hog;

    private OomCgroup(Path dir, String path) {
        this.dir = dir;
        this.path = path;
    }

    /** A cgroup limited to {@code limitBytes}; the test is skipped (failed with CI=true) where none can be made. */
    public static OomCgroup create(long limitBytes) throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "a memory cgroup needs root");
        String name = "colabtop-oom-" + UUID.randomUUID().toString().substring(0, 8);
        if (Files.isRegularFile(V1.resolve("memory.limit_in_bytes"))) {
            Path d = Files.createDirectory(V1.resolve(name));
            OomCgroup c = new OomCgroup(d, "/" + name);
            try {
                Files.writeString(d.resolve("memory.limit_in_bytes"), Long.toString(limitBytes));
                if (Files.exists(d.resolve("memory.memsw.limit_in_bytes"))) {
                    Files.writeString(d.resolve("memory.memsw.limit_in_bytes"), Long.toString(limitBytes));
                }
                if (Files.exists(d.resolve("memory.swappiness"))) {
                    Files.writeString(d.resolve("memory.swappiness"), "0");
                }
                return c;
            } catch (IOException | RuntimeException e) {
                c.close();
                throw e;
            }
        }
        Path controllers = V2.resolve("cgroup.controllers");
        assumeTrue(
                Files.isRegularFile(controllers)
                        && Files.readString(controllers).contains("memory"),
                "no memory cgroup controller (v1 /sys/fs/cgroup/memory or v2 with memory) on this machine");
        Path d = Files.createDirectory(V2.resolve(name));
        OomCgroup c = new OomCgroup(d, "/" + name);
        try {
            Files.writeString(d.resolve("memory.max"), Long.toString(limitBytes));
            if (Files.exists(d.resolve("memory.swap.max"))) {
                Files.writeString(d.resolve("memory.swap.max"), "0");
            }
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** The cgroup's path as the kernel names it in its OOM report ({@code oom_memcg=/colabtop-oom-…}). */
    public String path() {
        return path;
    }

    /**
     * Starts {@code dd} with a {@code blockBytes} buffer inside the cgroup and waits (at most
     * {@code within}) for the kernel to kill it.
     *
     * @return the pid the kernel killed
     */
    public long runHogUntilKilled(long blockBytes, Duration within) throws IOException, InterruptedException {
        hog = new ProcessBuilder(
                        "/bin/sh",
                        "-c",
                        "echo $$ > \"$1\" && exec dd if=/dev/zero of=/dev/null bs=" + blockBytes + " count=4",
                        "colabtop-oom-hog",
                        dir.resolve("cgroup.procs").toString())
                .redirectErrorStream(true)
                .start();
        if (!hog.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the hog was not killed within " + within);
        }
        String out = new String(hog.getInputStream().readAllBytes());
        if (hog.exitValue() != 128 + 9) {
            throw new AssertionError("the hog ended with " + hog.exitValue() + ", not SIGKILL: " + out);
        }
        return hog.pid();
    }

    @Override
    public void close() {
        if (hog != null && hog.isAlive()) {
            hog.destroyForcibly();
            try {
                hog.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // a cgroup can be removed once its last task is gone, which takes a moment after a kill
        for (int i = 0; i < 50 && Files.exists(dir); i++) {
            try {
                Files.delete(dir);
            } catch (IOException busy) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
