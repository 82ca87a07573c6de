package dev.batchetl.stats.engine;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * Quartiles of a numeric column, interpolated linearly between order statistics as
 * pandas' {@code quantile()} does: exact (a value-to-count table) while at most
 * {@link #EXACT_LIMIT} distinct values were seen, then from a {@link LogHistogram} (each
 * order statistic within 1% of its true value). Both states depend only on the multiset
 * of values, so merged, split and resumed reads give identical results. Mergeable;
 * constant memory.
 */
final class QuantileAccumulator {

    static final int EXACT_LIMIT = 1024;

    // open addressing on the value's bits; counts[i] == 0: empty slot
    private long[] keys = new long[16];

    private long[] counts = new long[16];

    private int size;

    private LogHistogram hist;

    void add(double x) {
        if (hist != null) {
            hist.add(x, 1);
            return;
        }
        addCount(x == 0 ? 0.0 : x, 1);
    }

    private void addCount(double x, long c) {
        long bits = Double.doubleToLongBits(x);
        int mask = keys.length - 1;
        int i = (int) DistinctCounter.mix(bits) & mask;
        for (;;) {
            if (counts[i] == 0) {
                keys[i] = bits;
                counts[i] = c;
                size++;
                if (size > EXACT_LIMIT) {
                    toSketch();
                }
                else if (size * 2 > keys.length) {
                    rehash();
                }
                return;
            }
            if (keys[i] == bits) {
                counts[i] += c;
                return;
            }
            i = (i + 1) & mask;
        }
    }

    private void rehash() {
        long[] ok = keys;
        long[] oc = counts;
        keys = new long[ok.length * 2];
        counts = new long[ok.length * 2];
        size = 0;
        for (int i = 0; i < ok.length; i++) {
            if (oc[i] != 0) {
                addCount(Double.longBitsToDouble(ok[i]), oc[i]);
            }
        }
    }

    private void toSketch() {
        LogHistogram s = new LogHistogram();
        for (int i = 0; i < keys.length; i++) {
            if (counts[i] != 0) {
                s.add(Double.longBitsToDouble(keys[i]), counts[i]);
            }
        }
        hist = s;
        keys = null;
        counts = null;
        size = 0;
    }

    boolean exact() {
        return hist == null;
    }

    void merge(QuantileAccumulator o) {
        if (o.hist == null) {
            for (int i = 0; i < o.keys.length; i++) {
                if (o.counts[i] != 0) {
                    if (hist != null) {
                        hist.add(Double.longBitsToDouble(o.keys[i]), o.counts[i]);
                    }
                    else {
                        addCount(Double.longBitsToDouble(o.keys[i]), o.counts[i]);
                    }
                }
            }
            return;
        }
        if (hist == null) {
            toSketch();
        }
        hist.merge(o.hist);
    }

    /**
     * The distribution of the finite values in {@code bins} equal bins from the smallest
     * to the largest, as text: {@code "LOW HIGH C1 C2 ..."}; exact while the values are
     * counted exactly, then from the histogram's buckets (each value within 1%). Null
     * without a finite value. For a plot, not a statistic: no second pass over the data.
     */
    String distribution(int bins) {
        double[] range = { Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY };
        LogHistogram.ValueCounts extent = (v, c) -> {
            if (Double.isFinite(v)) {
                range[0] = Math.min(range[0], v);
                range[1] = Math.max(range[1], v);
            }
        };
        forEachValue(extent);
        if (range[0] > range[1]) {
            return null;
        }
        double low = range[0];
        // halves, so that the range of values near both ends of the double range does not
        // overflow (halving a double is exact but for the last bit of subnormals)
        double halfLow = low / 2;
        double halfWidth = range[1] / 2 - halfLow;
        long[] counts = new long[bins];
        forEachValue((v, c) -> {
            if (Double.isFinite(v)) {
                int bin = halfWidth > 0 ? (int) ((v / 2 - halfLow) / halfWidth * bins) : 0;
                counts[Math.max(0, Math.min(bins - 1, bin))] += c;
            }
        });
        StringBuilder text = new StringBuilder().append(low).append(' ').append(range[1]);
        for (long c : counts) {
            text.append(' ').append(c);
        }
        return text.toString();
    }

    private void forEachValue(LogHistogram.ValueCounts visitor) {
        if (hist != null) {
            hist.forEachFinite(visitor);
            return;
        }
        for (int i = 0; i < keys.length; i++) {
            if (counts[i] != 0) {
                visitor.accept(Double.longBitsToDouble(keys[i]), counts[i]);
            }
        }
    }

    /** The q-quantiles (0..1) of the values, or null when there are none. */
    double[] quantiles(double... qs) {
        if (hist != null) {
            long total = hist.total();
            double[] out = new double[qs.length];
            for (int k = 0; k < qs.length; k++) {
                double h = (total - 1) * qs[k];
                long lo = (long) Math.floor(h);
                double frac = h - lo;
                out[k] = lerp(hist.orderStatistic(lo), hist.orderStatistic(Math.min(lo + 1, total - 1)), frac);
            }
            return out;
        }
        if (size == 0) {
            return null;
        }
        double[] values = new double[size];
        long[] cum = new long[size];
        int n = 0;
        for (int i = 0; i < keys.length; i++) {
            if (counts[i] != 0) {
                values[n++] = Double.longBitsToDouble(keys[i]);
            }
        }
        Arrays.sort(values);
        long total = 0;
        for (int i = 0; i < size; i++) {
            total += countOf(values[i]);
            cum[i] = total; // number of values <= values[i]
        }
        double[] out = new double[qs.length];
        for (int k = 0; k < qs.length; k++) {
            // pandas / numpy 'linear': position h = (N - 1) q between order statistics
            // floor(h) and floor(h) + 1
            double h = (total - 1) * qs[k];
            long lo = (long) Math.floor(h);
            double frac = h - lo;
            out[k] = lerp(orderStatistic(values, cum, lo), orderStatistic(values, cum, Math.min(lo + 1, total - 1)),
                    frac);
        }
        return out;
    }

    /**
     * numpy's linear interpolation between neighbouring order statistics a <= b at t in
     * [0, 1), in its own order of operations, so that results agree to the last bit and
     * NaN where numpy's is NaN (an infinite neighbour: inf * 0).
     */
    static double lerp(double a, double b, double t) {
        double diff = b - a;
        return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
    }

    private long countOf(double x) {
        long bits = Double.doubleToLongBits(x);
        int mask = keys.length - 1;
        int i = (int) DistinctCounter.mix(bits) & mask;
        while (keys[i] != bits || counts[i] == 0) {
            i = (i + 1) & mask;
        }
        return counts[i];
    }

    /** The value at 0-based position r of the sorted values. */
    private static double orderStatistic(double[] values, long[] cum, long r) {
        int lo = 0;
        int hi = values.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cum[mid] > r) {
                hi = mid;
            }
            else {
                lo = mid + 1;
            }
        }
        return values[lo];
    }

    void write(DataOutputStream out) throws IOException {
        if (hist == null) {
            // sorted by value bits: equal tables serialize to equal bytes
            long[][] entries = new long[size][];
            int n = 0;
            for (int i = 0; i < keys.length; i++) {
                if (counts[i] != 0) {
                    entries[n++] = new long[] { keys[i], counts[i] };
                }
            }
            Arrays.sort(entries, (x, y) -> Long.compare(x[0], y[0]));
            out.writeInt(size);
            for (long[] entry : entries) {
                out.writeLong(entry[0]);
                out.writeLong(entry[1]);
            }
        }
        else {
            out.writeInt(-1);
            hist.write(out);
        }
    }

    static QuantileAccumulator read(DataInputStream in) throws IOException {
        QuantileAccumulator q = new QuantileAccumulator();
        int n = in.readInt();
        if (n >= 0) {
            for (int i = 0; i < n; i++) {
                long bits = in.readLong();
                q.addCount(Double.longBitsToDouble(bits), in.readLong());
            }
        }
        else {
            q.hist = LogHistogram.read(in);
            q.keys = null;
            q.counts = null;
        }
        return q;
    }

}
