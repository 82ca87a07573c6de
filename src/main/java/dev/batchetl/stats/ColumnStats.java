package dev.batchetl.stats;

/**
 * Statistics of one column. Numbers are rendered as plain decimal strings (no exponent); {@code null} where a value
 * does not apply (mean of a text column, min/max of an empty column, variance with fewer than two values).
 */
public record ColumnStats(String name, ColumnType type, long count, long nulls, String mean, String min, String max,
                          String variance, String std, Integer minLength, Integer maxLength) {
}
