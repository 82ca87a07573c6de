package dev.batchetl.schedule;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;

import org.springframework.scheduling.support.CronExpression;

/**
 * How {@code batch-etl schedule} fires: the keys a definition file or the command line
 * may give besides the job's own keys. They are not job parameters: the fire time alone
 * is the run key.
 *
 * @param cron the cron expression as written (Spring's six fields with seconds, or
 * crontab's five, or a macro such as {@code @daily})
 * @param zone the time zone the cron expression is evaluated in
 * @param overlap what a fire does while the previous run is still going
 * @param catchUp whether a fire missed while no scheduler was up is run at start
 * @param retryFailed whether the latest FAILED or STOPPED fire is restarted before each
 * new fire
 * @param jsonLogs whether the console log is structured JSON
 */
public record ScheduleSettings(String cron, ZoneId zone, Overlap overlap, CatchUp catchUp, boolean retryFailed,
        boolean jsonLogs) {

    /** The keys of this record, as written. */
    public static final Set<String> KEYS = Set.of("cron", "zone", "overlap", "catch-up", "retry-failed", "log-format");

    /**
     * What a fire does while the run of an earlier fire is still going in this process.
     */
    public enum Overlap {

        /** The fire is left out, and a line says so. */
        SKIP,
        /** The fire runs when the runs before it are done. */
        QUEUE

    }

    /**
     * What a scheduler does at start about fires nobody ran while no scheduler was up.
     */
    public enum CatchUp {

        /** Runs the latest missed fire (one run, however many were missed). */
        ONCE,
        /** Runs nothing; the next fire is the next one in the future. */
        NONE

    }

    /**
     * Reads and checks the schedule keys.
     * @throws IllegalArgumentException naming the key and the problem
     */
    public static ScheduleSettings of(Map<String, String> keys) {
        String cron = keys.get("cron");
        if (cron == null || cron.isBlank()) {
            throw new IllegalArgumentException("cron: a schedule needs a cron expression, e.g. cron='0 0 2 * * *'"
                    + " (second minute hour day-of-month month day-of-week)");
        }
        cron = cron.strip();
        try {
            expression(cron);
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("cron: " + ex.getMessage());
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(keys.getOrDefault("zone", "UTC").strip());
        }
        catch (DateTimeException ex) {
            throw new IllegalArgumentException("zone: unknown time zone '" + keys.get("zone") + "'");
        }
        Overlap overlap = switch (keys.getOrDefault("overlap", "skip").strip()) {
            case "skip" -> Overlap.SKIP;
            case "queue" -> Overlap.QUEUE;
            default -> throw new IllegalArgumentException(
                    "overlap: expected skip or queue, got '" + keys.get("overlap") + "'");
        };
        CatchUp catchUp = switch (keys.getOrDefault("catch-up", "once").strip()) {
            case "once" -> CatchUp.ONCE;
            case "none" -> CatchUp.NONE;
            default -> throw new IllegalArgumentException(
                    "catch-up: expected once or none, got '" + keys.get("catch-up") + "'");
        };
        boolean retryFailed = switch (keys.getOrDefault("retry-failed", "false").strip()) {
            case "true", "yes" -> true;
            case "false", "no" -> false;
            default -> throw new IllegalArgumentException(
                    "retry-failed: expected true or false, got '" + keys.get("retry-failed") + "'");
        };
        boolean json = switch (keys.getOrDefault("log-format", "text").strip()) {
            case "json" -> true;
            case "text" -> false;
            default -> throw new IllegalArgumentException(
                    "log-format: expected text or json, got '" + keys.get("log-format") + "'");
        };
        return new ScheduleSettings(cron, zone, overlap, catchUp, retryFailed, json);
    }

    /** The parsed cron expression; crontab's five fields get a seconds field of 0. */
    public CronExpression expression() {
        return expression(this.cron);
    }

    private static CronExpression expression(String cron) {
        String fields = cron.startsWith("@") || cron.split("\\s+").length != 5 ? cron : "0 " + cron;
        return CronExpression.parse(fields);
    }

}
