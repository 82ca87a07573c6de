package dev.batchetl.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.batchetl.history.ExecutionHistory;
import dev.batchetl.report.RunReport.Change;
import dev.batchetl.report.RunReport.Column;
import dev.batchetl.report.RunReport.Drift;
import dev.batchetl.report.RunReport.FileStats;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What changed between two runs of a definition, schema and volume: files new and
 * vanished, row counts, columns added and removed, types, and null shares and means that
 * moved by more than {@link #SHARE} (absolute) or {@link #RELATIVE} (relative).
 */
final class Drifts {

    /** A null share that moved by more than this (0.05: five points) is a change. */
    static final double SHARE = 0.05;

    /** A row count or mean that moved by more than this share of its earlier value. */
    static final double RELATIVE = 0.10;

    private final JdbcTemplate jdbc;

    Drifts(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Drift against(Long previousExecution, List<FileStats> now) {
        if (previousExecution == null) {
            return null;
        }
        return compare(previousExecution, new ExecutionHistory(this.jdbc).runKey(previousExecution),
                RunReportReader.files(this.jdbc, previousExecution), now);
    }

    static Drift compare(long previousExecution, String previousRunKey, List<FileStats> before, List<FileStats> now) {
        Map<String, FileStats> earlier = byFile(before);
        Map<String, FileStats> later = byFile(now);
        List<String> added = later.keySet().stream().filter(f -> !earlier.containsKey(f)).toList();
        List<String> vanished = earlier.keySet().stream().filter(f -> !later.containsKey(f)).toList();
        List<Change> changes = new ArrayList<>();
        for (FileStats file : now) {
            FileStats old = earlier.get(file.file());
            if (old == null) {
                continue;
            }
            if (moved(old.rows(), file.rows())) {
                changes.add(new Change(file.file(), "", "rows", old.rows(), file.rows()));
            }
            Map<String, Column> oldColumns = byName(old.cols());
            Map<String, Column> newColumns = byName(file.cols());
            for (Column column : file.cols()) {
                Column was = oldColumns.get(column.name());
                if (was == null) {
                    changes.add(new Change(file.file(), column.name(), "column added", null, column.type()));
                    continue;
                }
                if (!was.type().equals(column.type())) {
                    changes.add(new Change(file.file(), column.name(), "type", was.type(), column.type()));
                }
                double shareBefore = share(was);
                double shareNow = share(column);
                if (Math.abs(shareNow - shareBefore) > SHARE) {
                    changes
                        .add(new Change(file.file(), column.name(), "null share", round(shareBefore), round(shareNow)));
                }
                if (was.mean() instanceof Double a && column.mean() instanceof Double b
                        && Math.abs(b - a) > RELATIVE * Math.abs(a)) {
                    changes.add(new Change(file.file(), column.name(), "mean", a, b));
                }
            }
            for (Column column : old.cols()) {
                if (!newColumns.containsKey(column.name())) {
                    changes.add(new Change(file.file(), column.name(), "column removed", column.type(), null));
                }
            }
        }
        return new Drift(previousExecution, previousRunKey, "rows and means " + Math.round(RELATIVE * 100)
                + " %, null shares " + Math.round(SHARE * 100) + " points", added, vanished, changes);
    }

    private static boolean moved(Long before, Long now) {
        if (before == null || now == null) {
            return before != now;
        }
        return Math.abs(now - before) > RELATIVE * Math.abs(before);
    }

    private static double share(Column column) {
        long total = column.count() + column.nulls();
        return total == 0 ? 0 : (double) column.nulls() / total;
    }

    private static double round(double share) {
        return Math.round(share * 10_000) / 10_000.0;
    }

    private static Map<String, FileStats> byFile(List<FileStats> files) {
        Map<String, FileStats> map = new LinkedHashMap<>();
        files.forEach(f -> map.put(f.file(), f));
        return map;
    }

    private static Map<String, Column> byName(List<Column> columns) {
        Map<String, Column> map = new LinkedHashMap<>();
        columns.forEach(c -> map.putIfAbsent(c.name(), c));
        return map;
    }

}
