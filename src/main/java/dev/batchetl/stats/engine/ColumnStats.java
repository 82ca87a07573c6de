package dev.batchetl.stats.engine;

import java.math.BigDecimal;

/**
 * Statistics of one column. Numeric statistics are doubles (infinite where pandas gives
 * an infinity), {@code null} where a value does not apply or pandas gives NaN (mean of a
 * text column, variance with fewer than two values or of a column holding an infinity).
 * Min, max and sum are text: min/max are values of the column (or the smallest and
 * largest number, rendered by {@link #format(double)}), the sum of an integer column is
 * exact.
 *
 * @param sum exact for integer columns, compensated for float columns, number of true
 * values for boolean
 * @param distinct distinct non-null values (by value for typed columns, by text for text
 * columns)
 * @param distinctExact whether {@code distinct} is exact (few distinct values) or a
 * sketch estimate
 * @param q1 25% quantile (numeric columns), interpolated linearly as pandas does when
 * exact
 * @param quantilesExact whether the quartiles are exact or a sketch estimate
 * @param distribution numeric columns: the values in {@link #DISTRIBUTION_BINS} equal
 * bins from the smallest to the largest finite value, {@code "LOW HIGH C1 C2 ..."} (for
 * the report's plot); null otherwise
 */
public record ColumnStats(String name, ColumnType type, long count, long nulls, Double mean, String min, String max,
        Double variance, Double std, Integer minLength, Integer maxLength, String sum, long distinct,
        boolean distinctExact, Double q1, Double median, Double q3, boolean quantilesExact, String distribution) {

    /** Bins of {@link #distribution()}. */
    public static final int DISTRIBUTION_BINS = 24;

    /**
     * Whether the column is numeric with values, so that it has quartiles (which may be
     * NaN, hence null).
     */
    public boolean hasQuartiles() {
        return count > 0 && (type == ColumnType.INTEGER || type == ColumnType.FLOAT);
    }

    /**
     * The text of a number in {@code results.csv} and {@code show}: the plain decimal (no
     * exponent) of its shortest representation with at least one fractional digit,
     * {@code inf}/{@code -inf}, and {@code null} for NaN.
     */
    public static String format(double x) {
        if (Double.isNaN(x)) {
            return null;
        }
        if (x == Double.POSITIVE_INFINITY) {
            return "inf";
        }
        if (x == Double.NEGATIVE_INFINITY) {
            return "-inf";
        }
        String s = new BigDecimal(Double.toString(x)).stripTrailingZeros().toPlainString();
        return s.indexOf('.') < 0 ? s + ".0" : s;
    }

    /** {@link #format(double)} of a statistic that may be absent. */
    public static String format(Double x) {
        return x == null ? null : format(x.doubleValue());
    }

}
