package io.colabtop.core;

/**
 * One process as colabtop shows it: a likely OOM victim when its {@code oomScore} is high.
 *
 * @param startTimeTicks with {@code pid}, identifies the process across reads (pid reuse guard)
 */
public record ProcessInfo(int pid, int ppid, String user, String comm, String command, long rssBytes,
                          int oomScore, int oomScoreAdj, long startTimeTicks, char state) {

    /** The command line, or {@code [comm]} for kernel threads, as ps shows them. */
    public String displayCommand() {
        return command.isEmpty() ? "[" + comm + "]" : command;
    }
}
