package dev.batchetl.stats.engine;

/**
 * A skipped row: its physical 1-based line number (where the row starts) and why it was
 * rejected.
 */
public record BadRow(long line, String reason) {
}
