package dev.batchetl.export;

import java.nio.file.Files;
import java.sql.Types;
import java.util.ArrayList;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import dev.batchetl.job.EtlJobConfiguration;
import dev.batchetl.stats.PartitionResultRepository;
import dev.batchetl.stats.PartitionResultRepository.FileResult;
import dev.batchetl.stats.engine.ColumnStats;
import dev.batchetl.storage.StorageFaults;
import dev.batchetl.storage.StoredText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Step {@code export}: merges the partitions of each file and writes the results of this
 * job execution to the {@code etl_source}, {@code etl_file_stats},
 * {@code etl_column_stats} and {@code etl_bad_row} tables (in the step's transaction,
 * replacing what an interrupted export of the same execution left) and to
 * {@code results.csv}.
 */
final class ExportTasklet implements Tasklet {

    private static final Logger logger = LoggerFactory.getLogger(ExportTasklet.class);

    private final JdbcTemplate jdbc;

    private final PartitionResultRepository partitions;

    private final Path output;

    private final TransactionTemplate savepoint;

    ExportTasklet(JdbcTemplate jdbc, PartitionResultRepository partitions, Path output,
            PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.partitions = partitions;
        this.output = output;
        this.savepoint = new TransactionTemplate(transactionManager);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
        JobExecution execution = contribution.getStepExecution().getJobExecution();
        long executionId = execution.getId();
        long instanceId = execution.getJobInstance().getInstanceId();
        for (String table : List.of("etl_source", "etl_file_stats", "etl_column_stats", "etl_bad_row")) {
            this.jdbc.update("DELETE FROM " + table + " WHERE job_execution_id = ?", executionId);
        }
        this.jdbc.update("""
                INSERT INTO etl_source (job_execution_id, line, source, target, status, attempts, bytes, sha256,
                                        http_status, duration_ms, error, finished_at)
                SELECT ?, line, source, target, status, attempts, bytes, sha256, http_status, duration_ms, error,
                       finished_at
                FROM etl_fetch_item WHERE job_instance_id = ?""", executionId, instanceId);
        this.jdbc.update("""
                INSERT INTO etl_bad_row (job_execution_id, file, line, reason)
                SELECT ?, file, line, reason FROM etl_bad_row_stage WHERE job_instance_id = ?""", executionId,
                instanceId);
        List<FileResult> files = new ArrayList<>();
        for (FileResult file : this.partitions.fileResults(instanceId)) {
            files.add(store(executionId, file));
        }
        Path target = Files.isDirectory(this.output) ? this.output.resolve("results.csv") : this.output;
        ResultsCsv.write(target, files, instanceId);

        long failedSources = this.jdbc.queryForObject(
                "SELECT COUNT(*) FROM etl_fetch_item WHERE job_instance_id = ? AND status NOT IN ('DONE', 'NOT_MODIFIED')",
                Long.class, instanceId);
        long failedFiles = files.stream().filter(file -> file.error() != null).count();
        execution.getExecutionContext().putLong(EtlJobConfiguration.FAILED_SOURCES, failedSources);
        execution.getExecutionContext().putLong(EtlJobConfiguration.FAILED_FILES, failedFiles);
        contribution.incrementWriteCount(files.size());
        return RepeatStatus.FINISHED;
    }

    /**
     * Stores one file's results under a savepoint of their own. What the file's results
     * hold never fails the step: if the database refuses them as data (a value out of
     * range, a limit of the database), the file is recorded as failed with the reason,
     * and the other files are stored. A fault of the database itself (connection lost,
     * disk full, a transaction rolled back) fails the step, so that a restart stores
     * everything once it is gone.
     */
    private FileResult store(long executionId, FileResult file) {
        try {
            this.savepoint.executeWithoutResult(status -> insert(executionId, file));
            return file;
        }
        catch (DataAccessException ex) {
            if (!StorageFaults.isAboutTheData(ex)) {
                throw ex;
            }
            FileResult failed = FileResult.failed(file.file(),
                    "cannot store the statistics: " + PartitionResultRepository.reason(cause(ex)));
            logger.warn("{}: {}", file.file(), failed.error());
            this.savepoint.executeWithoutResult(status -> insert(executionId, failed));
            return failed;
        }
    }

    private static Throwable cause(DataAccessException ex) {
        Throwable sql = StorageFaults.sqlCause(ex);
        return sql == null ? ex : sql;
    }

    private void insert(long executionId, FileResult file) {
        String key = StoredText.key(file.file());
        if (file.stats() == null) {
            this.jdbc.update("INSERT INTO etl_file_stats (job_execution_id, file, error) VALUES (?, ?, ?)", executionId,
                    key, StoredText.text(file.error()));
            return;
        }
        this.jdbc.update("""
                INSERT INTO etl_file_stats (job_execution_id, file, rows_count, columns_count, bad_rows, invalid_bytes)
                VALUES (?, ?, ?, ?, ?, ?)""", executionId, key, file.stats().rows(), file.stats().columns(),
                file.stats().badRows(), file.stats().invalidBytes());
        List<ColumnStats> columns = file.stats().columnStats();
        this.jdbc.batchUpdate("""
                INSERT INTO etl_column_stats (job_execution_id, file, column_index, column_name, column_type,
                       non_null_count, null_count, mean, min_value, max_value, variance, std, min_length, max_length,
                       sum_value, distinct_count, distinct_exact, q1, median, q3, quartiles_exact, distribution)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                IntStream.range(0, columns.size()).boxed().toList(), 500, (ps, index) -> {
                    ColumnStats column = columns.get(index);
                    ps.setLong(1, executionId);
                    ps.setString(2, key);
                    ps.setInt(3, index);
                    ps.setString(4, StoredText.text(column.name()));
                    ps.setString(5, column.type().label());
                    ps.setLong(6, column.count());
                    ps.setLong(7, column.nulls());
                    ps.setObject(8, column.mean(), Types.DOUBLE);
                    ps.setString(9, StoredText.text(column.min()));
                    ps.setString(10, StoredText.text(column.max()));
                    ps.setObject(11, column.variance(), Types.DOUBLE);
                    ps.setObject(12, column.std(), Types.DOUBLE);
                    ps.setObject(13, column.minLength());
                    ps.setObject(14, column.maxLength());
                    ps.setString(15, column.sum());
                    ps.setLong(16, column.distinct());
                    ps.setBoolean(17, column.distinctExact());
                    ps.setObject(18, column.q1(), Types.DOUBLE);
                    ps.setObject(19, column.median(), Types.DOUBLE);
                    ps.setObject(20, column.q3(), Types.DOUBLE);
                    ps.setObject(21, column.hasQuartiles() ? column.quantilesExact() : null, Types.BOOLEAN);
                    ps.setString(22, column.distribution());
                });
    }

}
