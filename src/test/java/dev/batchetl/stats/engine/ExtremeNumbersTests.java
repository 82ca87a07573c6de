package dev.batchetl.stats.engine;

import static dev.batchetl.stats.engine.StatsTestSupport.col;
import static dev.batchetl.stats.engine.StatsTestSupport.stats;
import static dev.batchetl.stats.engine.StatsTestSupport.statsResumed;
import static dev.batchetl.stats.engine.StatsTestSupport.statsSplit;
import static dev.batchetl.stats.engine.StatsTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Numbers at and beyond the limits of a double: every statistic is total (no exception,
 * no text parsed back), and follows what pandas 1.5 gives for the same file
 * ({@code pd.read_csv(f).x.mean()} etc., values noted beside each assertion), or the
 * exact value where pandas' double sum overflows.
 */
class ExtremeNumbersTests {

    @TempDir
    Path dir;

    @Test
    void infinitiesOfBothSignsHaveNoMeanSumOrVariance() throws Exception {
        // pandas: mean nan, sum nan, var nan, std nan, min -inf, max inf, quantiles [nan,
        // nan, nan]
        ColumnStats x = col(stats(write(dir, "f.csv", "x\nInfinity\n+inf\nINF\n-Infinity\n")), "x");
        assertThat(x.type()).isEqualTo(ColumnType.FLOAT);
        assertThat(x.count()).isEqualTo(4);
        assertThat(x.mean()).isNull();
        assertThat(x.sum()).isNull();
        assertThat(x.variance()).isNull();
        assertThat(x.std()).isNull();
        assertThat(x.min()).isEqualTo("-inf");
        assertThat(x.max()).isEqualTo("inf");
        assertThat(x.q1()).isNull();
        assertThat(x.median()).isNull();
        assertThat(x.hasQuartiles()).isTrue();
    }

    @Test
    void oneInfinityMakesTheMeanInfiniteAndTheVarianceEmpty() throws Exception {
        // pandas: mean inf, sum inf, var nan, std nan, quantiles [1.5, nan, nan] (numpy's
        // interpolation: inf * 0)
        ColumnStats x = col(stats(write(dir, "f.csv", "x\n1\ninf\n2\n")), "x");
        assertThat(x.mean()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(x.sum()).isEqualTo("inf");
        assertThat(x.variance()).isNull();
        assertThat(x.std()).isNull();
        assertThat(x.q1()).isEqualTo(1.5);
        assertThat(x.median()).isNull();
        assertThat(x.q3()).isNull();
    }

    @Test
    void aSumBeyondTheDoubleRangeStillGivesTheExactMean() throws Exception {
        // pandas: mean inf (its double sum overflows), sum inf, var inf, std inf; the
        // exact mean is 1.7e308
        String file = "x\n" + "1.7e308\n".repeat(20);
        for (FileStats s : new FileStats[] { stats(write(dir, "f.csv", file)),
                statsSplit(write(dir, "g.csv", file), CsvOptions.defaults(), 40, new ArrayList<>()),
                statsResumed(write(dir, "h.csv", file), CsvOptions.defaults(), 3, CsvRangeReader.DEFAULT_BUFFER,
                        new ArrayList<>()) }) {
            ColumnStats x = col(s, "x");
            assertThat(x.type()).isEqualTo(ColumnType.FLOAT);
            assertThat(x.mean()).isEqualTo(1.7e308);
            assertThat(x.sum()).isEqualTo("inf");
            assertThat(x.variance()).isEqualTo(0.0); // all equal: Welford's deviations
                                                     // are 0 (pandas: inf)
            assertThat(x.min()).isEqualTo(ColumnStats.format(1.7e308));
        }
    }

    @Test
    void sumsThatLeaveTheRangeOnTheWayAndComeBack() throws Exception {
        // exact: sum 1.7e308 + 1.7e308 - 1.7e308 - 1.7e308 + 3 = 3, mean 0.6 (pandas,
        // summing pairwise: 0.6 too)
        ColumnStats x = col(stats(write(dir, "f.csv", "x\n1.7e308\n1.7e308\n-1.7e308\n-1.7e308\n3\n")), "x");
        assertThat(x.mean()).isEqualTo(0.6);
        assertThat(x.sum()).isEqualTo("3.0");
        assertThat(x.variance()).isEqualTo(Double.POSITIVE_INFINITY); // pandas: inf
        assertThat(x.std()).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void squaresBeyondTheRangeGiveAnInfiniteVariance() throws Exception {
        // pandas: mean 0.0, var inf, std inf, quantiles [-5e+199, 0.0, 5e+199]
        ColumnStats x = col(stats(write(dir, "f.csv", "x\n1e200\n-1e200\n")), "x");
        assertThat(x.mean()).isEqualTo(0.0);
        assertThat(x.variance()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(x.std()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(x.q1()).isEqualTo(-5e199);
        assertThat(x.median()).isEqualTo(0.0);
        assertThat(x.q3()).isEqualTo(5e199);
        // Welford's deviation itself overflows here (x - mean > 1.8e308): still inf, not
        // a negative number or 0
        ColumnStats y = col(stats(write(dir, "g.csv", "y\n1.7e308\n-1.7e308\n")), "y");
        assertThat(y.variance()).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void aVarianceWithinTheRangeIsExactWhereTheSquaresOverflow() throws Exception {
        // values of +-1.2e154: each squared deviation is about 1.44e308, their sum
        // overflows (pandas: var inf), the
        // variance does not: exactly (n/(n-1)) * 1.44e308 for equally many of each sign,
        // here 1.44e308 * 200/199
        String file = "x\n" + "1.2e154\n-1.2e154\n".repeat(100);
        for (FileStats s : new FileStats[] { stats(write(dir, "f.csv", file)),
                statsSplit(write(dir, "g.csv", file), CsvOptions.defaults(), 256, new ArrayList<>()),
                statsResumed(write(dir, "h.csv", file), CsvOptions.defaults(), 7, CsvRangeReader.DEFAULT_BUFFER,
                        new ArrayList<>()) }) {
            ColumnStats x = col(s, "x");
            double expected = new java.math.BigDecimal("1.44e308").multiply(java.math.BigDecimal.valueOf(200))
                .divide(java.math.BigDecimal.valueOf(199), java.math.MathContext.DECIMAL128)
                .doubleValue();
            assertThat(x.variance()).isCloseTo(expected, org.assertj.core.data.Offset.offset(expected * 1e-12));
            assertThat(x.std()).isCloseTo(Math.sqrt(expected), org.assertj.core.data.Offset.offset(1e142));
            assertThat(x.mean()).isEqualTo(0.0);
        }
    }

    @Test
    void subnormalsAreNumbers() throws Exception {
        // pandas: mean 5e-321, sum 1.0005e-320, var 0.0, min 5e-324, max 1e-320
        ColumnStats x = col(stats(write(dir, "f.csv", "x\n4.9e-324\n1e-320\n")), "x");
        assertThat(x.type()).isEqualTo(ColumnType.FLOAT);
        assertThat(x.mean()).isEqualTo(5e-321);
        assertThat(x.variance()).isEqualTo(0.0);
        assertThat(x.min()).isEqualTo(ColumnStats.format(Double.MIN_VALUE));
    }

    @Test
    void decimalsBeyondTheDoubleRangeAreText() throws Exception {
        // pandas: 1e400 and -1e400 make the column object; 1e-400 reads as 0.0; so do
        // integers of 310 digits
        FileStats s = stats(write(dir, "f.csv", "a,b,c,d\n1e400,-1e400,1e-400,1" + "0".repeat(309) + "\n1,1,1,1.5\n"));
        assertThat(col(s, "a").type()).isEqualTo(ColumnType.TEXT);
        assertThat(col(s, "b").type()).isEqualTo(ColumnType.TEXT);
        assertThat(col(s, "c").type()).isEqualTo(ColumnType.FLOAT);
        assertThat(col(s, "c").mean()).isEqualTo(0.5);
        assertThat(col(s, "d").type()).isEqualTo(ColumnType.TEXT);
        assertThat(col(s, "a").mean()).isNull();
    }

    @Test
    void nanSpellingsOutsidePandasNaValuesAreText() throws Exception {
        // pandas: NAN, Nan and +nan are object; -NaN is one of its NA values
        FileStats s = stats(write(dir, "f.csv", "a,b,c,d\nNAN,Nan,+nan,-NaN\n1,1,1,1\n"));
        assertThat(col(s, "a").type()).isEqualTo(ColumnType.TEXT);
        assertThat(col(s, "b").type()).isEqualTo(ColumnType.TEXT);
        assertThat(col(s, "c").type()).isEqualTo(ColumnType.TEXT);
        assertThat(col(s, "d").type()).isEqualTo(ColumnType.FLOAT);
        assertThat(col(s, "d").nulls()).isEqualTo(1);
    }

}
