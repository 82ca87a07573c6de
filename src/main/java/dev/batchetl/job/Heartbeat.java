package dev.batchetl.job;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Renews the {@code heartbeat} column of the owner rows this process holds, every
 * {@code period}, on a daemon thread of its own (started by the first row held). A beat
 * that fails (the database is away) is logged and the next one tries again; a row whose
 * heartbeat is older than its lease belongs to a process that is taken for dead.
 */
public final class Heartbeat implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

    private final JdbcTemplate jdbc;

    private final String update;

    private final String what;

    private final Duration period;

    private final Set<Long> held = ConcurrentHashMap.newKeySet();

    private ScheduledExecutorService thread;

    /**
     * @param table the owner table, with a {@code heartbeat} column
     * @param key its key column
     * @param what what a row is, for the log ("execution")
     */
    public Heartbeat(JdbcTemplate jdbc, String table, String key, String what, Duration period) {
        this.jdbc = jdbc;
        this.update = "UPDATE " + table + " SET heartbeat = LOCALTIMESTAMP WHERE " + key + " = ?";
        this.what = what;
        this.period = period;
    }

    /** Renews the row of {@code id} from now on. */
    public synchronized void hold(long id) {
        this.held.add(id);
        if (this.thread == null) {
            this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread t = new Thread(runnable, this.what.replace(' ', '-') + "-heartbeat");
                t.setDaemon(true);
                return t;
            });
            this.thread.scheduleWithFixedDelay(this::beat, this.period.toMillis(), this.period.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** No more beats for {@code id}. */
    public void release(long id) {
        this.held.remove(id);
    }

    private void beat() {
        for (Long id : this.held) {
            try {
                this.jdbc.update(this.update, id);
            }
            catch (RuntimeException ex) {
                log.warn("heartbeat of {} {} not recorded: {}", this.what, id, ex.getMessage());
            }
        }
    }

    /** Stops the beats. */
    @Override
    public synchronized void close() {
        if (this.thread != null) {
            this.thread.shutdownNow();
            this.thread = null;
        }
    }

}
