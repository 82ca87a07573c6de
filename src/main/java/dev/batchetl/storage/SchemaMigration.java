package dev.batchetl.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDatabaseInitializerDetector;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Brings the schema to the version this build ships: V1 is Spring Batch's job repository
 * ({@link SpringBatchSchema}), V2 and later the SQL migrations of {@code sql/} (in the
 * jar under {@code db/migration}). A database whose migration history already holds
 * exactly these versions, all applied, is used as it is, after one query; otherwise
 * Flyway migrates it (and validates the history first: a database migrated by a newer
 * build is refused). Starting Flyway costs about half a second and a thousand classes,
 * which a command that lists runs should not pay on every start.
 *
 * <p>
 * Beans that use the database are started after this one, as Spring Boot orders them
 * after its own database initializers ({@link Detector}).
 */
public final class SchemaMigration implements InitializingBean {

    /** Where the SQL migrations are in the jar. */
    static final String LOCATION = "db/migration";

    private static final Pattern SQL_VERSION = Pattern.compile("V(\\d+)__.*\\.sql");

    private static final String HISTORY = "flyway_schema_history";

    private final DataSource dataSource;

    SchemaMigration(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void afterPropertiesSet() {
        if (!current()) {
            migrate(this.dataSource);
        }
    }

    /** Applies every migration not yet applied, with Flyway. */
    static void migrate(DataSource dataSource) {
        Flyway.configure()
            .dataSource(dataSource)
            .locations("classpath:" + LOCATION)
            .javaMigrations(new SpringBatchSchema())
            // a database that holds the Spring Batch tables already (made by an earlier
            // tool) gets a history from 0
            .baselineOnMigrate(true)
            .baselineVersion("0")
            .load()
            .migrate();
    }

    /**
     * Whether the database's migration history is exactly the versions of this build,
     * each applied successfully.
     */
    private boolean current() {
        Set<Integer> applied = new TreeSet<>();
        try (Connection connection = this.dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            if (!DatabasePlatform.tableExists(connection, HISTORY)) {
                return false;
            }
            try (ResultSet rs = statement.executeQuery(
                    "SELECT version, success FROM " + HISTORY + " WHERE version IS NOT NULL AND type <> 'BASELINE'")) {
                while (rs.next()) {
                    if (!rs.getBoolean(2)) {
                        return false;
                    }
                    applied.add(Integer.valueOf(rs.getString(1)));
                }
            }
        }
        catch (SQLException | NumberFormatException ex) {
            // whatever is odd about it, Flyway says it better
            return false;
        }
        return applied.equals(shipped());
    }

    /** The versions this build ships: 1 and those of the SQL migrations. */
    static Set<Integer> shipped() {
        Set<Integer> versions = new TreeSet<>();
        versions.add(SpringBatchSchema.VERSION);
        try {
            for (Resource resource : new PathMatchingResourcePatternResolver(SchemaMigration.class.getClassLoader())
                .getResources("classpath*:" + LOCATION + "/V*__*.sql")) {
                Matcher m = SQL_VERSION.matcher(String.valueOf(resource.getFilename()));
                if (m.matches()) {
                    versions.add(Integer.valueOf(m.group(1)));
                }
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot list the migrations in " + LOCATION, ex);
        }
        return versions;
    }

    /**
     * Tells Spring Boot that this bean initializes the database, so that the beans using
     * it start after it.
     */
    public static final class Detector extends AbstractBeansOfTypeDatabaseInitializerDetector {

        @Override
        protected Set<Class<?>> getDatabaseInitializerBeanTypes() {
            return Set.of(SchemaMigration.class);
        }

    }

}
