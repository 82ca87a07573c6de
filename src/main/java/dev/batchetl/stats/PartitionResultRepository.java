package dev.batchetl.stats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.batchetl.storage.StoredText;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Final states of statistics partitions ({@code etl_partition_result}) and set-aside rows ({@code etl_bad_row_stage}). */
@Repository
public class PartitionResultRepository {

	private final JdbcTemplate jdbc;

	PartitionResultRepository(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** Stores a partition's outcome; storing it again (a partition re-run after a crash) replaces it. */
	void save(long jobInstanceId, String partition, String file, int range, byte[] state, String error,
			long jobExecutionId) {
		this.jdbc.update("DELETE FROM etl_partition_result WHERE job_instance_id = ? AND partition_name = ?",
				jobInstanceId, partition);
		this.jdbc.update("""
				INSERT INTO etl_partition_result (job_instance_id, partition_name, file, range_index, state, error,
				                                  job_execution_id)
				VALUES (?, ?, ?, ?, ?, ?, ?)""", jobInstanceId, partition, StoredText.text(file), range, state,
				StoredText.text(error), jobExecutionId);
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

	/** The statistics of every file of the instance, its ranges merged in order; files in path order. */
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
				// what one file's statistics hold must not stop the others: that file fails, with the reason
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
		return merged == null ? FileResult.failed(file, "no statistics recorded") : FileResult.of(file, merged.result());
	}

	/**
	 * What went wrong, in words: the first line of the exception's message (without the {@code ERROR: } that
	 * PostgreSQL puts before its own), or its kind where it has none.
	 */
	public static String reason(Throwable ex) {
		String message = ex.getMessage();
		if (message == null || message.isBlank()) {
			return ex.getClass().getSimpleName();
		}
		String line = message.strip().lines().findFirst().orElse("").strip();
		return line.startsWith("ERROR: ") ? line.substring("ERROR: ".length()) : line;
	}

	/** The set-aside rows of the instance, by file then line. */
	public List<Map<String, Object>> badRows(long jobInstanceId) {
		return this.jdbc.queryForList("""
				SELECT file, line, reason FROM etl_bad_row_stage WHERE job_instance_id = ? ORDER BY file, line""",
				jobInstanceId);
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
