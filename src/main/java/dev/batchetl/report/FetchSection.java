package dev.batchetl.report;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.batchetl.report.RunReport.Fetch;
import dev.batchetl.report.RunReport.Source;
import dev.batchetl.storage.StreamedQuery;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The fetch section of a run's page, read from {@code etl_source} (what the export kept
 * of an execution) or {@code etl_fetch_item} (an instance's sources as the fetch step has
 * recorded them so far). What it costs does not grow with the list beyond a count by
 * status and one streamed pass for the throughput: the page lists at most
 * {@link #SOURCES_SHOWN} sources, the failed ones first.
 */
final class FetchSection {

    /** Sources listed on a page; all of them are in the tables, and {@code show}. */
    static final int SOURCES_SHOWN = 2_000;

    private static final String COLUMNS = "line, source, target, status, bytes, duration_ms, attempts, http_status,"
            + " error, finished_at";

    private final JdbcTemplate jdbc;

    FetchSection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The sources the export kept for execution {@code executionId}, or null. */
    Fetch exported(Long stepMs, long executionId) {
        return read(stepMs, "etl_source", "job_execution_id", executionId);
    }

    /** The sources of instance {@code instanceId} as recorded so far, or null. */
    Fetch recorded(Long stepMs, long instanceId) {
        return read(stepMs, "etl_fetch_item", "job_instance_id", instanceId);
    }

    private Fetch read(Long stepMs, String table, String key, long id) {
        Map<String, Long> counts = new TreeMap<>();
        long[] bytes = new long[1];
        this.jdbc.query("SELECT status, COUNT(*), COALESCE(SUM(bytes), 0) FROM " + table + " WHERE " + key
                + " = ? GROUP BY status", rs -> {
                    counts.put(rs.getString(1), rs.getLong(2));
                    bytes[0] += rs.getLong(3);
                }, id);
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        if (total == 0) {
            return null;
        }
        List<Source> shown = new ArrayList<>(this.jdbc.query("SELECT " + COLUMNS + " FROM " + table + " WHERE " + key
                + " = ? AND status = 'FAILED' ORDER BY line LIMIT " + SOURCES_SHOWN, FetchSection::source, id));
        if (shown.size() < SOURCES_SHOWN) {
            shown.addAll(this.jdbc.query(
                    "SELECT " + COLUMNS + " FROM " + table + " WHERE " + key
                            + " = ? AND status <> 'FAILED' ORDER BY line LIMIT " + (SOURCES_SHOWN - shown.size()),
                    FetchSection::source, id));
        }
        return new Fetch(stepMs, total, counts, bytes[0], throughput(table, key, id), shown);
    }

    /** The throughput over every timed source: a window, then one streamed pass. */
    private RunReport.Throughput throughput(String table, String key, long id) {
        String timed = " FROM " + table + " WHERE " + key
                + " = ? AND finished_at IS NOT NULL AND duration_ms IS NOT NULL AND bytes > 0";
        Map<String, Object> window = this.jdbc.queryForMap("SELECT COUNT(*) AS n,"
                + " MIN(finished_at - CASE WHEN duration_ms < 1 THEN 1 ELSE duration_ms END) AS first,"
                + " MAX(finished_at) AS last" + timed, id);
        if (((Number) window.get("n")).longValue() < 2) {
            return null;
        }
        ThroughputCurve curve = ThroughputCurve.between(((Number) window.get("first")).longValue(),
                ((Number) window.get("last")).longValue());
        StreamedQuery.query(this.jdbc, "SELECT finished_at, duration_ms, bytes" + timed,
                rs -> curve.add(rs.getLong(1), rs.getLong(2), rs.getLong(3)), id);
        return curve.result();
    }

    private static Source source(ResultSet rs, int row) throws SQLException {
        return new Source(rs.getInt("line"), rs.getString("source"), rs.getString("target"), rs.getString("status"),
                (Long) rs.getObject("bytes", Long.class), rs.getObject("duration_ms", Long.class),
                rs.getInt("attempts"), rs.getObject("http_status", Integer.class), rs.getString("error"),
                rs.getObject("finished_at", Long.class));
    }

}
