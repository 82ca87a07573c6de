package dev.batchetl.stats.engine;

/**
 * Eight bytes at a time in a long ("SIMD within a register"): byte matching for the CSV
 * scans.
 */
final class Swar {

    static final long ONES = 0x0101010101010101L;
    static final long HIGHS = 0x8080808080808080L;

    private Swar() {
    }

    /** The byte b in every byte of a long. */
    static long broadcast(int b) {
        return ONES * (b & 0xFF);
    }

    /**
     * The high bit of the bytes of w equal to the byte broadcast in t: the lowest flagged
     * byte is exact, higher ones may be false positives. Cheapest when only the first
     * match counts.
     */
    static long firstMatches(long w, long t) {
        long x = w ^ t;
        return (x - ONES) & ~x & HIGHS;
    }

    /**
     * The high bit of every byte of w equal to the byte broadcast in t, exactly (for
     * counting).
     */
    static long matches(long w, long t) {
        long x = w ^ t;
        long y = ((x & ~HIGHS) + ~HIGHS) | x;
        return ~y & HIGHS;
    }

}
