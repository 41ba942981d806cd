package io.colabtop.core;

/**
 * A host colabtop can read one snapshot of. {@link #poll} may block (network, a hung /proc read);
 * the caller bounds it with a deadline and calls {@link #abort} from another thread when it passes.
 */
public interface HostSource extends AutoCloseable {
    String name();

    HostSnapshot poll() throws Exception;

    /** Unblocks a poll in progress (closes its connection). Must be safe to call from any thread. */
    default void abort() {}

    @Override
    default void close() {}
}
