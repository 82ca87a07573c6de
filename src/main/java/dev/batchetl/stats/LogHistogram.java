package dev.batchetl.stats;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Relative-error histogram of doubles (the DDSketch bucketing with a piecewise linear logarithm): a value x > 0 falls
 * in a bucket whose bounds differ by at most a factor g = (1 + a) / (1 - a), a = 1%, and is represented within 1% of
 * x; negative values likewise by magnitude; zeros are counted apart. At most {@link #BUCKETS} buckets per sign: values
 * more than about 10^12 times smaller than the largest magnitude share the lowest bucket. Counts only add, so the state depends only on
 * the multiset of values: merging in any order, splitting and resuming give identical results.
 */
final class LogHistogram {

    static final double ALPHA = 0.01;
    static final int BUCKETS = 2048;
    private static final double GAMMA = (1 + ALPHA) / (1 - ALPHA);
    private static final double LOG_GAMMA = Math.log(GAMMA);
    private static final double INV_LOG_GAMMA = 1 / LOG_GAMMA;

    private final Side pos = new Side();
    private final Side neg = new Side();
    private long zeros;

    void add(double x, long c) {
        if (x > 0) {
            pos.add(index(x), c);
        } else if (x < 0) {
            neg.add(index(-x), c);
        } else {
            zeros += c;
        }
    }

    /**
     * ceil(L(m) / ln g), L(m) = e + (f - 1) for m = f 2^e, 1 <= f < 2: a piecewise linear log2 that needs no
     * logarithm. L grows at most 1 / ln 2 times faster or slower than log2, so a bucket of width ln g in L spans at most
     * a factor g in value.
     */
    private static int index(double m) {
        if (Double.isInfinite(m)) {
            return Integer.MAX_VALUE / 2;
        }
        double l = approxLog2(m);
        // fast path: multiplying by the rounded reciprocal differs from the division by a few ulps (|q| < 2^17, so
        // well below 1e-9); unless q is that close to an integer, both have the same ceiling
        double q = l * INV_LOG_GAMMA;
        long t = (long) q; // toward zero: the ceiling for q <= 0
        double frac = Math.abs(q - t);
        if (frac > 1e-9 && frac < 1 - 1e-9) {
            return (int) (q > 0 ? t + 1 : t);
        }
        return (int) Math.ceil(l / LOG_GAMMA);
    }

    private static double approxLog2(double m) {
        long bits = Double.doubleToRawLongBits(m);
        int e = (int) ((bits >>> 52) & 0x7FF);
        if (e == 0) { // subnormal: scale up exactly
            return approxLog2(m * 0x1p54) - 54;
        }
        double f = Double.longBitsToDouble((bits & 0x000FFFFFFFFFFFFFL) | 0x3FF0000000000000L);
        return (e - 1023) + (f - 1);
    }

    private static double approxExp2(double l) {
        double e = Math.floor(l);
        return Math.scalb(1 + (l - e), (int) e);
    }

    /** The bucket's lower and upper bounds lo, hi (hi <= g lo) represented by 2 lo hi / (lo + hi): within a of both. */
    private static double value(int i) {
        if (i >= Integer.MAX_VALUE / 2) {
            return Double.POSITIVE_INFINITY;
        }
        double lo = approxExp2((i - 1) * LOG_GAMMA);
        double hi = approxExp2(i * LOG_GAMMA);
        return 2 * lo * hi / (lo + hi);
    }

    long total() {
        return pos.total + neg.total + zeros;
    }

    void merge(LogHistogram o) {
        pos.merge(o.pos);
        neg.merge(o.neg);
        zeros += o.zeros;
    }

    /** Approximate value at 0-based rank r of the sorted values. */
    double orderStatistic(long r) {
        if (r < neg.total) {
            // negatives, from the most negative: the largest magnitude first
            return -neg.valueAtRankFromTop(r);
        }
        r -= neg.total;
        if (r < zeros) {
            return 0.0;
        }
        r -= zeros;
        return pos.valueAtRankFromBottom(r);
    }

    void write(DataOutputStream out) throws IOException {
        out.writeLong(zeros);
        pos.write(out);
        neg.write(out);
    }

    static LogHistogram read(DataInputStream in) throws IOException {
        LogHistogram h = new LogHistogram();
        h.zeros = in.readLong();
        h.pos.read(in);
        h.neg.read(in);
        return h;
    }

    /** Buckets of one sign: counts[k] is the bucket top - k (top = the highest index seen). */
    private static final class Side {
        long[] counts; // null: empty
        int top;
        long total;

        void add(int i, long c) {
            total += c;
            if (counts == null) {
                counts = new long[BUCKETS];
                top = i;
            } else if (i > top) {
                shift(i);
            }
            int k = top - i;
            counts[Math.min(k, BUCKETS - 1)] += c;
        }

        /** Raises top to t, folding what falls off the bottom into the lowest bucket. */
        private void shift(int t) {
            int d = t - top;
            long[] n = new long[BUCKETS];
            for (int k = 0; k < BUCKETS; k++) {
                if (counts[k] != 0) {
                    n[Math.min(k + d, BUCKETS - 1)] += counts[k];
                }
            }
            counts = n;
            top = t;
        }

        void merge(Side o) {
            if (o.counts == null) {
                return;
            }
            for (int k = 0; k < BUCKETS; k++) {
                if (o.counts[k] != 0) {
                    long c = o.counts[k];
                    add(o.top - k, c);
                }
            }
        }

        double valueAtRankFromBottom(long r) {
            long seen = 0;
            for (int k = BUCKETS - 1; k >= 0; k--) {
                seen += counts[k];
                if (seen > r) {
                    return value(top - k);
                }
            }
            return value(top);
        }

        double valueAtRankFromTop(long r) {
            long seen = 0;
            for (int k = 0; k < BUCKETS; k++) {
                seen += counts[k];
                if (seen > r) {
                    return value(top - k);
                }
            }
            return value(top - BUCKETS + 1);
        }

        void write(DataOutputStream out) throws IOException {
            if (counts == null) {
                out.writeBoolean(false);
                return;
            }
            out.writeBoolean(true);
            out.writeInt(top);
            int used = BUCKETS;
            while (used > 0 && counts[used - 1] == 0) {
                used--;
            }
            out.writeInt(used);
            for (int k = 0; k < used; k++) {
                out.writeLong(counts[k]);
            }
        }

        void read(DataInputStream in) throws IOException {
            if (!in.readBoolean()) {
                return;
            }
            top = in.readInt();
            counts = new long[BUCKETS];
            int used = in.readInt();
            for (int k = 0; k < used; k++) {
                counts[k] = in.readLong();
                total += counts[k];
            }
        }
    }
}
