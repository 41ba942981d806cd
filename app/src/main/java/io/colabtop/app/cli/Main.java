package io.colabtop.app.cli;

import io.colabtop.app.config.AppPaths;
import io.colabtop.app.config.LogFile;

/** Entry point of the {@code colabtop} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        configureLogging(AppPaths.fromEnvironment());
        java.util.logging.Logger.getLogger("colabtop").info("colabtop started with " + args.length + " argument(s)");
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> java.util.logging.Logger.getLogger("colabtop")
                .log(java.util.logging.Level.SEVERE, "uncaught in thread " + t.getName(), e));
        int code = ColabtopCommand.commandLine().execute(args);
        java.util.logging.Logger.getLogger("colabtop").info("colabtop exits with " + code);
        System.exit(code);
    }

    /**
     * Logs go to a file (appended, rotated, 0600): slf4j's default of stderr would tear the
     * full-screen TUI. Must run before the first logger is created. {@code -Dcolabtop.log=fine}
     * logs more.
     */
    static void configureLogging(AppPaths paths) {
        java.util.logging.Level level;
        try {
            level = java.util.logging.Level.parse(
                    System.getProperty("colabtop.log", "info").toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            level = java.util.logging.Level.INFO;
        }
        LogFile.install(paths, level);
    }
}
