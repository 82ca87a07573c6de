package dev.batchetl.stats.engine;

import java.util.List;

/**
 * Statistics of one file; invalidBytes counts the invalid byte sequences replaced
 * (invalid-bytes=replace).
 */
public record FileStats(long rows, int columns, long badRows, long invalidBytes, List<ColumnStats> columnStats) {
}
