package dev.batchetl.stats.engine;

/** What to do with bytes that are not valid in the file's encoding. */
public enum InvalidBytePolicy {

    /** Fail the file with a {@link CsvFormatException} naming the line. */
    FAIL_FILE,
    /** Replace each invalid sequence with U+FFFD, count it (per file), and go on. */
    REPLACE

}
