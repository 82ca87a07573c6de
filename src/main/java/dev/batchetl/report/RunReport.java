package dev.batchetl.report;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonFormat;

/**
 * What the page of one run shows: the run and every execution of its instance, the
 * timeline of their steps and partitions, the fetch, the statistics, what changed since
 * the previous run of the definition, the failures and what a restart would redo. Times
 * are epoch milliseconds; numbers that may be infinite are given as {@link #number} makes
 * them, since JSON has no infinity.
 *
 * @param run the run as its latest execution has it
 * @param executions every execution of the run's instance, oldest first
 * @param timeline steps and statistics partitions of those executions
 * @param fetch the sources of the fetch step, or null without one
 * @param files the files of the statistics, by path
 * @param drift the changes against the previous completed run, or null without one
 * @param failures one line per failure, as {@code show} prints them
 * @param restart what a restart would redo, as {@code show} prints it (empty when nothing
 * is left to do)
 * @param generated when the report was made
 */
public record RunReport(Run run, List<Execution> executions, List<Bar> timeline, Fetch fetch, List<FileStats> files,
        Drift drift, List<String> failures, List<String> restart, long generated) {

    /** A double as JSON can hold it: finite as is, infinities as text, NaN as null. */
    public static Object number(Double value) {
        if (value == null || value.isNaN()) {
            return null;
        }
        if (value.isInfinite()) {
            return value > 0 ? "inf" : "-inf";
        }
        return value;
    }

    /** The run: its definition and key, and the status of its latest execution. */
    public record Run(String definition, String runKey, long instanceId, long executionId, String status,
            Integer exitCode, String exitMeaning, Long durationMs, String host) {
    }

    /** One execution of the run's instance. */
    public record Execution(long id, String status, Integer exitCode, Long start, Long end, String owner,
            String summary) {
    }

    /**
     * A step or partition execution on the timeline; {@code end} is null while it runs.
     */
    public record Bar(long execution, String lane, String status, long start, Long end, String note) {
    }

    /**
     * The fetch step: its duration, its sources counted by status, the bytes they
     * brought, the throughput over the step's time, and at most
     * {@link FetchSection#SOURCES_SHOWN} of the sources themselves, the failed ones
     * first, each group in list order (a list of a million sources is in
     * {@code etl_source}, not on a page).
     *
     * @param total how many sources the run has
     * @param throughput the bytes received per second over time, or null when fewer than
     * two sources have a duration and an end
     */
    public record Fetch(Long stepMs, long total, java.util.Map<String, Long> counts, long bytes, Throughput throughput,
            List<Source> sources) {

        /**
         * The fetch of these sources, all of them shown, the failed ones first, each
         * group in list order.
         */
        public static Fetch of(Long stepMs, List<Source> sources) {
            java.util.Map<String, Long> counts = new java.util.TreeMap<>();
            long bytes = 0;
            for (Source source : sources) {
                counts.merge(source.status(), 1L, Long::sum);
                bytes += source.bytes() == null ? 0 : source.bytes();
            }
            List<Source> shown = sources.stream()
                .sorted(java.util.Comparator.comparing((Source source) -> !source.status().equals("FAILED"))
                    .thenComparingInt(Source::line))
                .toList();
            return new Fetch(stepMs, sources.size(), counts, bytes, ThroughputCurve.of(sources), shown);
        }

    }

    /**
     * Bytes received per second in equal intervals over the fetch step's time, each
     * source's bytes spread evenly over its duration.
     *
     * @param start the start of the first interval, epoch milliseconds
     * @param step the length of each interval, milliseconds
     * @param mibPerSecond MiB per second in each interval
     */
    public record Throughput(long start, double step, double[] mibPerSecond) {
    }

    /** One source; {@code end} is when its result was recorded, where known. */
    public record Source(int line, String source, String target, String status, Long bytes, Long ms, int attempts,
            Integer http, String error, Long end) {
    }

    /** One file of the statistics with its columns and the bad rows set aside. */
    public record FileStats(String file, Long rows, Integer columns, Long badRows, String error, List<Column> cols,
            List<BadRow> bad) {
    }

    /**
     * One column's statistics; numbers as {@link RunReport#number}, texts as they are. In
     * JSON an array of its values in this order, not an object: a page of 20,000 columns
     * would otherwise spend a third of its size on their names.
     */
    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    public record Column(String name, String type, long count, long nulls, Object min, Object max, Object mean,
            Object std, Object q1, Object median, Object q3, Long distinct, Boolean distinctExact, Histogram hist) {
    }

    /**
     * Counts of values in equal bins from {@code low} to {@code high}; in JSON
     * {@code [low, high, [counts]]}.
     */
    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    public record Histogram(double low, double high, long[] counts) {
    }

    /** A row set aside: its line and why. */
    public record BadRow(long line, String reason) {
    }

    /** What changed against the previous completed run of the same definition. */
    public record Drift(long previousExecution, String previousRunKey, String threshold, List<String> newFiles,
            List<String> vanishedFiles, List<Change> changes) {
    }

    /** One change: a column added or removed, a type changed, a count or share moved. */
    public record Change(String file, String column, String what, Object before, Object now) {
    }

}
