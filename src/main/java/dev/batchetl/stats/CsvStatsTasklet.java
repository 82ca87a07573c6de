package dev.batchetl.stats;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import dev.batchetl.stats.engine.BadRow;
import dev.batchetl.stats.engine.ByteRange;
import dev.batchetl.stats.engine.CsvFormatException;
import dev.batchetl.stats.engine.CsvHeader;
import dev.batchetl.stats.engine.CsvOptions;
import dev.batchetl.stats.engine.CsvRangeReader;
import dev.batchetl.stats.engine.FileAccumulator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStream;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.dao.DataAccessException;

/**
 * The worker of one statistics partition. Each call reads up to {@code commitRows} rows
 * into the accumulators, in its own transaction; at its commit the reader position and
 * the accumulator state go into the step execution context (the checkpoint), together
 * with the rows set aside in that chunk. A restarted partition resumes from the last
 * checkpoint. A file that cannot be read is recorded as failed with its place, and the
 * other partitions go on.
 */
class CsvStatsTasklet implements Tasklet, ItemStream {

    private static final Logger logger = LoggerFactory.getLogger(CsvStatsTasklet.class);

    static final String OFFSET = PartitionKeys.OFFSET;

    static final String LINE = PartitionKeys.LINE;

    static final String STATE = PartitionKeys.STATE;

    private final Partition partition;

    private final CsvOptions options;

    private final int commitRows;

    private final PartitionResultRepository results;

    private FileAccumulator accumulator;

    private CsvRangeReader reader;

    private String error;

    private final StatsProgress progress;

    CsvStatsTasklet(Partition partition, CsvOptions options, int commitRows, PartitionResultRepository results,
            StatsProgress progress) {
        this.partition = partition;
        this.options = options;
        this.commitRows = commitRows;
        this.results = results;
        this.progress = progress;
        this.error = partition.error();
    }

    /** Where this partition reads and under which identity it records its result. */
    record Partition(long jobInstanceId, long jobExecutionId, String name, Path file, String relative, int range,
            long start, long end, long firstLine, String error, Long fileBytes, Long fileModified) {
    }

    @Override
    public void open(ExecutionContext context) {
        if (this.error != null) {
            return;
        }
        try {
            CsvHeader header = CsvHeader.read(this.partition.file(), this.options);
            int columns = header.names().size();
            if (context.containsKey(OFFSET)) {
                this.accumulator = FileAccumulator.fromBytes(Base64.getDecoder().decode(context.getString(STATE)));
                this.reader = CsvRangeReader.open(this.partition.file(), this.options, columns,
                        new ByteRange(context.getLong(OFFSET), this.partition.end(), context.getLong(LINE)));
            }
            else {
                boolean fromHeader = this.partition.start() < 0;
                this.accumulator = new FileAccumulator(header.names());
                this.reader = CsvRangeReader.open(this.partition.file(), this.options, columns,
                        new ByteRange(fromHeader ? header.dataStart() : this.partition.start(), this.partition.end(),
                                fromHeader ? header.dataStartLine() : this.partition.firstLine()));
            }
        }
        catch (IOException | RuntimeException ex) {
            this.error = CsvFilePartitioner.describe(ex);
        }
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        if (this.error == null) {
            try {
                List<BadRow> badRows = new ArrayList<>();
                long before = this.reader.offset();
                int records = this.reader.read(this.accumulator, this.commitRows, badRows::add);
                this.progress.read(this.reader.offset() - before);
                if (!badRows.isEmpty()) {
                    this.results.saveBadRows(this.partition.jobInstanceId(), this.partition.relative(), badRows);
                    contribution.incrementReadSkipCount(badRows.size());
                }
                contribution.incrementWriteCount(records - badRows.size());
                if (records > 0 && !this.reader.finished()) {
                    return RepeatStatus.CONTINUABLE;
                }
            }
            catch (IOException | UncheckedIOException | CsvFormatException ex) {
                this.error = CsvFilePartitioner.describe(ex);
            }
            catch (DataAccessException ex) {
                throw ex; // the job repository or the tables, not the file: the step
                          // fails and a restart continues
            }
            catch (RuntimeException ex) {
                // whatever else reading this file runs into is this file's failure, never
                // the run's
                logger.warn("{}: cannot read the file", this.partition.relative(), ex);
                this.error = "cannot read the file: " + CsvFilePartitioner.describe(ex);
            }
        }
        this.results.save(this.partition.jobInstanceId(), this.partition.name(), this.partition.relative(),
                this.partition.range(), this.error == null ? this.accumulator.toBytes() : null, this.error,
                this.partition.jobExecutionId(), this.partition.fileBytes(), this.partition.fileModified());
        this.progress.partitionDone();
        return RepeatStatus.FINISHED;
    }

    @Override
    public void update(ExecutionContext context) {
        if (this.error == null && this.reader != null) {
            context.putLong(OFFSET, this.reader.offset());
            // -1 while the partition's first line is not known: counting it is left to a
            // bad row or an error
            context.putLong(LINE, this.reader.lineKnown() ? this.reader.line() : -1);
            context.putString(STATE, Base64.getEncoder().encodeToString(this.accumulator.toBytes()));
        }
    }

    @Override
    public void close() {
        if (this.reader != null) {
            try {
                this.reader.close();
            }
            catch (IOException ignored) {
                // read-only file: nothing to lose
            }
        }
    }

}
