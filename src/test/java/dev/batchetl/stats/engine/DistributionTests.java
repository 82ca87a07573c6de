package dev.batchetl.stats.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The distribution a numeric column gives the report's plot, exact and from the
 * histogram.
 */
class DistributionTests {

    @Test
    void fewValuesAreBinnedExactlyFromTheSmallestToTheLargest() {
        QuantileAccumulator q = new QuantileAccumulator();
        for (double v : new double[] { 0, 0, 0, 10, 5, Double.POSITIVE_INFINITY }) {
            q.add(v);
        }

        // 4 bins of width 2.5: [0, 2.5) holds the three zeros, [5, 7.5) the 5, the last
        // bin the largest value; the infinity is left out
        assertThat(q.distribution(4)).isEqualTo("0.0 10.0 3 0 1 1");
    }

    @Test
    void valuesAtBothEndsOfTheDoubleRangeAreBinnedWithoutOverflow() {
        QuantileAccumulator q = new QuantileAccumulator();
        for (double v : new double[] { -1.7e308, 4.9e-324, 1.7e308 }) {
            q.add(v);
        }

        // the range is 3.4e308, beyond a double: the smallest value in the first bin,
        // the one near zero in the middle one, the largest in the last
        assertThat(q.distribution(4)).isEqualTo("-1.7E308 1.7E308 1 0 1 1");
    }

    @Test
    void oneValueIsOneBin() {
        QuantileAccumulator q = new QuantileAccumulator();
        q.add(7);
        q.add(7);

        assertThat(q.distribution(3)).isEqualTo("7.0 7.0 2 0 0");
    }

    @Test
    void manyValuesAreBinnedFromTheHistogramWithinItsError() {
        // given 100,000 distinct values, uniform from 1 to 100,000: beyond the exact
        // table
        QuantileAccumulator q = new QuantileAccumulator();
        for (int i = 1; i <= 100_000; i++) {
            q.add(i);
        }
        assertThat(q.exact()).isFalse();

        String[] parts = q.distribution(10).split(" ");
        double low = Double.parseDouble(parts[0]);
        double high = Double.parseDouble(parts[1]);
        long[] counts = Arrays.stream(parts, 2, parts.length).mapToLong(Long::parseLong).toArray();

        // then the range is within the histogram's 1% and each bin holds about a tenth
        assertThat(low).isCloseTo(1, within(0.01));
        assertThat(high).isCloseTo(100_000, within(1_000.0));
        assertThat(Arrays.stream(counts).sum()).isEqualTo(100_000);
        for (long c : counts) {
            assertThat(c).isBetween(8_500L, 11_500L);
        }
    }

    @Test
    void withoutAFiniteValueThereIsNoDistribution() {
        QuantileAccumulator q = new QuantileAccumulator();
        assertThat(q.distribution(4)).isNull();
        q.add(Double.NEGATIVE_INFINITY);
        assertThat(q.distribution(4)).isNull();
    }

}
