package io.colabtop.app.cli;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** What the CLI needs to know of the terminal it prints to: whether there is one, and how wide it is. */
final class Terminal {
    private Terminal() {}

    /** Columns of the terminal stdout goes to, or 0 when it is not one (a pipe, a file: cut nothing). */
    static int columns() {
        if (System.console() == null) {
            return 0;
        }
        String env = System.getenv("COLUMNS");
        if (env != null && env.matches("\\d{1,4}")) {
            return Integer.parseInt(env);
        }
        try {
            // the shell does not export COLUMNS to children: ask the terminal itself
            Process p = new ProcessBuilder("stty", "size")
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/tty")))
                    .start();
            if (p.waitFor(2, TimeUnit.SECONDS) && p.exitValue() == 0) {
                String[] f =
                        new String(p.getInputStream().readAllBytes()).trim().split("\\s+");
                if (f.length == 2 && f[1].matches("\\d{1,4}")) {
                    return Integer.parseInt(f[1]);
                }
            } else {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            // no tty to ask
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 80;
    }
}
