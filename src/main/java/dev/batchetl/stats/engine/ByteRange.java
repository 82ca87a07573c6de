package dev.batchetl.stats.engine;

/**
 * Rows whose first byte lies in [start, end); firstLine is the physical line number at
 * start.
 */
public record ByteRange(long start, long end, long firstLine) {
}
