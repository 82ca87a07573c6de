/**
 * The statistics step: Spring Batch adapters around the engine in
 * {@link dev.batchetl.stats.engine}. {@link dev.batchetl.stats.CsvFilePartitioner} plans
 * one partition per byte range of every CSV file ({@link dev.batchetl.stats.CsvFiles}
 * decides which files), each run by a {@link dev.batchetl.stats.CsvStatsTasklet} that
 * reads its range in chunks and checkpoints the accumulator in its step execution context
 * (under {@link dev.batchetl.stats.PartitionKeys}) at every commit;
 * {@link dev.batchetl.stats.PartitionResultRepository} stores each range's accumulator
 * and set-aside rows and merges them per file; {@link dev.batchetl.stats.StatsProgress}
 * shows the progress. {@code StatsStepConfiguration} wires the partitioned step, its
 * partitions restarted first.
 */
package dev.batchetl.stats;
