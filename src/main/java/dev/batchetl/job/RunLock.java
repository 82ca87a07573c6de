package dev.batchetl.job;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

import dev.batchetl.storage.DatabasePlatform;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Lets one process at a time start or restart a job instance: Spring Batch itself does
 * not stop two processes that restart the same instance at the same moment from both
 * running it. On PostgreSQL a session-level advisory lock (released by the database when
 * the process dies); elsewhere a row in {@code etl_run_lock}, taken over when the process
 * that holds it is provably gone.
 */
public final class RunLock implements AutoCloseable {

    private final Runnable release;

    private RunLock(Runnable release) {
        this.release = release;
    }

    /**
     * Takes the lock of the instance named by {@code key}, or returns null when another
     * live process holds it.
     */
    public static RunLock tryAcquire(DataSource dataSource, String key) {
        try {
            Connection connection = dataSource.getConnection();
            boolean postgres;
            try {
                postgres = DatabasePlatform.of(connection) == DatabasePlatform.POSTGRESQL;
            }
            catch (SQLException | RuntimeException ex) {
                connection.close();
                throw ex;
            }
            if (postgres) {
                return advisory(connection, hash(key));
            }
            connection.close();
            return row(new JdbcTemplate(dataSource), key);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("cannot take the run lock: " + ex.getMessage(), ex);
        }
    }

    /**
     * The advisory lock on {@code connection}, which is kept open while the lock is held
     * and closed otherwise, the query's failure included.
     */
    private static RunLock advisory(Connection connection, long key) throws SQLException {
        RunLock lock;
        try {
            lock = tryAdvisory(connection, key);
        }
        catch (SQLException | RuntimeException ex) {
            connection.close();
            throw ex;
        }
        if (lock == null) {
            connection.close();
        }
        return lock;
    }

    private static RunLock tryAdvisory(Connection connection, long key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            statement.setLong(1, key);
            try (ResultSet rs = statement.executeQuery()) {
                if (rs.next() && rs.getBoolean(1)) {
                    return new RunLock(() -> {
                        try (connection;
                                PreparedStatement unlock = connection
                                    .prepareStatement("SELECT pg_advisory_unlock(?)")) {
                            unlock.setLong(1, key);
                            unlock.execute();
                        }
                        catch (SQLException ignored) {
                            // the session ends with the connection, and the lock with it
                        }
                    });
                }
            }
        }
        return null;
    }

    private static RunLock row(JdbcTemplate jdbc, String key) {
        ProcessIdentity me = ProcessIdentity.current();
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                jdbc.update("""
                        INSERT INTO etl_run_lock (lock_key, host, pid, process_start, acquired)
                        VALUES (?, ?, ?, ?, LOCALTIMESTAMP)""", key, me.host(), me.pid(), me.start());
                return new RunLock(
                        () -> jdbc.update("DELETE FROM etl_run_lock WHERE lock_key = ? AND host = ? AND pid = ?", key,
                                me.host(), me.pid()));
            }
            catch (DuplicateKeyException taken) {
                var holders = jdbc.query("SELECT host, pid, process_start FROM etl_run_lock WHERE lock_key = ?",
                        (rs, n) -> new ProcessIdentity(rs.getString(1), rs.getLong(2), rs.getString(3)), key);
                if (!holders.isEmpty() && !holders.get(0).provablyDeadOnThisHost()) {
                    return null;
                }
                holders
                    .forEach(dead -> jdbc.update("DELETE FROM etl_run_lock WHERE lock_key = ? AND host = ? AND pid = ?",
                            key, dead.host(), dead.pid()));
            }
        }
        return null;
    }

    private static long hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = (value << 8) | (digest[i] & 0xFF);
            }
            return value;
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public void close() {
        this.release.run();
    }

}
