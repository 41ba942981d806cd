package io.colabtop.app;

import java.io.IOException;
import java.nio.file.Files;
import picocli.CommandLine;

/** Entry point of the {@code colabtop} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        configureLogging(AppPaths.fromEnvironment());
        int code = ColabtopCommand.commandLine().execute(args);
        System.exit(code);
    }

    /**
     * Logs go to a file: slf4j's default of stderr would tear the full-screen TUI. Must run before
     * the first logger is created.
     */
    static void configureLogging(AppPaths paths) {
        try {
            Files.createDirectories(paths.stateDir());
            System.setProperty("org.slf4j.simpleLogger.logFile", paths.logFile().toString());
        } catch (IOException e) {
            System.setProperty("org.slf4j.simpleLogger.logFile", "/dev/null");
        }
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("colabtop.log", "info"));
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    }
}
