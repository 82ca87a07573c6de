package dev.batchetl.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The embedded database opened ahead of the context: it is open while the opener holds
 * it, shared with the connections the application opens meanwhile, closed when let go,
 * and a database that is not H2, or a failed open, is none of its business.
 */
class EmbeddedDatabaseOpenerTests {

    @TempDir
    Path folder;

    @Test
    void opensTheDatabaseHoldsItAndLetsItGo() throws Exception {
        String url = "jdbc:h2:file:" + this.folder.resolve("repository") + ";AUTO_SERVER=TRUE";
        Path data = this.folder.resolve("repository.mv.db");
        Path lock = this.folder.resolve("repository.lock.db");

        EmbeddedDatabaseOpener opener = EmbeddedDatabaseOpener.start(url, "sa", "");
        assertThat(opener).isNotNull();
        // the database is created and open (AUTO_SERVER keeps a lock file while it is)
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(lock) && Files.exists(data));

        // a connection of the application's uses the same open database: what it writes
        // is there for the next one while the opener holds it
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE kept(x INT)");
        }
        assertThat(lock).exists();

        // let go: the database closes with its last connection
        opener.close();
        await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(lock));
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                Statement statement = connection.createStatement();
                ResultSet rs = statement
                    .executeQuery("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'KEPT'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }

    @Test
    void aDatabaseThatIsNotH2IsNotTouched() {
        assertThat(EmbeddedDatabaseOpener.start("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "")).isNull();
        assertThat(EmbeddedDatabaseOpener.start(null, null, null)).isNull();
    }

    @Test
    void itCanBeTurnedOff() {
        System.setProperty(EmbeddedDatabaseOpener.ENABLED, "false");
        try {
            assertThat(EmbeddedDatabaseOpener.start("jdbc:h2:file:" + this.folder.resolve("off"), "sa", "")).isNull();
            assertThat(this.folder.resolve("off.mv.db")).doesNotExist();
        }
        finally {
            System.clearProperty(EmbeddedDatabaseOpener.ENABLED);
        }
    }

    @Test
    void aFailedOpenIsLeftToThePool() throws Exception {
        String url = "jdbc:h2:file:" + this.folder.resolve("guarded");
        try (Connection connection = DriverManager.getConnection(url, "owner", "secret")) {
            // made with a password the opener does not have
        }
        EmbeddedDatabaseOpener opener = EmbeddedDatabaseOpener.start(url, "owner", "wrong");
        assertThat(opener).isNotNull();
        // nothing is thrown here, and the pool's connection still opens it as before
        opener.close();
        try (Connection connection = DriverManager.getConnection(url, "owner", "secret")) {
            assertThat(connection.isValid(1)).isTrue();
        }
    }

}
