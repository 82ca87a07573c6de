package dev.batchetl.fetch;

import java.nio.ByteBuffer;

/**
 * A set of texts kept as 128-bit fingerprints (the first 16 bytes of their SHA-256) in
 * open addressing, at most half full: 32 to 64 bytes a text, whatever its length, so that
 * planning a list of a million sources keeps a few tens of MB, not the texts. Two
 * different texts share a fingerprint with a chance of about n&sup2; / 2<sup>129</sup>
 * (10<sup>-27</sup> for a million), far below that of a disk error.
 */
final class Fingerprints {

    /** Pairs of longs; a pair of zeros is an empty slot. */
    private long[] slots = new long[2 * 1024];

    private int size;

    private boolean zero;

    /** Adds {@code text}; true if it was not in the set. */
    boolean add(String text) {
        ByteBuffer digest = ByteBuffer.wrap(TargetNames.sha256(text));
        long high = digest.getLong();
        long low = digest.getLong();
        if (high == 0 && low == 0) {
            boolean added = !this.zero;
            this.zero = true;
            return added;
        }
        if (2 * (this.size + 1) > this.slots.length / 2) {
            grow();
        }
        if (!insert(this.slots, high, low)) {
            return false;
        }
        this.size++;
        return true;
    }

    private static boolean insert(long[] slots, long high, long low) {
        int mask = slots.length / 2 - 1;
        for (int i = (int) (low ^ (low >>> 32)) & mask;; i = (i + 1) & mask) {
            long h = slots[2 * i];
            long l = slots[2 * i + 1];
            if (h == 0 && l == 0) {
                slots[2 * i] = high;
                slots[2 * i + 1] = low;
                return true;
            }
            if (h == high && l == low) {
                return false;
            }
        }
    }

    private void grow() {
        long[] larger = new long[this.slots.length * 2];
        for (int i = 0; i < this.slots.length; i += 2) {
            if (this.slots[i] != 0 || this.slots[i + 1] != 0) {
                insert(larger, this.slots[i], this.slots[i + 1]);
            }
        }
        this.slots = larger;
    }

}
