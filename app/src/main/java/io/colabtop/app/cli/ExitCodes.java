package io.colabtop.app.cli;

/** Exit statuses of colabtop, as documented in --help and the README. */
public final class ExitCodes {
    public static final int OK = 0;
    /** At least one host could not be read (status) or an action failed. */
    public static final int HOST_FAILED = 1;
    /** Bad command line: unknown option, malformed host or value. */
    public static final int USAGE = 2;
    /** colabtop itself failed (a bug, a terminal it cannot drive). */
    public static final int INTERNAL = 3;

    private ExitCodes() {}
}
