package dev.batchetl.stats;

/** What to do with a row that cannot be parsed (too many fields, unclosed quote). */
public enum BadRowPolicy {
    /** Report the row to the bad-row consumer, count it, and leave it out of every statistic. */
    SKIP,
    /** Abort the file with a {@link CsvFormatException}. */
    FAIL_FILE
}
