package dev.batchetl.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.batchetl.EtlCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migrations made on branches of their own reach a database in either order: one that a
 * build without V11 (source end times) has migrated to V12 (an index the dashboard added)
 * is given V11 by a build that has both, and then runs.
 */
class SchemaMigrationFunctionalTests {

    @TempDir
    Path work;

    @Test
    void aDatabaseMigratedPastAVersionItLacksIsGivenItAndRuns() throws Exception {
        // given an embedded database at every version of this build but V11, as a build
        // without it left it
        String url = "jdbc:h2:file:" + this.work.resolve("repository");
        EtlCli.Result created = EtlCli.runWithout("list", "--spring.datasource.url=" + url);
        assertThat(created.exitCode()).as(created.toString()).isZero();
        assertThat(SchemaMigration.shipped()).contains(11, 12);
        try (Connection connection = DriverManager.getConnection(url + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "sa",
                ""); Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE etl_fetch_item DROP COLUMN finished_at");
            statement.execute("ALTER TABLE etl_source DROP COLUMN finished_at");
            statement.execute("DELETE FROM flyway_schema_history WHERE version = '11'");
        }

        // when this build runs on it
        Files.writeString(Files.createDirectories(this.work.resolve("data")).resolve("a.csv"), "id\n1\n");
        EtlCli.Result run = EtlCli.runWithout("run", "dir=" + this.work.resolve("data"),
                "output=" + this.work.resolve("results.csv"), "--spring.datasource.url=" + url);

        // then it has applied V11 and run
        assertThat(run.exitCode()).as(run.toString()).isZero();
        try (Connection connection = DriverManager.getConnection(url + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "sa",
                "");
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        "SELECT version FROM flyway_schema_history WHERE success AND version IN ('11', '12')")) {
            List<String> versions = new java.util.ArrayList<>();
            while (rs.next()) {
                versions.add(rs.getString(1));
            }
            assertThat(versions).containsExactlyInAnyOrder("11", "12");
            statement
                .executeQuery("SELECT f.finished_at, s.finished_at FROM etl_fetch_item f, etl_source s WHERE 1 = 0")
                .close();
        }
    }

}
