package dev.batchetl.stats;

/**
 * Statistics of one column. Numbers are rendered as plain decimal strings (no exponent); {@code null} where a value
 * does not apply (mean of a text column, min/max of an empty column, variance with fewer than two values).
 *
 * @param sum            exact for integer columns, compensated for float columns, number of true values for boolean
 * @param distinct       distinct non-null values (by value for typed columns, by text for text columns)
 * @param distinctExact  whether {@code distinct} is exact (few distinct values) or a sketch estimate
 * @param q1             25% quantile (numeric columns), interpolated linearly as pandas does when exact
 * @param quantilesExact whether the quartiles are exact or a sketch estimate
 */
public record ColumnStats(String name, ColumnType type, long count, long nulls, String mean, String min, String max,
                          String variance, String std, Integer minLength, Integer maxLength, String sum, long distinct,
                          boolean distinctExact, String q1, String median, String q3, boolean quantilesExact) {
}
