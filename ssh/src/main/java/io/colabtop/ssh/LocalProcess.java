package io.colabtop.ssh;

import io.colabtop.core.HostException;
import io.colabtop.core.action.HostShell;
import io.colabtop.core.action.ShellResult;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs an action script on the machine colabtop runs on, as root or through sudo -n. */
public final class LocalProcess implements HostShell {
    private final java.util.Map<String, String> extraEnv;

    public LocalProcess() {
        this(java.util.Map.of());
    }

    /** With extra environment (tests put a gcsfuse stand-in first on PATH this way). */
    public LocalProcess(java.util.Map<String, String> extraEnv) {
        this.extraEnv = java.util.Map.copyOf(extraEnv);
    }

    @Override
    public ShellResult runAsRoot(String script, Duration timeout) throws HostException {
        List<String> cmd = isRoot() ? List.of("/bin/sh", "-s") : List.of("sudo", "-n", "/bin/sh", "-s");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().putAll(extraEnv);
            Process p = pb.start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            try (OutputStream in = p.getOutputStream()) {
                in.write(script.getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new HostException("the action did not finish within " + timeout.toSeconds() + " s and was killed");
            }
            return interpret(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS), "this machine",
                    System.getProperty("user.name"));
        } catch (HostException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostException("interrupted", e);
        } catch (Exception e) {
            throw new HostException("cannot run the action: " + HostException.describe(e), e);
        }
    }

    static boolean isRoot() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("Uid:")) {
                    return l.substring(4).trim().split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException ignored) {
            // not Linux: fall through
        }
        return "root".equals(System.getProperty("user.name"));
    }

    /** Reads the script's report; a refused sudo becomes a message that says what is needed. */
    static ShellResult interpret(int exit, String out, String err, String where, String user) throws HostException {
        ShellResult r = ShellResult.parse(exit, out, err);
        boolean scriptRan = out.contains("colabtop-");
        if (!scriptRan && exit != 0 && err.contains("sudo")) {
            throw new HostException("this action needs root on " + where + ": log in as root or allow passwordless "
                    + "sudo for " + user + " (sudo -n said: " + err.strip().lines().findFirst().orElse("") + ")");
        }
        return r;
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
