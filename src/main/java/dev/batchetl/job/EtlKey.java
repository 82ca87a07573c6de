package dev.batchetl.job;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Every key a job definition or the command line may set: its name, its kind (how a value
 * is checked, stored and shown, see {@link KeyKind}), its default and what it is for. The
 * canonical value of each key becomes a job parameter of the same name; paths are stored
 * absolute so that a restart from another folder reads the same files.
 */
public enum EtlKey {

    SOURCES("sources", PathKind.EXISTING_FILE, null, "file listing one source (http, https, file URL) per line"),
    DIR("dir", PathKind.PATH, "data", "download folder; statistics cover every *.csv and *.csv.gz under it"),
    OUTPUT("output", PathKind.PATH, "results.csv", "where results.csv is written (a file path, or an existing folder)"),
    REPORT("report", PathKind.PATH_OR_NONE, null,
            "where the run's page is written after every run, or none; default: report.html beside results.csv"),
    THREADS("threads", new WholeNumberKind(1024), "8", "concurrent downloads"),
    PARTITIONS("partitions", new WholeNumberKind(1024), String.valueOf(Runtime.getRuntime().availableProcessors()),
            "statistics partitions run in parallel"),
    RUN("run", PatternKind.RUN_KEY, null, "run key; with the definition it identifies the job instance"),
    FETCH_ATTEMPTS("fetch-attempts", new WholeNumberKind(100), "3", "attempts per source on transient failures"),
    CONNECT_TIMEOUT("connect-timeout", DurationKind.DURATION, "10s", "connect timeout per source"),
    TIMEOUT("timeout", DurationKind.DURATION, "5m", "time limit per source, all attempts and waits included"),
    READ_TIMEOUT("read-timeout", DurationKind.DURATION, "30s",
            "idle-read timeout: longest wait for the next bytes of a response"),
    FETCH_BACKOFF("fetch-backoff", DurationKind.DURATION, "500ms", "wait before the first retry; doubles, with jitter"),
    FETCH_MAX_BACKOFF("fetch-max-backoff", DurationKind.DURATION, "10s",
            "longest wait between attempts, Retry-After included"),
    MAX_FAILED_SOURCES("max-failed-sources", ThresholdKind.COUNT_OR_PERCENT, "none",
            "failed sources (a count, or N% of the sources) above which the run fails; none: never"),
    MAX_FILE_SIZE("max-file-size", SizeKind.SIZE, "64GB", "largest body accepted per source (decoded)"),
    MAX_REDIRECTS("max-redirects", new WholeNumberKind(50), "5", "redirects followed per request (same scheme only)"),
    PER_HOST("per-host", new WholeNumberKind(1024), "16", "concurrent downloads per host"),
    RATE_LIMIT("rate-limit", SizeKind.SIZE_OR_NONE, "none",
            "overall download rate in bytes per second (e.g. 20MB), or none"),
    ALLOWED_HOSTS("allowed-hosts", HostListKind.HOST_LIST, "any",
            "comma-separated hosts (*.example.org) sources may come from"),
    FILE_ROOTS("file-roots", PathKind.PATH_LIST, null,
            "folders file: sources may read (comma-separated); default: the list's parent folder and the working folder"),
    FETCH_CHUNK("fetch-chunk", new WholeNumberKind(10_000), null,
            "sources per fetch transaction; default: 4 x threads"),
    FETCH_PARTITIONING("fetch-partitioning", new ChoiceKind("local", "remote"), "local",
            "where downloads run: local (threads) or remote (batch-etl worker processes, partitioned by host)"),
    FETCH_PARTITIONS("fetch-partitions", new WholeNumberKind(1024), "4",
            "fetch-partitioning=remote: partitions of the source list (each a share of its hosts)"),
    DELIMITER("delimiter", CharKind.CHAR, ",", "CSV field delimiter (tab: \\t)"),
    QUOTE("quote", CharKind.CHAR, "\"", "CSV quote character"),
    ESCAPE("escape", CharKind.CHAR_OR_NONE, "none", "CSV escape character, or none"),
    HEADER("header", BooleanKind.BOOLEAN, "true", "whether the first row holds the column names"),
    ENCODING("encoding", CharsetKind.CHARSET, "UTF-8", "encoding of the CSV files"),
    BAD_ROWS("bad-rows", new ChoiceKind("skip", "fail-file"), "skip",
            "skip: record bad rows and go on; fail-file: fail the file"),
    SPLIT_SIZE("split-size", SizeKind.SIZE, "64MB", "a CSV file larger than this is split into several partitions"),
    COMMIT_ROWS("commit-rows", new WholeNumberKind(100_000_000), "50000",
            "rows per statistics checkpoint (chunk commit)"),
    NA_VALUES("na-values", TextKind.TEXT, "pandas",
            "comma-separated field values read as null; pandas = pandas' defaults, an empty item = the empty field,"
                    + " none = no null values"),
    INVALID_BYTES("invalid-bytes", new ChoiceKind("fail-file", "replace"), "fail-file",
            "bytes invalid in the encoding: fail-file, or replace (with U+FFFD) and count"),
    PARTITIONING("partitioning", new ChoiceKind("local", "remote"), "local",
            "where statistics partitions run: local (threads) or remote (batch-etl worker processes)"),
    PARTITION_TIMEOUT("partition-timeout", DurationKind.DURATION, "24h",
            "remote partitioning (of either step): time limit for all of a step's partitions to finish"),
    PARTITION_PICKUP_TIMEOUT("partition-pickup-timeout", DurationKind.DURATION, "5m",
            "remote partitioning: time limit for a worker to take the first partition of a step"),
    RETRY_OF("retry-of", PatternKind.EXECUTION_ID, null,
            "a completed execution of the same keys whose fetched sources and read files this run reuses"
                    + " (see: batch-etl retry)");

    /**
     * Keys that only tune how a run goes (concurrency, timeouts, retries, checkpoint
     * size, tolerance of failed sources) or where its results go ({@code output},
     * {@code report}): a restart may change them. Every other key defines what the run
     * computes and must stay as it was.
     */
    private static final Set<EtlKey> TUNING = EnumSet.of(THREADS, PARTITIONS, FETCH_ATTEMPTS, CONNECT_TIMEOUT, TIMEOUT,
            READ_TIMEOUT, FETCH_BACKOFF, FETCH_MAX_BACKOFF, MAX_FAILED_SOURCES, PER_HOST, RATE_LIMIT, FETCH_CHUNK,
            FETCH_PARTITIONING, FETCH_PARTITIONS, COMMIT_ROWS, PARTITIONING, PARTITION_TIMEOUT,
            PARTITION_PICKUP_TIMEOUT, OUTPUT, REPORT);

    private final String key;

    private final KeyKind kind;

    private final String defaultValue;

    private final String description;

    EtlKey(String key, KeyKind kind, String defaultValue, String description) {
        this.key = key;
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    public String key() {
        return this.key;
    }

    public String defaultValue() {
        return this.defaultValue;
    }

    public String description() {
        return this.description;
    }

    /** Whether a restart may change this key (see {@link #TUNING}). */
    public boolean tuning() {
        return TUNING.contains(this);
    }

    public static Optional<EtlKey> of(String key) {
        return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
    }

    /**
     * Checks a raw value and returns its canonical form.
     * @param raw the value as written
     * @param base the folder a relative path is resolved against
     * @throws IllegalArgumentException with a one-line reason
     */
    public String canonical(String raw, Path base) {
        return this.kind.canonical(raw, base);
    }

    /**
     * A canonical value as a person writes it: a duration or size in its largest exact
     * unit ({@code 300000ms} is {@code 5m}, {@code 68719476736} is {@code 64GB}); any
     * other value as it is.
     */
    public String display(String canonical) {
        return canonical == null ? null : this.kind.display(canonical);
    }

    /**
     * Parses a canonical or written duration: 500ms, 10s, 5m, 1h (a bare number is
     * seconds), from 1ms to 365 days.
     */
    public static Duration parseDuration(String value, String raw) {
        return DurationKind.parse(value, raw);
    }

}
