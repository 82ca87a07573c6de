package dev.batchetl.stats.engine;

/**
 * What to do with a row that cannot be parsed (more fields than the header). A quoted
 * field still open at the end of the file is no bad row: it fails the file under either
 * policy.
 */
public enum BadRowPolicy {

    /**
     * Report the row to the bad-row consumer, count it, and leave it out of every
     * statistic.
     */
    SKIP,
    /** Abort the file with a {@link CsvFormatException}. */
    FAIL_FILE

}
