package dev.batchetl.fetch;

import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.batchetl.job.EtlRequest;
import dev.batchetl.storage.StreamedQuery;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The {@code etl_fetch_item} table: one row per source of a job instance, the fetch
 * step's process indicator.
 */
@Repository
class FetchItemRepository {

    private final JdbcTemplate jdbc;

    private final NamedParameterJdbcTemplate named;

    FetchItemRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
    }

    /** Sources inserted per JDBC batch by {@link #plan}. */
    static final int PLAN_BATCH = 2_000;

    /**
     * Records each planned source once per instance: planning again changes nothing. The
     * inserts go in JDBC batches: one statement per source cost a round trip each, which
     * for a list of 200,000 sources was most of the plan's time.
     */
    int plan(long jobInstanceId, List<Source> sources, List<String> targets, int[] hostOrdinals) {
        int added = 0;
        for (int from = 0; from < sources.size(); from += PLAN_BATCH) {
            int to = Math.min(sources.size(), from + PLAN_BATCH);
            List<Object[]> rows = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                Source source = sources.get(i);
                rows.add(new Object[] { jobInstanceId, source.line(), source.uri().toString(), targets.get(i),
                        source.expectedSha256(), hostOrdinals[i] });
            }
            for (int count : this.jdbc.batchUpdate("""
                    INSERT INTO etl_fetch_item (job_instance_id, line, source, target, expected_sha256, host_ordinal,
                                                status)
                    VALUES (?, ?, ?, ?, ?, ?, 'PENDING') ON CONFLICT DO NOTHING""", rows, new int[] { Types.BIGINT,
                    Types.INTEGER, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.INTEGER })) {
                // a driver that rewrites the batch reports no count per row
                added += count == Statement.SUCCESS_NO_INFO ? 1 : count;
            }
        }
        return added;
    }

    /**
     * Takes over, for the instance's sources not attempted yet, what the instance of
     * execution {@code fromExecution} recorded for the same source and file name as DONE
     * or NOT_MODIFIED, where that file is in {@code dir} at the length recorded; the
     * source keeps the record of the execution that fetched it (and when), with no
     * attempt of this run.
     * @return how many sources were taken over
     */
    int reuse(long jobInstanceId, long fromExecution, java.nio.file.Path dir) {
        Long fromInstance = this.jdbc.queryForObject(
                "SELECT job_instance_id FROM batch_job_execution WHERE job_execution_id = ?", Long.class,
                fromExecution);
        List<Object[]> reused = new ArrayList<>();
        this.jdbc.query("""
                SELECT f.line, f.target, p.status, p.bytes, p.sha256, p.http_status, p.etag, p.last_modified,
                       p.duration_ms, p.job_execution_id, p.finished_at
                FROM etl_fetch_item f
                JOIN etl_fetch_item p ON p.job_instance_id = ? AND p.source = f.source AND p.target = f.target
                     AND p.status IN ('DONE', 'NOT_MODIFIED')
                WHERE f.job_instance_id = ? AND f.status = 'PENDING' AND f.attempts = 0""", rs -> {
            java.nio.file.Path file = dir.resolve(rs.getString(2));
            Long bytes = (Long) rs.getObject(4);
            try {
                if (!java.nio.file.Files.isRegularFile(file)
                        || (bytes != null && java.nio.file.Files.size(file) != bytes)) {
                    return;
                }
            }
            catch (java.io.IOException ex) {
                return; // not readable as it was: fetched again
            }
            reused.add(new Object[] { rs.getString(3), bytes, rs.getString(5), rs.getObject(6), rs.getString(7),
                    rs.getString(8), rs.getObject(9), rs.getObject(10), rs.getObject(11), jobInstanceId,
                    rs.getInt(1) });
        }, fromInstance, jobInstanceId);
        this.jdbc.batchUpdate("""
                UPDATE etl_fetch_item SET status = ?, bytes = ?, sha256 = ?, http_status = ?, etag = ?,
                       last_modified = ?, duration_ms = ?, job_execution_id = ?, finished_at = ?
                WHERE job_instance_id = ? AND line = ? AND status = 'PENDING'""", reused);
        return reused.size();
    }

    /**
     * The sources of the instance not yet DONE or NOT_MODIFIED, in the order the fetch
     * step takes them: the largest expected first (by what the previous run of the same
     * definition, its latest earlier instance that fetched anything, recorded for the
     * URL), the rest in list order, so that big downloads start early instead of holding
     * up the end of a chunk. Only their lines are kept, and the line of the previous
     * run's record for each: 8 bytes a source, read a batch at a time; the sources
     * themselves are read a page at a time ({@link #page}). With a host group, only the
     * sources of its hosts (a partition of a remote fetch).
     */
    Pending pending(long jobInstanceId, String definition, HostGroup group) {
        Long previousRun = definition == null ? null : previousRun(jobInstanceId, definition);
        Lines lines = new Lines();
        // sources planned before host numbers were recorded count as host 0
        String inGroup = group == null ? ""
                : " AND MOD(COALESCE(f.host_ordinal, 0), " + group.of() + ") = " + group.remainder();
        if (previousRun == null) {
            StreamedQuery.query(this.jdbc, """
                    SELECT f.line FROM etl_fetch_item f
                    WHERE f.job_instance_id = ? AND f.status NOT IN ('DONE', 'NOT_MODIFIED')""" + inGroup
                    + " ORDER BY f.line", rs -> lines.add(rs.getInt(1), NO_LINE), jobInstanceId);
            return new Pending(jobInstanceId, null, lines.lines(), lines.previous());
        }
        // one earlier instance, reached through the primary key: the cost does not grow
        // with the history
        StreamedQuery.query(this.jdbc, """
                SELECT f.line, MIN(p.line) FROM etl_fetch_item f
                LEFT JOIN etl_fetch_item p ON p.job_instance_id = ? AND p.source = f.source
                     AND p.status IN ('DONE', 'NOT_MODIFIED') AND p.sha256 IS NOT NULL
                WHERE f.job_instance_id = ? AND f.status NOT IN ('DONE', 'NOT_MODIFIED')""" + inGroup + """

                GROUP BY f.line ORDER BY COALESCE(MAX(p.bytes), -1) DESC, f.line""", rs -> {
            int previous = rs.getInt(2);
            boolean none = rs.wasNull();
            lines.add(rs.getInt(1), none ? NO_LINE : previous);
        }, previousRun, jobInstanceId);
        return new Pending(jobInstanceId, previousRun, lines.lines(), lines.previous());
    }

    /** A line of no source. */
    static final int NO_LINE = -1;

    /**
     * The sources {@code from} (inclusive) to {@code to} (exclusive) of {@code pending},
     * in its order, each with what the previous run recorded for its URL.
     */
    List<FetchItem> page(Pending pending, int from, int to) {
        List<Integer> lines = new ArrayList<>(to - from);
        List<Integer> previousLines = new ArrayList<>();
        for (int i = from; i < to; i++) {
            lines.add(pending.lines()[i]);
            if (pending.previousLines()[i] != NO_LINE) {
                previousLines.add(pending.previousLines()[i]);
            }
        }
        Map<Integer, FetchItem> items = new HashMap<>();
        this.named.query("""
                SELECT job_instance_id, line, source, target, expected_sha256 FROM etl_fetch_item
                WHERE job_instance_id = :instance AND line IN (:lines)""",
                Map.of("instance", pending.jobInstanceId(), "lines", lines), rs -> {
                    items.put(rs.getInt(2), new FetchItem(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                            rs.getString(5)));
                });
        Map<Integer, PreviousFetch> previous = new HashMap<>();
        if (!previousLines.isEmpty()) {
            this.named.query("""
                    SELECT line, etag, last_modified, sha256, bytes FROM etl_fetch_item
                    WHERE job_instance_id = :instance AND line IN (:lines)""",
                    Map.of("instance", pending.previousRun(), "lines", previousLines), rs -> {
                        previous.put(rs.getInt(1),
                                new PreviousFetch(rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5)));
                    });
        }
        List<FetchItem> page = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            FetchItem item = items.get(pending.lines()[i]);
            if (item != null) {
                page.add(item.withPrevious(previous.get(pending.previousLines()[i])));
            }
        }
        return page;
    }

    /**
     * The sources of an instance not fetched yet, by their lines in the order they are
     * taken, each beside the line of the previous run's record for its URL
     * ({@link #NO_LINE} where there is none, and everywhere without a previous run).
     */
    record Pending(long jobInstanceId, Long previousRun, int[] lines, int[] previousLines) {

        int size() {
            return this.lines.length;
        }

    }

    /** Two columns of lines, growing as rows arrive. */
    private static final class Lines {

        private int[] lines = new int[1024];

        private int[] previous = new int[1024];

        private int size;

        void add(int line, int previousLine) {
            if (this.size == this.lines.length) {
                this.lines = Arrays.copyOf(this.lines, this.size * 2);
                this.previous = Arrays.copyOf(this.previous, this.size * 2);
            }
            this.lines[this.size] = line;
            this.previous[this.size] = previousLine;
            this.size++;
        }

        int[] lines() {
            return Arrays.copyOf(this.lines, this.size);
        }

        int[] previous() {
            return Arrays.copyOf(this.previous, this.size);
        }

    }

    /**
     * The latest instance before this one of the same definition that fetched anything,
     * or null.
     */
    private Long previousRun(long jobInstanceId, String definition) {
        return this.jdbc.queryForObject("""
                SELECT MAX(e.job_instance_id) FROM batch_job_execution e
                JOIN batch_job_execution_params d ON d.job_execution_id = e.job_execution_id
                     AND d.parameter_name = ? AND d.parameter_value = ?
                WHERE e.job_instance_id < ?
                  AND EXISTS (SELECT 1 FROM etl_fetch_item p WHERE p.job_instance_id = e.job_instance_id
                              AND p.status IN ('DONE', 'NOT_MODIFIED'))""", Long.class, EtlRequest.DEFINITION,
                definition, jobInstanceId);
    }

    /** Sources of the instance by status. */
    Map<String, Long> countByStatus(long jobInstanceId) {
        Map<String, Long> counts = new HashMap<>();
        this.jdbc.query("SELECT status, COUNT(*) FROM etl_fetch_item WHERE job_instance_id = ? GROUP BY status", rs -> {
            counts.put(rs.getString(1), rs.getLong(2));
        }, jobInstanceId);
        return counts;
    }

    /**
     * Records the results of ended fetches for execution {@code jobExecutionId}, each
     * with when it ended ({@code finished_at}).
     */
    void record(List<? extends FetchResult> results, long jobExecutionId) {
        this.jdbc.batchUpdate("""
                UPDATE etl_fetch_item SET status = ?, attempts = attempts + ?, bytes = ?, sha256 = ?, http_status = ?,
                       etag = ?, last_modified = ?, duration_ms = ?, error = ?, job_execution_id = ?, finished_at = ?
                WHERE job_instance_id = ? AND line = ?""", results, results.size(), (ps, result) -> {
            FetchOutcome outcome = result.outcome();
            ps.setString(1, result.status().name());
            ps.setInt(2, result.attempts());
            ps.setObject(3, outcome == null ? null : outcome.bytes());
            ps.setString(4, outcome == null ? null : outcome.sha256());
            ps.setObject(5, outcome == null ? null : outcome.httpStatus());
            ps.setString(6, outcome == null ? null : outcome.etag());
            ps.setString(7, outcome == null ? null : outcome.lastModified());
            ps.setLong(8, result.durationMs());
            ps.setString(9, truncate(result.error(), 4000));
            ps.setLong(10, jobExecutionId);
            ps.setLong(11, result.finishedAt());
            ps.setLong(12, result.item().jobInstanceId());
            ps.setInt(13, result.item().line());
        });
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }

}
