package io.colabtop.core.action;

/**
 * Who watches a running script: told each progress line as it comes, asked every fraction of a
 * second whether the user cancelled. Called from the transport's threads: implementations hand
 * the progress on (to the UI's queue, to stderr) and read a thread-safe flag.
 */
public interface ShellWatch {
    void progress(Progress p);

    boolean cancelled();

    /** Nobody watching: no progress shown, never cancelled. */
    ShellWatch NONE = new ShellWatch() {
        @Override
        public void progress(Progress p) {}

        @Override
        public boolean cancelled() {
            return false;
        }
    };
}
