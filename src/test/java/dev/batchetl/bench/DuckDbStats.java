package dev.batchetl.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * What a user would run instead of batch-etl's statistics: DuckDB (JDBC, in a JVM of its
 * own, 2 threads) reading every CSV file of a folder in one query, per file its row count
 * and the count, mean, minimum and maximum of each numeric column and the count, minimum
 * and maximum of the others. {@code java -cp ... DuckDbStats FOLDER THREADS
 * NUMERIC_COLUMNS OTHER_COLUMNS}, the column lists comma-separated; prints the number of
 * files and of rows.
 */
public final class DuckDbStats {

    private DuckDbStats() {
    }

    public static void main(String[] args) throws Exception {
        String folder = args[0];
        int threads = Integer.parseInt(args[1]);
        StringBuilder select = new StringBuilder("SELECT filename, count(*)");
        for (String col : args[2].split(",")) {
            select.append(String.format(", count(%1$s), avg(%1$s), min(%1$s), max(%1$s)", col));
        }
        for (String col : args[3].split(",")) {
            select.append(String.format(", count(%1$s), min(%1$s), max(%1$s)", col));
        }
        select.append(" FROM read_csv('")
            .append(folder.replace("'", "''"))
            .append("/*.csv', header = true, filename = true, union_by_name = true) GROUP BY filename");
        long files = 0;
        long rows = 0;
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("SET threads = " + threads);
            try (ResultSet rs = st.executeQuery(select.toString())) {
                while (rs.next()) {
                    files++;
                    rows += rs.getLong(2);
                }
            }
        }
        System.out.println(files + " files, " + rows + " rows");
    }

}
