package dev.batchetl.storage;

import java.sql.Connection;
import java.sql.Driver;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * Opens the embedded H2 database on a thread of its own while Spring starts, so that the
 * connection pool's first connection finds it open. Opening it (H2's classes, the file,
 * the recovery of its last state, and with {@code AUTO_SERVER} the server for other
 * processes) comes first in the schema check, and nothing before that needs it; on its
 * own thread it overlaps with the context's start instead of coming after it, which took
 * about 0.06 s off {@code list} and an empty run on 2 cores.
 *
 * <p>
 * The connection it holds is closed by {@link #close()}, once the context has its own.
 * Whatever goes wrong here is left to that first connection of the pool, which reports it
 * as it always did: this only ever saves time. A database that is not H2 is not touched.
 * {@code -Dbatch-etl.early-open=false} turns it off.
 */
public final class EmbeddedDatabaseOpener implements AutoCloseable {

    /** The system property that turns it off. */
    public static final String ENABLED = "batch-etl.early-open";

    private final CountDownLatch released = new CountDownLatch(1);

    private EmbeddedDatabaseOpener() {
    }

    /**
     * Starts opening the database of {@code url} where it is an H2 one, or returns null.
     */
    public static EmbeddedDatabaseOpener start(String url, String user, String password) {
        if (!DatabasePlatform.isH2(url) || !Boolean.parseBoolean(System.getProperty(ENABLED, "true"))) {
            return null;
        }
        EmbeddedDatabaseOpener opener = new EmbeddedDatabaseOpener();
        Thread thread = new Thread(() -> opener.hold(url.strip(), user, password), "batch-etl-database-open");
        thread.setDaemon(true);
        thread.start();
        return opener;
    }

    private void hold(String url, String user, String password) {
        Properties info = new Properties();
        if (user != null) {
            info.setProperty("user", user);
        }
        if (password != null) {
            info.setProperty("password", password);
        }
        try {
            Driver driver = (Driver) Class.forName("org.h2.Driver").getDeclaredConstructor().newInstance();
            try (Connection connection = driver.connect(url, info)) {
                this.released.await();
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (Exception | LinkageError ex) {
            // the pool's first connection meets the same and says so
        }
    }

    /**
     * Lets the database go: closes the connection once it is open (at once where it is),
     * without waiting for it.
     */
    @Override
    public void close() {
        this.released.countDown();
    }

}
