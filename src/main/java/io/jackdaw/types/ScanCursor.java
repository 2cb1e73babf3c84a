package io.jackdaw.types;

/**
 * The step of a SCAN cursor over a power-of-two table, as Redis steps its dict cursor: the
 * bucket bits are incremented from the top down (reverse binary), so buckets already visited
 * stay visited when the table doubles or halves between calls.
 */
public final class ScanCursor {
    private ScanCursor() {}

    /** The cursor after the bucket {@code cursor & mask}; 0 once every bucket was visited. */
    public static long next(long cursor, int mask) {
        cursor |= ~(long) mask; // set the bits above the mask so the carry runs off the top
        return Long.reverse(Long.reverse(cursor) + 1);
    }
}
