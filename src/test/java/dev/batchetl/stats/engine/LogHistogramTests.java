package dev.batchetl.stats.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The log-linear histogram checked against independent computations: the bucket of a
 * magnitude from {@link Math#getExponent} and the fraction's first 6 binary digits, exact
 * order statistics from a sorted array, and the state (its {@code write} bytes) of one
 * pass compared with split, merged, reordered and resumed passes.
 */
class LogHistogramTests {

    /** The documented bound on each represented value: 1/129, rounded up. */
    private static final double BOUND = 0.0078;

    // ----- independent computations
    // --------------------------------------------------------------------------------

    /**
     * (e + 1023) 64 + j for m = (1 + j / 64 + f) 2^e, 0 <= f < 1/64: exponent and first 6
     * fraction bits.
     */
    private static int expectedIndex(double m) {
        int e = m >= Double.MIN_NORMAL ? Math.getExponent(m) : Math.getExponent(m * 0x1p64) - 64;
        double fraction = Math.scalb(m, -e); // exact: in [1, 2)
        int j = (int) ((fraction - 1) * 64);
        return (e + 1023) * 64 + j;
    }

    private static void assertRepresents(double represented, double x, String what) {
        if (x == 0 || Double.isInfinite(x)) {
            assertThat(represented).as(what + " of " + x).isEqualTo(x == 0 ? 0.0 : x);
            return;
        }
        double err = Math.abs(represented - x) / Math.abs(x);
        assertThat(err).as(what + ": %s for %s", represented, x).isLessThanOrEqualTo(BOUND);
        assertThat(err).isLessThan(LogHistogram.ALPHA);
    }

    /**
     * Values over the whole range of doubles: both signs, subnormals, huge and tiny
     * magnitudes, integers, specials.
     */
    private static double randomValue(Random rnd) {
        double sign = rnd.nextBoolean() ? 1 : -1;
        switch (rnd.nextInt(7)) {
            case 0: {
                double x = Double.longBitsToDouble(rnd.nextLong()); // any exponent
                return Double.isNaN(x) ? 1.0 : x;
            }
            case 1:
                return sign * Double.longBitsToDouble(rnd.nextLong() >>> (12 + rnd.nextInt(52))); // subnormal
            case 2:
                return rnd.nextInt(2_000_001) - 1_000_000; // integers
            case 3:
                return Math.round((rnd.nextDouble() * 20000 - 10000) * 100) / 100.0; // like
                                                                                     // -5994.2,
                                                                                     // 84.73
            case 4: {
                double[] special = { 0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MAX_VALUE,
                        -Double.MAX_VALUE, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL,
                        Math.nextDown(Double.MIN_NORMAL), 1.0, -1.0 };
                return special[rnd.nextInt(special.length)];
            }
            case 5:
                return sign * Math.exp(rnd.nextGaussian() * 30);
            default:
                return sign * Math.scalb(1 + rnd.nextInt(64) / 64.0, rnd.nextInt(2098) - 1074); // bucket
                                                                                                // bounds
        }
    }

    private static byte[] bytes(LogHistogram h) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bos);
        h.write(out);
        out.flush();
        return bos.toByteArray();
    }

    private static LogHistogram read(byte[] b) throws IOException {
        return LogHistogram.read(new DataInputStream(new ByteArrayInputStream(b)));
    }

    // ----- tests
    // -----------------------------------------------------------------------------------------------------

    @Test
    void theBucketIsTheExponentAndTheFirstSixFractionBitsAndIsMonotone() {
        Random rnd = new Random(1);
        List<Double> values = new ArrayList<>();
        for (int e = -1074; e <= 1023; e++) {
            for (int j = 0; j < 64; j++) {
                double m = Math.scalb(1 + j / 64.0, e);
                for (double x : new double[] { Math.nextDown(m), m, Math.nextUp(m) }) {
                    if (x > 0 && !Double.isInfinite(x)) {
                        values.add(x);
                    }
                }
            }
        }
        for (int n = 0; n < 200_000; n++) {
            double x = Math.abs(randomValue(rnd));
            if (x > 0 && !Double.isInfinite(x)) {
                values.add(x);
            }
        }
        values.add(Double.MAX_VALUE);
        Collections.sort(values);
        int previous = Integer.MIN_VALUE;
        for (double m : values) {
            int i = LogHistogram.index(Double.doubleToRawLongBits(m));
            assertThat(i).as("index of %s", m).isEqualTo(expectedIndex(m));
            assertThat(i).as("monotone at %s", m).isGreaterThanOrEqualTo(previous);
            previous = i;
        }
        // one bucket per 1/64 of a power of two, from the smallest subnormal to the
        // largest double
        assertThat(LogHistogram.index(Double.doubleToRawLongBits(Double.MIN_VALUE))).isEqualTo((-1074 + 1023) * 64);
        assertThat(LogHistogram.index(Double.doubleToRawLongBits(1.0))).isEqualTo(1023 * 64);
        assertThat(LogHistogram.index(Double.doubleToRawLongBits(1 + 1 / 64.0))).isEqualTo(1023 * 64 + 1);
        assertThat(LogHistogram.index(Double.doubleToRawLongBits(Math.nextDown(1 + 1 / 64.0)))).isEqualTo(1023 * 64);
        assertThat(LogHistogram.index(Double.doubleToRawLongBits(Double.MAX_VALUE))).isEqualTo(0x7FE * 64 + 63);
    }

    @Test
    void everyBucketIsRepresentedWithinTheBoundAtBothEnds() {
        // both ends of every bucket from the smallest subnormal to the largest double (a
        // bucket's error is largest
        // at its ends); a subnormal bucket may hold one double or none
        List<Double> ends = new ArrayList<>(List.of(Double.MAX_VALUE));
        for (int e = -1074; e <= 1023; e++) {
            for (int j = 0; j < 64; j++) {
                double m = Math.scalb(1 + j / 64.0, e);
                for (double x : new double[] { Math.nextDown(m), m }) {
                    if (x > 0 && !Double.isInfinite(x)) {
                        ends.add(x);
                    }
                }
            }
        }
        Collections.sort(ends);
        double previous = 0;
        for (double x : ends) {
            double v = LogHistogram.value(LogHistogram.index(Double.doubleToRawLongBits(x)));
            assertRepresents(v, x, "bucket end");
            assertThat(v).as("representatives are monotone at %s", x).isGreaterThanOrEqualTo(previous);
            previous = v;
        }
    }

    @Test
    void eachValueAloneOrAfterALargerOneIsRepresentedWithinTheBound() {
        Random rnd = new Random(2);
        for (int n = 0; n < 20_000; n++) {
            double x = randomValue(rnd);
            LogHistogram alone = new LogHistogram();
            alone.add(x, 1);
            assertThat(alone.total()).isEqualTo(1);
            assertRepresents(alone.orderStatistic(0), x, "alone");
            // the second value of a side takes the hot path: below the top, and at the
            // top
            double larger = x * 1.7;
            if (x != 0 && !Double.isInfinite(larger) && Math.abs(x) >= Double.MIN_NORMAL) {
                LogHistogram h = new LogHistogram();
                h.add(larger, 1);
                h.add(x, 2);
                h.add(larger, 1);
                long rankOfX = x > 0 ? 0 : 2;
                assertRepresents(h.orderStatistic(rankOfX), x, "below a larger value");
                assertRepresents(h.orderStatistic(rankOfX + 1), x, "below a larger value");
                assertRepresents(h.orderStatistic(2 - rankOfX), larger, "the larger value");
                assertRepresents(h.orderStatistic(3 - rankOfX), larger, "the larger value");
            }
        }
    }

    @Test
    void orderStatisticsOfAMultisetAreWithinTheBoundOfTheSortedValues() {
        Random rnd = new Random(3);
        int n = 200_000;
        double[] values = new double[n];
        LogHistogram h = new LogHistogram();
        for (int i = 0; i < n; i++) {
            double x;
            switch (rnd.nextInt(6)) {
                case 0:
                    x = rnd.nextInt(201) - 100; // duplicates and zeros
                    break;
                case 1:
                    // 6e-6 .. 2e5: within a factor 2^40 of each other and of 10000
                    x = (rnd.nextBoolean() ? 1 : -1) * Math.exp(Math.max(-12, Math.min(12, rnd.nextGaussian() * 5)));
                    break;
                case 2:
                    x = rnd.nextInt(1000) == 0 ? (rnd.nextBoolean() ? 1 : -1) * Double.POSITIVE_INFINITY : 7.25;
                    break;
                default:
                    x = Math.round((rnd.nextDouble() * 20000 - 10000) * 100) / 100.0;
            }
            values[i] = x;
            h.add(x, 1);
        }
        Arrays.sort(values);
        assertThat(h.total()).isEqualTo(n);
        for (int r = 0; r < n; r += 1 + rnd.nextInt(20)) {
            assertRepresents(h.orderStatistic(r), values[r], "rank " + r);
        }
        assertRepresents(h.orderStatistic(n - 1), values[n - 1], "last");
    }

    @Test
    void mergedSplitReorderedAndResumedPassesGiveIdenticalStates() throws IOException {
        Random rnd = new Random(4);
        for (int round = 0; round < 20; round++) {
            int n = 1 + rnd.nextInt(20_000);
            double[] values = new double[n];
            double scale = Math.scalb(1.0, rnd.nextInt(200) - 100);
            for (int i = 0; i < n; i++) {
                // growing magnitudes shift the window; the wide values fold and land in
                // the rare path
                values[i] = rnd.nextInt(4) == 0 ? randomValue(rnd) : (rnd.nextDouble() - 0.4) * scale * (i + 1);
            }
            LogHistogram whole = new LogHistogram();
            for (double x : values) {
                whole.add(x, 1);
            }
            byte[] expected = bytes(whole);

            // split into parts, merged left to right, right to left and in a random order
            int parts = 1 + rnd.nextInt(8);
            int[] cuts = new int[parts + 1];
            cuts[parts] = n;
            for (int p = 1; p < parts; p++) {
                cuts[p] = rnd.nextInt(n + 1);
            }
            Arrays.sort(cuts);
            List<LogHistogram> hs = new ArrayList<>();
            for (int p = 0; p < parts; p++) {
                LogHistogram part = new LogHistogram();
                for (int i = cuts[p]; i < cuts[p + 1]; i++) {
                    part.add(values[i], 1);
                }
                hs.add(part);
            }
            LogHistogram forward = new LogHistogram();
            for (LogHistogram part : hs) {
                forward.merge(part);
            }
            assertThat(bytes(forward)).as("merged in order").isEqualTo(expected);
            LogHistogram backward = read(bytes(hs.get(parts - 1)));
            for (int p = parts - 2; p >= 0; p--) {
                backward.merge(hs.get(p));
            }
            assertThat(bytes(backward)).as("merged in reverse").isEqualTo(expected);
            List<LogHistogram> shuffled = new ArrayList<>(hs);
            Collections.shuffle(shuffled, rnd);
            while (shuffled.size() > 1) { // pairwise, like partitions merged in a tree
                LogHistogram a = shuffled.remove(rnd.nextInt(shuffled.size()));
                LogHistogram b = shuffled.remove(rnd.nextInt(shuffled.size()));
                a.merge(b);
                shuffled.add(a);
            }
            assertThat(bytes(shuffled.get(0))).as("merged in a random tree").isEqualTo(expected);

            // the values in another order, and equal values added with their count
            double[] permuted = values.clone();
            for (int i = n - 1; i > 0; i--) {
                int k = rnd.nextInt(i + 1);
                double t = permuted[i];
                permuted[i] = permuted[k];
                permuted[k] = t;
            }
            LogHistogram reordered = new LogHistogram();
            Map<Double, Long> counted = new LinkedHashMap<>();
            for (double x : permuted) {
                reordered.add(x, 1);
                counted.merge(x, 1L, Long::sum);
            }
            assertThat(bytes(reordered)).as("reordered").isEqualTo(expected);
            LogHistogram withCounts = new LogHistogram();
            counted.forEach((x, c) -> withCounts.add(x, c));
            assertThat(bytes(withCounts)).as("with counts").isEqualTo(expected);

            // resumed from a checkpoint
            int cut = rnd.nextInt(n + 1);
            LogHistogram first = new LogHistogram();
            for (int i = 0; i < cut; i++) {
                first.add(values[i], 1);
            }
            LogHistogram resumed = read(bytes(first));
            for (int i = cut; i < n; i++) {
                resumed.add(values[i], 1);
            }
            assertThat(bytes(resumed)).as("resumed").isEqualTo(expected);
        }
    }

    @Test
    void valuesMoreThanTwoToTheFortyTimesSmallerShareTheLowestBucket() throws IOException {
        // 2560 buckets: with 1.0 the largest (bucket 1023 * 64), buckets down to 1023 *
        // 64 - 2558 are kept apart and
        // everything at or below 1023 * 64 - 2559, that is below (1 + 2/64) 2^-40, shares
        // the lowest bucket
        double kept = Math.scalb(1 + 2 / 64.0, -40);
        double lowest = Math.scalb(1 + 1 / 64.0, -40);
        double[] folded = { lowest, Math.scalb(1.0, -40), Math.scalb(1.0, -41), Math.scalb(1.5, -41), 1e-300,
                Double.MIN_VALUE };
        List<Double> all = new ArrayList<>(List.of(1.0, kept, Math.scalb(1.0, -39)));
        for (double x : folded) {
            all.add(x);
        }
        byte[] first = null;
        Random rnd = new Random(5);
        for (int order = 0; order < 10; order++) { // the largest first, last, or anywhere
            Collections.shuffle(all, rnd);
            LogHistogram h = new LogHistogram();
            LogHistogram neg = new LogHistogram();
            for (double x : all) {
                h.add(x, 1);
                neg.add(-x, 1);
            }
            int f = folded.length;
            for (int r = 0; r < f; r++) {
                // all folded values take the lowest bucket's value, that of (1 + 1/64)
                // 2^-40
                assertThat(h.orderStatistic(r)).isEqualTo(h.orderStatistic(0));
                assertThat(neg.orderStatistic(all.size() - 1 - r)).isEqualTo(-h.orderStatistic(0));
            }
            assertRepresents(h.orderStatistic(0), lowest, "the lowest bucket");
            assertRepresents(h.orderStatistic(f), kept, "the bucket above the lowest");
            assertThat(h.orderStatistic(f)).isGreaterThan(h.orderStatistic(0));
            assertRepresents(h.orderStatistic(f + 1), Math.scalb(1.0, -39), "2^-39");
            assertRepresents(h.orderStatistic(f + 2), 1.0, "the largest");
            byte[] b = bytes(h);
            if (first != null) {
                assertThat(b).isEqualTo(first);
            }
            first = b;
        }
        // a largest value of the other sign does not fold this one
        LogHistogram h = new LogHistogram();
        h.add(-1.0, 1);
        h.add(1e-300, 1);
        assertRepresents(h.orderStatistic(1), 1e-300, "alone on its side");
    }

    @Test
    void infinitiesAndZerosAreCountedApartAndNaNDoesNotFail() {
        LogHistogram h = new LogHistogram();
        h.add(Double.POSITIVE_INFINITY, 2);
        for (int i = 1; i <= 3000; i++) {
            h.add(i, 1);
        }
        h.add(Double.NEGATIVE_INFINITY, 1);
        h.add(0.0, 1);
        h.add(-0.0, 1);
        h.add(Double.NaN, 1); // never produced by the parser: counted with the zeros
        assertThat(h.total()).isEqualTo(3000 + 2 + 1 + 3);
        assertThat(h.orderStatistic(0)).isEqualTo(Double.NEGATIVE_INFINITY);
        for (int r = 1; r <= 3; r++) {
            assertThat(h.orderStatistic(r)).isEqualTo(0.0);
        }
        // the infinities leave the finite values their own buckets
        for (int i = 1; i <= 3000; i++) {
            assertRepresents(h.orderStatistic(3 + i), i, "i");
        }
        assertThat(h.orderStatistic(3004)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(h.orderStatistic(3005)).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void writeAndReadRoundTrip() throws IOException {
        Random rnd = new Random(6);
        LogHistogram h = new LogHistogram();
        LogHistogram empty = new LogHistogram();
        assertThat(bytes(read(bytes(empty)))).isEqualTo(bytes(empty));
        for (int i = 0; i < 50_000; i++) {
            h.add(randomValue(rnd), 1 + rnd.nextInt(3));
        }
        byte[] b = bytes(h);
        LogHistogram back = read(b);
        assertThat(bytes(back)).isEqualTo(b);
        assertThat(back.total()).isEqualTo(h.total());
        for (long r = 0; r < h.total(); r += 997) {
            assertThat(back.orderStatistic(r)).isEqualTo(h.orderStatistic(r));
        }
        for (int i = 0; i < 1000; i++) {
            double x = randomValue(rnd);
            h.add(x, 1);
            back.add(x, 1);
        }
        assertThat(bytes(back)).isEqualTo(bytes(h));
    }

    @Test
    void countsRoundTripAsVarintsOfOneToTenBytes() throws IOException {
        long[] counts = { 0, 1, 127, 128, 16_383, 16_384, 1L << 35, Long.MAX_VALUE, -1L };
        int[] lengths = { 1, 1, 1, 2, 2, 3, 6, 9, 10 };
        for (int i = 0; i < counts.length; i++) {
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            LogHistogram.writeCount(new java.io.DataOutputStream(b), counts[i]);
            assertThat(b.size()).as("bytes of " + counts[i]).isEqualTo(lengths[i]);
            long back = LogHistogram
                .readCount(new java.io.DataInputStream(new java.io.ByteArrayInputStream(b.toByteArray())));
            assertThat(back).isEqualTo(counts[i]);
        }
        // a histogram of many values per bucket writes each count in a few bytes, not
        // eight
        LogHistogram h = new LogHistogram();
        for (int i = 0; i < 200_000; i++) {
            h.add(1 + (i % 1000) / 1000.0, 1);
        }
        assertThat(bytes(h).length).isLessThan(100 + 3 * 64);
        assertThat(read(bytes(h)).total()).isEqualTo(200_000);
    }

}
