package dev.batchetl.stats.engine;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Relative-error histogram of doubles, log-linear on the value's bits: a magnitude m > 0
 * falls in the bucket given by its biased exponent and the top 6 bits of its mantissa
 * ({@code doubleToRawLongBits(m) >>> 46} for normal numbers; subnormal numbers are
 * bucketed as if normalised), so 64 buckets per power of two, each bucket [lo, hi) with
 * hi &lt;= (1 + 1/64) lo. A bucket is represented by 2 a b / (a + b), a and b its
 * smallest and largest member, which is within (b - a) / (b + a) &lt; 1/129 &lt; 0.78% of
 * each member (still within 0.78% after rounding, subnormal buckets included). Negative
 * values likewise by magnitude; zeros, and infinities of each sign, are counted apart (a
 * NaN, which the parser never produces, is counted as a zero). At most {@link #BUCKETS} =
 * 2560 buckets (40 powers of two) per sign: values more than about 2^40 (about 10^12)
 * times smaller than the largest magnitude of their sign share the lowest bucket. One
 * array of 2 x 2560 counts per histogram. Counts only add, so the state depends only on
 * the multiset of values: merging in any order, splitting and resuming give identical
 * results.
 */
final class LogHistogram {

    /**
     * The guaranteed relative error of each represented value (the bucketing's is 1/129,
     * below 0.78%).
     */
    static final double ALPHA = 0.01;
    static final int BUCKETS = 2560;

    /** Mantissa bits kept: 64 buckets per power of two. */
    static final int MANTISSA_BITS = 6;

    private static final int SHIFT = 52 - MANTISSA_BITS;

    /**
     * Bucket index of the smallest normal number; smaller magnitudes (and zero) take the
     * rare path.
     */
    private static final int MIN_NORMAL_INDEX = 1 << MANTISSA_BITS;

    private static final long INFINITY_BITS = 0x7FF0000000000000L;

    /**
     * The top of an empty side: far enough below every index that top - index is negative
     * without overflow.
     */
    private static final int EMPTY = -(1 << 30);

    // counts[s * BUCKETS + k]: side s (0: positive, 1: negative), bucket tops[s] - k
    // (tops[s]: the highest index
    // seen); bucket BUCKETS - 1 also holds everything below. Allocated with the first
    // finite nonzero value.
    private long[] counts;

    private final int[] tops = { EMPTY, EMPTY };

    private final long[] infinities = new long[2];

    private long zeros;

    /**
     * The hot path: sign and bucket from the bits, no branch on the sign. Zeros,
     * subnormals, infinities, NaN, the first value of a side and a new largest magnitude
     * all make {@code k} or {@code i - MIN_NORMAL_INDEX} negative.
     */
    void add(double x, long c) {
        long bits = Double.doubleToRawLongBits(x);
        int s = (int) (bits >>> 63);
        int i = (int) (bits >>> SHIFT) & 0x1FFFF;
        int k = tops[s] - i;
        if ((k | (i - MIN_NORMAL_INDEX)) < 0) {
            addRare(bits, c);
            return;
        }
        counts[s * BUCKETS + Math.min(k, BUCKETS - 1)] += c;
    }

    private void addRare(long bits, long c) {
        int s = (int) (bits >>> 63);
        long mag = bits & Long.MAX_VALUE;
        if (mag == 0 || mag > INFINITY_BITS) {
            zeros += c;
            return;
        }
        if (mag == INFINITY_BITS) {
            infinities[s] += c;
            return;
        }
        int i = index(mag);
        raiseTop(s, i);
        counts[s * BUCKETS + Math.min(tops[s] - i, BUCKETS - 1)] += c;
    }

    /**
     * Makes index t at most the top of side s: the first top, or a higher one that folds
     * the lowest buckets.
     */
    private void raiseTop(int s, int t) {
        if (counts == null) {
            counts = new long[2 * BUCKETS];
        }
        int top = tops[s];
        if (top == EMPTY) {
            tops[s] = t;
        }
        else if (t > top) {
            int d = t - top;
            int base = s * BUCKETS;
            int kept = Math.max(BUCKETS - 1 - d, 0); // buckets 0 .. kept - 1 move up by
                                                     // d; the rest fold
            long folded = 0;
            for (int k = kept; k < BUCKETS; k++) {
                folded += counts[base + k];
            }
            if (kept > 0) {
                System.arraycopy(counts, base, counts, base + d, kept);
            }
            java.util.Arrays.fill(counts, base, base + Math.min(d, BUCKETS - 1), 0);
            counts[base + BUCKETS - 1] = folded;
            tops[s] = t;
        }
    }

    /**
     * The bucket index of a finite magnitude's bits (0 &lt; mag &lt; infinity): monotone
     * in the magnitude.
     */
    static int index(long mag) {
        if (mag >= 1L << 52) {
            return (int) (mag >>> SHIFT);
        }
        // subnormal: mag * 2^-1074 = 2^(e - 1074) (1 + f), as a normal number of biased
        // exponent e - 51 (<= 0)
        int e = 63 - Long.numberOfLeadingZeros(mag);
        int j = (int) ((e >= MANTISSA_BITS ? mag >>> (e - MANTISSA_BITS) : mag << (MANTISSA_BITS - e))
                & (MIN_NORMAL_INDEX - 1));
        return ((e - 51) << MANTISSA_BITS) + j;
    }

    /**
     * The representative of bucket i: 2 a b / (a + b), a and b the bucket's smallest and
     * largest member.
     */
    static double value(int i) {
        long lo;
        long hi;
        if (i >= MIN_NORMAL_INDEX) {
            lo = (long) i << SHIFT;
            hi = ((long) (i + 1) << SHIFT) - 1;
        }
        else {
            int e = (i >> MANTISSA_BITS) + 51;
            long j = i & (MIN_NORMAL_INDEX - 1);
            // the bits are the value in units of 2^-1074; the bucket is [2^e (64 + j) /
            // 64, 2^e (65 + j) / 64)
            lo = (((64 + j) << e) + 63) >>> MANTISSA_BITS;
            hi = ((((65 + j) << e) + 63) >>> MANTISSA_BITS) - 1;
        }
        double a = Double.longBitsToDouble(lo);
        double b = Double.longBitsToDouble(hi);
        return a + (b - a) / (1 + b / a); // = 2 a b / (a + b), without overflow in the
                                          // highest bucket
    }

    private long sideTotal(int s) {
        long t = infinities[s];
        if (counts != null) {
            for (int k = s * BUCKETS; k < (s + 1) * BUCKETS; k++) {
                t += counts[k];
            }
        }
        return t;
    }

    long total() {
        return sideTotal(0) + sideTotal(1) + zeros;
    }

    void merge(LogHistogram o) {
        zeros += o.zeros;
        for (int s = 0; s < 2; s++) {
            infinities[s] += o.infinities[s];
            int ot = o.tops[s];
            if (ot == EMPTY) {
                continue;
            }
            raiseTop(s, ot);
            int d = tops[s] - ot;
            int base = s * BUCKETS;
            for (int k = 0; k < BUCKETS; k++) {
                counts[base + Math.min(k + d, BUCKETS - 1)] += o.counts[base + k];
            }
        }
    }

    /** Visits each finite value's bucket, as its representative and its count. */
    void forEachFinite(ValueCounts visitor) {
        if (zeros > 0) {
            visitor.accept(0.0, zeros);
        }
        for (int s = 0; s < 2; s++) {
            if (tops[s] == EMPTY) {
                continue;
            }
            for (int k = 0; k < BUCKETS; k++) {
                long c = counts[s * BUCKETS + k];
                if (c != 0) {
                    double v = value(tops[s] - k);
                    visitor.accept(s == 0 ? v : -v, c);
                }
            }
        }
    }

    /** A value and how often it occurs. */
    interface ValueCounts {

        void accept(double value, long count);

    }

    /** Approximate value at 0-based rank r of the sorted values. */
    double orderStatistic(long r) {
        if (r < 0 || r >= total()) {
            throw new IndexOutOfBoundsException("rank " + r + " of " + total());
        }
        // negatives from the most negative (the largest magnitude first), zeros,
        // positives from the smallest
        if (r < infinities[1]) {
            return Double.NEGATIVE_INFINITY;
        }
        r -= infinities[1];
        if (tops[1] != EMPTY) {
            for (int k = 0; k < BUCKETS; k++) {
                r -= counts[BUCKETS + k];
                if (r < 0) {
                    return -value(tops[1] - k);
                }
            }
        }
        if (r < zeros) {
            return 0.0;
        }
        r -= zeros;
        if (tops[0] != EMPTY) {
            for (int k = BUCKETS - 1; k >= 0; k--) {
                r -= counts[k];
                if (r < 0) {
                    return value(tops[0] - k);
                }
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    void write(DataOutputStream out) throws IOException {
        out.writeLong(zeros);
        for (int s = 0; s < 2; s++) {
            out.writeLong(infinities[s]);
            if (tops[s] == EMPTY) {
                out.writeBoolean(false);
                continue;
            }
            out.writeBoolean(true);
            out.writeInt(tops[s]);
            int base = s * BUCKETS;
            int used = BUCKETS;
            while (used > 0 && counts[base + used - 1] == 0) {
                used--;
            }
            out.writeInt(used);
            for (int k = 0; k < used; k++) {
                writeCount(out, counts[base + k]);
            }
        }
    }

    static LogHistogram read(DataInputStream in) throws IOException {
        LogHistogram h = new LogHistogram();
        h.zeros = in.readLong();
        for (int s = 0; s < 2; s++) {
            h.infinities[s] = in.readLong();
            if (!in.readBoolean()) {
                continue;
            }
            int top = in.readInt();
            h.raiseTop(s, top);
            int used = in.readInt();
            for (int k = 0; k < used; k++) {
                h.counts[s * BUCKETS + k] = readCount(in);
            }
        }
        return h;
    }

    /**
     * A count as an unsigned varint, seven bits a byte: most buckets of a checkpoint hold
     * fewer than 16,384 values, so two bytes or one instead of eight (the histogram was
     * more than half of a numeric column's checkpoint).
     */
    static void writeCount(DataOutputStream out, long c) throws IOException {
        while ((c & ~0x7FL) != 0) {
            out.writeByte((int) (c & 0x7F) | 0x80);
            c >>>= 7;
        }
        out.writeByte((int) c);
    }

    static long readCount(DataInputStream in) throws IOException {
        long c = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.readUnsignedByte();
            c |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return c;
            }
        }
        throw new IOException("bad count in a histogram checkpoint");
    }

}
