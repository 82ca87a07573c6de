package dev.batchetl.storage;

import java.sql.SQLException;

import org.springframework.dao.DataAccessException;

/**
 * Tells a database's refusal of the data (a value out of range, a constraint, a limit of
 * the database: SQLSTATE classes 22, 23 and 54, in PostgreSQL and H2 alike) from a fault
 * of the database itself (connection lost, disk full, a transaction rolled back, a
 * statement the application got wrong), which a retry or a restart may get past.
 */
public final class StorageFaults {

    private StorageFaults() {
    }

    /**
     * Whether the database refused the data itself, so that the fault is the data's, not
     * the database's.
     */
    public static boolean isAboutTheData(DataAccessException ex) {
        SQLException sql = sqlCause(ex);
        String state = sql == null ? null : sql.getSQLState();
        if (state == null || state.length() < 2) {
            return false;
        }
        return switch (state.substring(0, 2)) {
            case "22", "23", "54" -> true;
            default -> false;
        };
    }

    /**
     * Whether ex, or anything behind it, is the loss of the connection to the database:
     * SQLSTATE class 08 (connection exception), 57P01 to 57P03 (the server shut down,
     * crashed or is starting), a connection the pool could not get, or a rollback that
     * failed because the connection was gone (the pool's closed connection, or the
     * commit's own exception that the rollback's hides). What the database committed
     * before stays valid.
     */
    public static boolean isConnectionLoss(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.springframework.transaction.TransactionSystemException system
                    && system.getApplicationException() != null && isConnectionLoss(system.getApplicationException())) {
                return true;
            }
            if (t instanceof SQLException sql) {
                for (SQLException e = sql; e != null; e = e.getNextException()) {
                    String state = e.getSQLState();
                    if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
                        return true;
                    }
                    // HikariCP's answer for a connection it closed when the server went
                    // away (no SQLSTATE)
                    if (state == null && "Connection is closed".equals(e.getMessage())) {
                        return true;
                    }
                }
            }
            if (t instanceof org.springframework.jdbc.CannotGetJdbcConnectionException
                    || t instanceof java.net.ConnectException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Where a JDBC URL points, for a person: {@code host:port/database} for PostgreSQL
     * (the port 5432 when the URL names none), the file or memory name for the embedded
     * H2; the URL without its options otherwise.
     */
    public static String location(String jdbcUrl) {
        if (jdbcUrl == null || jdbcUrl.isBlank()) {
            return "(no URL)";
        }
        String url = jdbcUrl.strip();
        int options = url.indexOf('?');
        if (url.startsWith("jdbc:postgresql://")) {
            String rest = url.substring("jdbc:postgresql://".length(), options < 0 ? url.length() : options);
            int slash = rest.indexOf('/');
            String hosts = slash < 0 ? rest : rest.substring(0, slash);
            String database = slash < 0 ? "" : rest.substring(slash + 1);
            if (!hosts.contains(":") || hosts.endsWith("]")) {
                hosts = hosts + ":5432";
            }
            return hosts + "/" + database;
        }
        if (url.startsWith("jdbc:h2:")) {
            int semicolon = url.indexOf(';');
            return "the embedded database "
                    + url.substring("jdbc:h2:".length(), semicolon < 0 ? url.length() : semicolon);
        }
        return options < 0 ? url : url.substring(0, options);
    }

    /**
     * The innermost SQL exception behind ex (preferring a batch's next exception, which
     * has the state), or null.
     */
    public static SQLException sqlCause(Throwable ex) {
        SQLException found = null;
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                found = sql;
            }
        }
        SQLException next = found == null ? null : found.getNextException();
        return next != null && next.getSQLState() != null ? next : found;
    }

}
