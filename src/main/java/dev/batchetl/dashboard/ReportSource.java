package dev.batchetl.dashboard;

import dev.batchetl.report.RunReport;

/** The report of a run as of now, as {@code batch-etl report} makes it. */
@FunctionalInterface
public interface ReportSource {

    /**
     * The report of the run of {@code executionId}; null when there is no such execution.
     */
    RunReport read(long executionId);

}
