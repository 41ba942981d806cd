package io.colabtop.core;

/**
 * One process as colabtop shows it: a likely OOM victim when its {@code oomScore} is high. Its
 * user, name and command line are whatever the host says ({@link HostText}: bounded, shown safely).
 *
 * @param startTimeTicks with {@code pid}, identifies the process across reads (pid reuse guard)
 */
public record ProcessInfo(
        int pid,
        int ppid,
        HostText user,
        HostText comm,
        HostText command,
        long rssBytes,
        int oomScore,
        int oomScoreAdj,
        long startTimeTicks,
        char state) {

    /** Longest kernel name of a task is 15 bytes (TASK_COMM_LEN - 1); more is not a real comm. */
    public static final int MAX_COMM = 64;

    public ProcessInfo {
        user = user == null ? HostText.EMPTY : user;
        comm = comm == null ? HostText.EMPTY : comm;
        command = command == null ? HostText.EMPTY : command;
    }

    /** From plain strings (synthetic snapshots, tests): sanitised here like any host text. */
    public ProcessInfo(
            int pid,
            int ppid,
            String user,
            String comm,
            String command,
            long rssBytes,
            int oomScore,
            int oomScoreAdj,
            long startTimeTicks,
            char state) {
        this(
                pid,
                ppid,
                HostText.of(user, 256),
                HostText.of(comm, MAX_COMM),
                HostText.of(command),
                rssBytes,
                oomScore,
                oomScoreAdj,
                startTimeTicks,
                state);
    }

    /** The command line, or {@code [comm]} for kernel threads, as ps shows them; safe for a terminal. */
    public String displayCommand() {
        return command.isEmpty() ? "[" + comm.shown() + "]" : command.shown();
    }

    /** The same, exactly as the host has it (for JSON and for matching). */
    public String exactCommand() {
        return command.isEmpty() ? "[" + comm.exact() + "]" : command.exact();
    }
}
