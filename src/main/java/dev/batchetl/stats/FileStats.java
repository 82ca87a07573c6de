package dev.batchetl.stats;

import java.util.List;

/** Statistics of one file. */
public record FileStats(long rows, int columns, long badRows, List<ColumnStats> columnStats) {
}
