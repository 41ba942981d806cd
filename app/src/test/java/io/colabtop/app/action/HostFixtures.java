package io.colabtop.app.action;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;

/**
 * Real places on this machine for the swap tests: directories only root can change (the swap
 * script refuses any other), and small loop-mounted file systems (ext2 has no fallocate, so the
 * script writes with dd; ext4 has it). Everything is removed by close(), also after a failure.
 */
public final class HostFixtures {
    private HostFixtures() {}

    /**
     * A fresh 0700 directory whose every parent is root's and not writable by group or others:
     * under the module's target/ when its parents are such (a checkout under /home/USER is not),
     * else under /var/lib.
     */
    public static Path rootOnlyDir(String prefix) throws IOException {
        Path target = Path.of("target").toAbsolutePath();
        Files.createDirectories(target);
        Path base = onlyRootCanChange(target) ? target : Path.of("/var/lib");
        Path d = Files.createTempDirectory(base, prefix);
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx------"));
        return d;
    }

    private static boolean onlyRootCanChange(Path dir) throws IOException {
        for (Path d = dir; d != null; d = d.getParent()) {
            PosixFileAttributes a = Files.readAttributes(d, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.owner().getName().equals("root")
                    || a.permissions().contains(PosixFilePermission.GROUP_WRITE)
                    || a.permissions().contains(PosixFilePermission.OTHERS_WRITE)
                    || a.isSymbolicLink()) {
                return false;
            }
        }
        return true;
    }

    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: temp files
        }
    }

    static boolean inSwaps(Path p) throws IOException {
        return Files.readAllLines(Path.of("/proc/swaps")).stream()
                .anyMatch(l -> l.split("\\s+")[0].equals(p.toString()));
    }

    /** Runs a command, returns its exit status and output. */
    static Result sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, out + " (timed out)");
        }
        return new Result(p.exitValue(), out);
    }

    record Result(int code, String out) {}

    static void must(String... cmd) throws IOException, InterruptedException {
        Result r = sh(cmd);
        if (r.code() != 0) {
            fail(String.join(" ", cmd) + " failed (" + r.code() + "): " + r.out());
        }
    }

    /** Turns off and removes what a swap test may have left at {@code path}. */
    static void scrub(Path path) throws IOException, InterruptedException {
        sh("swapoff", path.toString());
        Files.deleteIfExists(path);
    }

    /**
     * A file system of its own, loop-mounted on a root-only directory: a sparse image (only what is
     * written takes disk space), so the swap script's real df figures are small and known.
     */
    static final class LoopFs implements AutoCloseable {
        final Path base;
        final Path mount;
        private final Path image;

        private LoopFs(Path base, Path image, Path mount) {
            this.base = base;
            this.image = image;
            this.mount = mount;
        }

        /** @param type "ext2" (no fallocate: dd writes the swap file) or "ext4" */
        static LoopFs make(String type, long sizeGib) throws IOException, InterruptedException {
            Path base = rootOnlyDir("loopfs");
            Path image = base.resolve("fs.img");
            Path mount = Files.createDirectory(base.resolve("mnt"));
            must("truncate", "-s", sizeGib + "G", image.toString());
            must("mkfs." + type, "-q", "-F", image.toString());
            Result m = sh("mount", "-o", "loop", image.toString(), mount.toString());
            if (m.code() != 0) {
                deleteTree(base);
                assumeTrue(
                        false,
                        "this machine cannot loop-mount a file system ("
                                + m.out().strip() + ")");
            }
            return new LoopFs(base, image, mount);
        }

        long availBytes() throws IOException {
            return Files.getFileStore(mount).getUsableSpace();
        }

        @Override
        public void close() throws IOException, InterruptedException {
            try (var files = Files.list(mount)) {
                for (Path p : files.toList()) {
                    sh("swapoff", p.toString());
                }
            }
            if (sh("umount", mount.toString()).code() != 0) {
                sh("umount", "-l", mount.toString());
            }
            deleteTree(base);
        }
    }

    /**
     * A slow disk without fallocate, for real: a FUSE mount (rclone over a local folder) whose
     * writes are held to {@code mibPerSecond}. The swap script falls back to dd there, as on the
     * file systems users met, and dd takes long enough to watch its progress and cancel it.
     * (swapon refuses a FUSE file, so a swap made here never becomes active.)
     */
    public static final class SlowFs implements AutoCloseable {
        public final Path base;
        public final Path mount;

        private SlowFs(Path base, Path mount) {
            this.base = base;
            this.mount = mount;
        }

        public static SlowFs make(int mibPerSecond) throws IOException, InterruptedException {
            assumeTrue(
                    Files.isExecutable(Path.of("/usr/bin/rclone")) && Files.exists(Path.of("/dev/fuse")),
                    "a slow FUSE disk needs rclone and /dev/fuse");
            Path base = rootOnlyDir("slowfs");
            Path store = Files.createDirectory(base.resolve("store"));
            Path mount = Files.createDirectory(base.resolve("mnt"));
            Result m = sh(
                    "rclone",
                    "mount",
                    ":local:" + store,
                    mount.toString(),
                    "--daemon",
                    "--config",
                    "/dev/null",
                    "--bwlimit",
                    mibPerSecond + "M");
            if (m.code() != 0) {
                deleteTree(base);
                assumeTrue(
                        false,
                        "this machine cannot make a FUSE mount (" + m.out().strip() + ")");
            }
            SlowFs fs = new SlowFs(base, mount);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!fs.mounted() && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            if (!fs.mounted()) {
                fs.close();
                fail("rclone mount did not appear in /proc/mounts");
            }
            // the mount's root is the store's: root's and 0700, as the swap script requires
            Files.setPosixFilePermissions(mount, PosixFilePermissions.fromString("rwx------"));
            return fs;
        }

        boolean mounted() throws IOException {
            return Files.readAllLines(Path.of("/proc/mounts")).stream()
                    .anyMatch(l -> l.split(" ")[1].equals(mount.toString()));
        }

        @Override
        public void close() throws IOException, InterruptedException {
            if (sh("fusermount3", "-u", mount.toString()).code() != 0) {
                sh("fusermount3", "-uz", mount.toString());
            }
            deleteTree(base);
        }
    }
}
