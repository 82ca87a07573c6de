package dev.batchetl.stats.engine;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * Renders a column's accumulated statistics as the {@link ColumnStats} pandas would
 * report for its dtype: which parts give the sum, mean, extremes, variance and quartiles,
 * and how they are written.
 */
final class ColumnResults {

    private ColumnResults() {
    }

    static ColumnStats of(ColumnAccumulator c, String name, long rows) {
        ColumnType type = PandasDtype.of(c, rows);
        long count = c.count;
        String sum = null;
        Double mean = null;
        String min = null;
        String max = null;
        Double variance = null;
        double[] q = null;
        if (count > 0) {
            switch (type) {
                case INTEGER: {
                    BigInteger exact = c.integers.exactSum();
                    sum = exact.toString();
                    mean = new BigDecimal(exact).divide(BigDecimal.valueOf(count), MathContext.DECIMAL128)
                        .doubleValue();
                    min = c.integers.min(c.ints);
                    max = c.integers.max();
                    variance = c.moments.variance();
                    q = c.quantiles.quantiles(0.25, 0.5, 0.75);
                    break;
                }
                case FLOAT: {
                    NumericMoments m = c.moments;
                    double total = m.sum();
                    mean = m.mean(count);
                    sum = ColumnStats.format(total);
                    min = ColumnStats.format(m.dmin);
                    max = ColumnStats.format(m.dmax);
                    variance = m.variance();
                    q = c.quantiles.quantiles(0.25, 0.5, 0.75);
                    break;
                }
                case BOOLEAN: {
                    long trues = c.trues;
                    long falses = c.falses;
                    sum = Long.toString(trues);
                    mean = (double) trues / count;
                    min = falses > 0 ? "False" : "True";
                    max = trues > 0 ? "True" : "False";
                    if (count > 1) {
                        variance = (double) trues * (double) falses / ((double) count * (double) (count - 1));
                    }
                    break;
                }
                case DATE:
                case DATETIME: {
                    boolean dateOnly = type == ColumnType.DATE;
                    min = c.temporal.min(dateOnly);
                    max = c.temporal.max(dateOnly);
                    break;
                }
                default:
                    min = c.text.min();
                    max = c.text.max();
            }
        }
        Integer minLength = count > 0 ? c.text.minLen : null;
        Integer maxLength = count > 0 ? c.text.maxLen : null;
        DistinctCounter d = DistinctCounter.union(c.distinctNumbers,
                type == ColumnType.TEXT || c.distinctTyped == null ? c.distinctText : c.distinctTyped);
        long distinct = count == 0 ? 0 : d.count();
        boolean quantilesExact = q == null || c.quantiles.exact();
        Double std = variance == null ? null : Math.sqrt(variance);
        return new ColumnStats(name, type, count, c.nulls, number(mean), min, max, variance, std, minLength, maxLength,
                sum, distinct, d.exact(), q == null ? null : number(q[0]), q == null ? null : number(q[1]),
                q == null ? null : number(q[2]), quantilesExact,
                q == null ? null : c.quantiles.distribution(ColumnStats.DISTRIBUTION_BINS));
    }

    /** null for NaN: a statistic pandas gives as NaN is empty. */
    private static Double number(Double x) {
        return x == null || x.isNaN() ? null : x;
    }

}
