package dev.batchetl.storage;

import java.sql.Connection;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ScriptUtils;

/**
 * Migration V1: Spring Batch's job repository schema, run from the DDL script that ships
 * inside the Spring Batch jar for the database at hand, so that the job repository and
 * the application tables are versioned by one migration history. A database that already
 * holds the Spring Batch tables (created by an earlier tool) is left as it is.
 */
final class SpringBatchSchema implements JavaMigration {

    static final int VERSION = 1;

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion(String.valueOf(VERSION));
    }

    @Override
    public String getDescription() {
        return "spring batch schema";
    }

    @Override
    public Integer getChecksum() {
        return null;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        if (DatabasePlatform.tableExists(connection, "batch_job_instance")) {
            return;
        }
        String platform = DatabasePlatform.of(connection).scriptName();
        ScriptUtils.executeSqlScript(connection,
                new ClassPathResource("org/springframework/batch/core/schema-" + platform + ".sql"));
    }

}
