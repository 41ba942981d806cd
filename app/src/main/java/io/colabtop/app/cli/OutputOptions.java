package io.colabtop.app.cli;

import picocli.CommandLine.Option;

/** How a listing command prints: a table for people, JSON or CSV for scripts (gcloud's --format), quietly or not. */
public class OutputOptions {
    /** What a listing command can print. */
    public enum Format {
        TABLE,
        JSON,
        CSV
    }

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            description = "table (default), json or csv. JSON and CSV keep every value whole and exact.")
    Format format;

    @Option(names = "--json", description = "the same as --format json")
    boolean json;

    @Option(
            names = {"-q", "--quiet"},
            description = "only the data: no notes, totals or warnings (errors still go to stderr)")
    boolean quiet;

    Format format() {
        return json ? Format.JSON : format == null ? Format.TABLE : format;
    }
}
