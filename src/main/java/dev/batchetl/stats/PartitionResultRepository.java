package dev.batchetl.stats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.batchetl.stats.engine.BadRow;
import dev.batchetl.stats.engine.FileAccumulator;
import dev.batchetl.stats.engine.FileStats;
import dev.batchetl.storage.StoredText;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Final states of statistics partitions ({@code etl_partition_result}) and set-aside rows
 * ({@code etl_bad_row_stage}).
 */
@Repository
public class PartitionResultRepository {

    private final JdbcTemplate jdbc;

    private final TransactionTemplate transactions;

    PartitionResultRepository(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /**
     * Stores a partition's outcome; storing it again (a partition re-run after a crash)
     * replaces it.
     */
    void save(long jobInstanceId, String partition, String file, int range, byte[] state, String error,
            long jobExecutionId, Long fileBytes, Long fileModified) {
        this.jdbc.update("DELETE FROM etl_partition_result WHERE job_instance_id = ? AND partition_name = ?",
                jobInstanceId, partition);
        this.jdbc.update("""
                INSERT INTO etl_partition_result (job_instance_id, partition_name, file, range_index, state, error,
                                                  job_execution_id, file_bytes, file_modified)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""", jobInstanceId, partition, StoredText.text(file), range, state,
                StoredText.text(error), jobExecutionId, fileBytes, fileModified);
    }

    /**
     * Prefix of the partitions whose results a retry took over from an earlier execution.
     */
    public static final String REUSED = "reused:";

    /**
     * What takes over, for instance {@code jobInstanceId}, the statistics of a file that
     * execution {@code fromExecution} exported without failure, when every partition of
     * it read the file at the size and modification time it has now: its partition
     * results and set-aside rows are copied (the partitions under {@link #REUSED} names,
     * so they never meet this instance's own), in one transaction.
     */
    CsvFilePartitioner.Reuse reuse(long jobInstanceId, long fromExecution) {
        Long fromInstance = this.jdbc.queryForObject(
                "SELECT job_instance_id FROM batch_job_execution WHERE job_execution_id = ?", Long.class,
                fromExecution);
        return (relative, bytes, modified) -> {
            String text = StoredText.text(relative);
            String key = StoredText.key(relative);
            Integer exported = this.jdbc.queryForObject("""
                    SELECT COUNT(*) FROM etl_file_stats WHERE job_execution_id = ? AND file = ? AND error IS NULL""",
                    Integer.class, fromExecution, key);
            if (exported == null || exported == 0) {
                return false;
            }
            List<Boolean> usable = this.jdbc.queryForList("""
                    SELECT CASE WHEN state IS NOT NULL AND error IS NULL AND file_bytes = ? AND file_modified = ?
                                THEN TRUE ELSE FALSE END
                    FROM etl_partition_result WHERE job_instance_id = ? AND file = ?""", Boolean.class, bytes, modified,
                    fromInstance, text);
            if (usable.isEmpty() || usable.contains(Boolean.FALSE)) {
                return false;
            }
            this.transactions.executeWithoutResult(status -> {
                this.jdbc.update("DELETE FROM etl_bad_row_stage WHERE job_instance_id = ? AND file = ?", jobInstanceId,
                        key);
                this.jdbc.update("""
                        INSERT INTO etl_bad_row_stage (job_instance_id, file, line, reason)
                        SELECT ?, file, line, reason FROM etl_bad_row_stage WHERE job_instance_id = ? AND file = ?""",
                        jobInstanceId, fromInstance, key);
                this.jdbc.update("DELETE FROM etl_partition_result WHERE job_instance_id = ? AND file = ?",
                        jobInstanceId, text);
                this.jdbc.update("""
                        INSERT INTO etl_partition_result (job_instance_id, partition_name, file, range_index, state,
                                                          error, job_execution_id, file_bytes, file_modified)
                        SELECT ?, ? || partition_name, file, range_index, state, error, job_execution_id, file_bytes,
                               file_modified
                        FROM etl_partition_result WHERE job_instance_id = ? AND file = ?""", jobInstanceId, REUSED,
                        fromInstance, text);
            });
            return true;
        };
    }

    void saveBadRows(long jobInstanceId, String file, List<BadRow> rows) {
        this.jdbc.batchUpdate("""
                INSERT INTO etl_bad_row_stage (job_instance_id, file, line, reason) VALUES (?, ?, ?, ?)
                ON CONFLICT DO NOTHING""", rows, 500, (ps, row) -> {
            ps.setLong(1, jobInstanceId);
            ps.setString(2, StoredText.key(file));
            ps.setLong(3, row.line());
            ps.setString(4, StoredText.text(row.reason()));
        });
    }

    /**
     * The statistics of every file of the instance, its ranges merged in order; files in
     * path order.
     */
    public List<FileResult> fileResults(long jobInstanceId) {
        Map<String, List<Object[]>> byFile = new LinkedHashMap<>();
        this.jdbc.query("""
                SELECT file, range_index, state, error FROM etl_partition_result WHERE job_instance_id = ?
                ORDER BY file, range_index""", rs -> {
            byFile.computeIfAbsent(rs.getString(1), f -> new ArrayList<>())
                .add(new Object[] { rs.getBytes(3), rs.getString(4) });
        }, jobInstanceId);
        List<FileResult> results = new ArrayList<>();
        byFile.forEach((file, ranges) -> {
            try {
                results.add(merge(file, ranges));
            }
            catch (RuntimeException | StackOverflowError ex) {
                // what one file's statistics hold must not stop the others: that file
                // fails, with the reason
                results.add(FileResult.failed(file, "cannot compute the statistics: " + reason(ex)));
            }
        });
        return results;
    }

    private static FileResult merge(String file, List<Object[]> ranges) {
        FileAccumulator merged = null;
        for (Object[] range : ranges) {
            if (range[1] != null) {
                return FileResult.failed(file, (String) range[1]);
            }
            FileAccumulator next = FileAccumulator.fromBytes((byte[]) range[0]);
            if (merged == null) {
                merged = next;
            }
            else {
                merged.merge(next);
            }
        }
        return merged == null ? FileResult.failed(file, "no statistics recorded")
                : FileResult.of(file, merged.result());
    }

    /**
     * What went wrong, in words: the first line of the exception's message (without the
     * {@code ERROR: } that PostgreSQL puts before its own), or its kind where it has
     * none.
     */
    public static String reason(Throwable ex) {
        String message = ex.getMessage();
        if (message == null || message.isBlank()) {
            return ex.getClass().getSimpleName();
        }
        String line = message.strip().lines().findFirst().orElse("").strip();
        return line.startsWith("ERROR: ") ? line.substring("ERROR: ".length()) : line;
    }

    /** Outcome for one file: statistics, or the reason it could not be read. */
    public record FileResult(String file, FileStats stats, String error) {

        public static FileResult of(String file, FileStats stats) {
            return new FileResult(file, stats, null);
        }

        public static FileResult failed(String file, String error) {
            return new FileResult(file, null, error);
        }

    }

}
