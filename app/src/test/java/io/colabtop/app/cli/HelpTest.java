package io.colabtop.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --help} of every command and subcommand, found by walking picocli's command tree, run as
 * a user runs it (a fresh JVM through {@link Main}): exit 0, the usage on stdout, and nothing on
 * stderr. picocli writes its own warnings (an unescaped '%' in a description) straight to the
 * process's stderr, which an in-process run cannot capture.
 */
class HelpTest {
    /** Every command path: [], [status], [swap], ... and deeper levels if any appear. */
    static List<List<String>> commandPaths() {
        List<List<String>> paths = new ArrayList<>();
        walk(ColabtopCommand.commandLine(), new ArrayList<>(), paths);
        return paths;
    }

    private static void walk(CommandLine cl, List<String> path, List<List<String>> paths) {
        paths.add(List.copyOf(path));
        cl.getSubcommands().forEach((name, sub) -> {
            if (sub.getCommandName().equals(name)) { // aliases lead to the same command
                path.add(name);
                walk(sub, path, paths);
                path.remove(path.size() - 1);
            }
        });
    }

    record Result(List<String> path, int code, String out, String err) {}

    static Result help(List<String> path, Path stderr) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-XX:TieredStopAtLevel=1",
                "-Xshare:auto",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(path);
        cmd.add("--help");
        Process p = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(stderr.toFile())
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "help of " + path + " finished");
        return new Result(path, p.exitValue(), new String(out, StandardCharsets.UTF_8), Files.readString(stderr));
    }

    @Test
    void everyCommandsHelpExitsZeroAndWritesNothingToStderr(@TempDir Path tmp) throws Exception {
        List<List<String>> paths = commandPaths();
        assertTrue(paths.size() >= 11, "the walk found the subcommands: " + paths);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<Result>> runs = new ArrayList<>();
        try {
            for (int i = 0; i < paths.size(); i++) {
                List<String> path = paths.get(i);
                Path stderr = tmp.resolve("stderr-" + i);
                runs.add(pool.submit(() -> help(path, stderr)));
            }
        } finally {
            pool.shutdown();
        }
        List<String> wrong = new ArrayList<>();
        for (Future<Result> run : runs) {
            Result r = run.get();
            String name = String.join(" ", r.path());
            String usage = "Usage: colabtop" + (name.isEmpty() ? "" : " " + name);
            // picocli's own `help` command prints its header line before the usage
            if (r.code() != 0 || !r.err().isEmpty() || !r.out().contains(usage)) {
                wrong.add("colabtop " + name + " --help: exit " + r.code() + ", stderr: "
                        + r.err().strip()
                        + (r.out().contains(usage) ? "" : ", stdout: " + r.out().strip()));
            }
        }
        assertEquals(List.of(), wrong);
    }
}
