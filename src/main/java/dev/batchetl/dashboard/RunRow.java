package dev.batchetl.dashboard;

import java.time.Duration;
import java.time.format.DateTimeFormatter;

import dev.batchetl.history.ExecutionHistory;
import dev.batchetl.job.ExitCode;

/**
 * One execution as a row of the runs list shows it: texts ready for the template.
 *
 * @param id the execution
 * @param definition the definition it ran, or an empty text
 * @param runKey its run key
 * @param status its batch status
 * @param started when it started, or an empty text
 * @param duration how long it ran (so far, while running)
 * @param exit its process exit code, or an empty text while running
 */
public record RunRow(long id, String definition, String runKey, String status, String started, String duration,
        String exit) {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    static RunRow of(ExecutionHistory.Listed listed) {
        String exit = "";
        if (!listed.running()) {
            ExitCode code = ExitCode.of(listed.status(), listed.exitCode());
            exit = Integer.toString(code.code());
        }
        return new RunRow(listed.id(), listed.definition() == null ? "" : listed.definition(),
                listed.runKey() == null ? "" : listed.runKey(), listed.status().name(),
                listed.start() == null ? "" : TIME.format(listed.start()), text(listed.duration()), exit);
    }

    static String text(Duration duration) {
        if (duration == null) {
            return "";
        }
        long ms = duration.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        long s = ms / 1000;
        return s >= 3600 ? String.format(java.util.Locale.ROOT, "%d h %02d min", s / 3600, s % 3600 / 60)
                : String.format(java.util.Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }

}
