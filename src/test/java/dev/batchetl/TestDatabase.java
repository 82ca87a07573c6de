package dev.batchetl;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The real PostgreSQL database the suite runs against: {@code -Dtest.db.url} and
 * {@code -Dtest.db.user} (set in the pom, default
 * {@code jdbc:postgresql://127.0.0.1:5432/batch_etl_test} as {@code postgres}). The
 * database is created on first use if the server has none of that name.
 */
public final class TestDatabase {

    public static final String URL = System.getProperty("test.db.url",
            "jdbc:postgresql://127.0.0.1:5432/batch_etl_test");

    public static final String USER = System.getProperty("test.db.user", "postgres");

    private static volatile boolean created;

    private TestDatabase() {
    }

    /** Spring Boot options that point a run of the application at the test database. */
    public static String[] springArgs() {
        ensureCreated();
        return new String[] { "--spring.datasource.url=" + URL, "--spring.datasource.username=" + USER };
    }

    /**
     * Points a Spring test context at the test database (from a
     * {@code @DynamicPropertySource} method), creating it first where it is missing.
     */
    public static void register(org.springframework.test.context.DynamicPropertyRegistry registry) {
        ensureCreated();
        registry.add("spring.datasource.url", () -> URL);
        registry.add("spring.datasource.username", () -> USER);
    }

    public static JdbcTemplate jdbc() {
        ensureCreated();
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(URL);
        dataSource.setUser(USER);
        return new JdbcTemplate(dataSource);
    }

    private static synchronized void ensureCreated() {
        if (created) {
            return;
        }
        createDatabase();
        created = true;
        // Bring the schema up through the application's own start (Flyway), so that tests
        // may query the job
        // repository before any run of theirs has started.
        java.io.PrintStream quiet = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
        int code = dev.batchetl.cli.Launcher.launch(BatchEtlApplication.class,
                new String[] { "list", "--spring.datasource.url=" + URL, "--spring.datasource.username=" + USER },
                quiet, quiet);
        if (code != 0) {
            throw new IllegalStateException("cannot apply the migrations to " + URL + " (exit " + code + ")");
        }
    }

    private static void createDatabase() {
        int slash = URL.lastIndexOf('/');
        String name = URL.substring(slash + 1).replaceAll("\\?.*", "");
        String server = URL.substring(0, slash + 1) + "postgres";
        try (Connection connection = DriverManager.getConnection(server, USER, null);
                Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement
                .executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name.replace("'", "") + "'")) {
                if (!rs.next()) {
                    statement.execute("CREATE DATABASE \"" + name.replace("\"", "") + "\"");
                }
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException(
                    "the test suite needs PostgreSQL at " + URL + " (see README, Development): " + ex.getMessage(), ex);
        }
    }

    /**
     * What {@link #refuseAsDiskFull} makes PostgreSQL answer (SQLSTATE 53100, a full
     * disk).
     */
    public static final String DISK_FULL = "could not extend file for the test: No space left on device";

    /**
     * Makes PostgreSQL refuse inserts into {@code table} of rows matching
     * {@code condition} as a full disk would (SQLSTATE 53100, a fault of the database,
     * not of the data), until the returned handle is closed: a step that writes such a
     * row fails, and a restart after the close gets past it.
     */
    public static AutoCloseable refuseAsDiskFull(String table, String condition) {
        String name = "etl_test_full_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        JdbcTemplate jdbc = jdbc();
        jdbc.execute("CREATE FUNCTION " + name + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '"
                + DISK_FULL + "' USING ERRCODE = '53100'; END $$");
        jdbc.execute("CREATE TRIGGER " + name + " BEFORE INSERT ON " + table + " FOR EACH ROW WHEN (" + condition
                + ") EXECUTE FUNCTION " + name + "()");
        return () -> {
            jdbc.execute("DROP TRIGGER IF EXISTS " + name + " ON " + table);
            jdbc.execute("DROP FUNCTION IF EXISTS " + name + "()");
        };
    }

}
