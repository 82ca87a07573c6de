package dev.batchetl.storage;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

/**
 * The database of the job repository and the result tables: PostgreSQL, or the embedded
 * H2 default. Nothing else is supported (the schema migration refuses it).
 */
public enum DatabasePlatform {

    POSTGRESQL("postgresql"), H2("h2");

    private final String name;

    DatabasePlatform(String name) {
        this.name = name;
    }

    /** The platform of the database {@code connection} is connected to. */
    public static DatabasePlatform of(Connection connection) throws SQLException {
        return of(connection.getMetaData().getDatabaseProductName());
    }

    static DatabasePlatform of(String databaseProductName) {
        String product = databaseProductName.toLowerCase(Locale.ROOT);
        if (product.contains("postgres")) {
            return POSTGRESQL;
        }
        if (product.contains("h2")) {
            return H2;
        }
        throw new IllegalStateException("unsupported database for the job repository: " + databaseProductName
                + " (use PostgreSQL, or the embedded default)");
    }

    /** Whether a JDBC URL names an H2 database (the embedded default, or one's own). */
    public static boolean isH2(String url) {
        return url != null && url.strip().toLowerCase(Locale.ROOT).startsWith("jdbc:h2:");
    }

    /** The name Spring Batch's schema scripts carry ({@code schema-NAME.sql}). */
    String scriptName() {
        return this.name;
    }

    /**
     * Whether the database holds a table of that name, as PostgreSQL folds it (lower
     * case) or as a database that keeps the SQL standard's upper case does.
     */
    static boolean tableExists(Connection connection, String name) throws SQLException {
        DatabaseMetaData metaData = connection.getMetaData();
        for (String candidate : new String[] { name.toLowerCase(Locale.ROOT), name.toUpperCase(Locale.ROOT) }) {
            try (ResultSet tables = metaData.getTables(null, null, candidate, new String[] { "TABLE" })) {
                if (tables.next()) {
                    return true;
                }
            }
        }
        return false;
    }

}
