package dev.batchetl.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * A query whose rows are handed over as they arrive, a batch of {@link #FETCH_SIZE} at a
 * time, instead of all at once: what a query over the sources of a list of a million
 * costs in memory is then one batch. PostgreSQL's driver keeps a whole result in memory
 * unless the query runs with a fetch size and outside auto-commit, so the query runs in a
 * read-only transaction of its own where none is under way.
 */
public final class StreamedQuery {

    /** Rows fetched from the database at a time. */
    public static final int FETCH_SIZE = 10_000;

    private StreamedQuery() {
    }

    /** Runs {@code sql} with {@code args}, handing each row to {@code rows}. */
    public static void query(JdbcTemplate jdbc, String sql, RowCallbackHandler rows, Object... args) {
        jdbc.execute((ConnectionCallback<Void>) connection -> {
            boolean autoCommit = connection.getAutoCommit();
            if (autoCommit) {
                connection.setAutoCommit(false);
            }
            try {
                run(connection, sql, rows, args);
            }
            finally {
                if (autoCommit) {
                    connection.rollback(); // it only read
                    connection.setAutoCommit(true);
                }
            }
            return null;
        });
    }

    private static void run(Connection connection, String sql, RowCallbackHandler rows, Object... args)
            throws java.sql.SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY,
                ResultSet.CONCUR_READ_ONLY)) {
            statement.setFetchSize(FETCH_SIZE);
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.processRow(result);
                }
            }
        }
    }

}
