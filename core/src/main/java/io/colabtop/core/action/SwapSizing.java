package io.colabtop.core.action;

import io.colabtop.core.ByteFormat;

/**
 * How big an emergency swap file may be. Default: twice RAM (what people type by hand:
 * {@code fallocate -l 104G} on a 52 GB box), capped so the file system keeps a reserve of the
 * larger of 10% of its size and 5 GiB: a full root disk breaks the training run too.
 */
public final class SwapSizing {
    public static final long MIB = 1L << 20;
    public static final long RESERVE_MIN = 5L << 30;
    public static final long SMALLEST_USEFUL = 256 * MIB;

    /** The chosen size, or why there is none. */
    public record Choice(long bytes, boolean capped, String refusal) {
        public boolean ok() {
            return refusal == null;
        }
    }

    private SwapSizing() {}

    /**
     * @param requested bytes the user asked for, or 0 for the default
     * @param fsSize    size of the file system that will hold the file
     * @param fsAvail   bytes available there now
     */
    public static Choice choose(long memTotal, long fsSize, long fsAvail, long requested) {
        long reserve = reserve(fsSize);
        long room = fsAvail - reserve;
        String disk = ByteFormat.bytes(fsAvail) + " free of " + ByteFormat.bytes(fsSize) + ", keeping "
                + ByteFormat.bytes(reserve) + " free";
        if (requested > 0) {
            long want = roundDown(requested);
            if (want < SMALLEST_USEFUL) {
                return new Choice(
                        0, false, "a swap file under " + ByteFormat.bytes(SMALLEST_USEFUL) + " would not help");
            }
            if (want > room) {
                return new Choice(
                        0, false, "the disk cannot hold " + ByteFormat.bytes(want) + " of swap (" + disk + ")");
            }
            return new Choice(want, false, null);
        }
        long want = roundDown(2 * memTotal);
        if (want <= room) {
            return new Choice(want, false, null);
        }
        long capped = roundDown(room);
        if (capped < SMALLEST_USEFUL) {
            return new Choice(0, false, "the disk has no room for swap (" + disk + ")");
        }
        return new Choice(capped, true, null);
    }

    /**
     * What a file system of {@code fsSize} bytes keeps free: the larger of 10% and 5 GiB. The swap
     * script is given this figure and checks it again on the host when it runs.
     */
    public static long reserve(long fsSize) {
        return Math.max(fsSize / 10, RESERVE_MIN);
    }

    private static long roundDown(long bytes) {
        return Math.max(0, bytes / MIB * MIB);
    }
}
