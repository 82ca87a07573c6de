package dev.batchetl.job;

import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every key a job definition or the command line may set. The canonical value of each key
 * becomes a job parameter of the same name; paths are stored absolute so that a restart
 * from another folder reads the same files.
 */
public enum EtlKey {

    SOURCES("sources", Kind.EXISTING_FILE, null, "file listing one source (http, https, file URL) per line"),
    DIR("dir", Kind.PATH, "data", "download folder; statistics cover every *.csv and *.csv.gz under it"),
    OUTPUT("output", Kind.PATH, "results.csv", "where results.csv is written (a file path, or an existing folder)"),
    THREADS("threads", Kind.POSITIVE_INT, "8", "concurrent downloads", 1024),
    PARTITIONS("partitions", Kind.POSITIVE_INT, String.valueOf(Runtime.getRuntime().availableProcessors()),
            "statistics partitions run in parallel", 1024),
    RUN("run", Kind.RUN_KEY, null, "run key; with the definition it identifies the job instance"),
    FETCH_ATTEMPTS("fetch-attempts", Kind.POSITIVE_INT, "3", "attempts per source on transient failures", 100),
    CONNECT_TIMEOUT("connect-timeout", Kind.DURATION, "10s", "connect timeout per source"),
    TIMEOUT("timeout", Kind.DURATION, "5m", "time limit per source, all attempts and waits included"),
    READ_TIMEOUT("read-timeout", Kind.DURATION, "30s",
            "idle-read timeout: longest wait for the next bytes of a response"),
    FETCH_BACKOFF("fetch-backoff", Kind.DURATION, "500ms", "wait before the first retry; doubles, with jitter"),
    FETCH_MAX_BACKOFF("fetch-max-backoff", Kind.DURATION, "10s", "longest wait between attempts, Retry-After included"),
    MAX_FAILED_SOURCES("max-failed-sources", Kind.COUNT_OR_PERCENT, "none",
            "failed sources (a count, or N% of the sources) above which the run fails; none: never"),
    MAX_FILE_SIZE("max-file-size", Kind.SIZE, "64GB", "largest body accepted per source (decoded)"),
    MAX_REDIRECTS("max-redirects", Kind.POSITIVE_INT, "5", "redirects followed per request (same scheme only)", 50),
    PER_HOST("per-host", Kind.POSITIVE_INT, "16", "concurrent downloads per host", 1024),
    RATE_LIMIT("rate-limit", Kind.SIZE_OR_NONE, "none",
            "overall download rate in bytes per second (e.g. 20MB), or none"),
    ALLOWED_HOSTS("allowed-hosts", Kind.HOST_LIST, "any",
            "comma-separated hosts (*.example.org) sources may come from"),
    FILE_ROOTS("file-roots", Kind.PATH_LIST, null,
            "folders file: sources may read (comma-separated); default: the list's parent folder and the working folder"),
    FETCH_CHUNK("fetch-chunk", Kind.POSITIVE_INT, null, "sources per fetch transaction; default: 4 x threads", 10_000),
    DELIMITER("delimiter", Kind.CHAR, ",", "CSV field delimiter (tab: \\t)"),
    QUOTE("quote", Kind.CHAR, "\"", "CSV quote character"),
    ESCAPE("escape", Kind.CHAR_OR_NONE, "none", "CSV escape character, or none"),
    HEADER("header", Kind.BOOLEAN, "true", "whether the first row holds the column names"),
    ENCODING("encoding", Kind.CHARSET, "UTF-8", "encoding of the CSV files"),
    BAD_ROWS("bad-rows", Kind.BAD_ROW_POLICY, "skip", "skip: record bad rows and go on; fail-file: fail the file"),
    SPLIT_SIZE("split-size", Kind.SIZE, "64MB", "a CSV file larger than this is split into several partitions"),
    COMMIT_ROWS("commit-rows", Kind.POSITIVE_INT, "50000", "rows per statistics checkpoint (chunk commit)",
            100_000_000),
    NA_VALUES("na-values", Kind.NA_LIST, "pandas",
            "comma-separated field values read as null; pandas = pandas' defaults, an empty item = the empty field,"
                    + " none = no null values"),
    INVALID_BYTES("invalid-bytes", Kind.INVALID_BYTE_POLICY, "fail-file",
            "bytes invalid in the encoding: fail-file, or replace (with U+FFFD) and count"),
    PARTITIONING("partitioning", Kind.PARTITIONING, "local",
            "where statistics partitions run: local (threads) or remote (batch-etl worker processes)"),
    PARTITION_TIMEOUT("partition-timeout", Kind.DURATION, "24h",
            "partitioning=remote: time limit for all partitions to finish"),
    PARTITION_PICKUP_TIMEOUT("partition-pickup-timeout", Kind.DURATION, "5m",
            "partitioning=remote: time limit for a worker to take the first partition of the run"),
    RETRY_OF("retry-of", Kind.EXECUTION_ID, null,
            "a completed execution of the same keys whose fetched sources and read files this run reuses"
                    + " (see: batch-etl retry)");

    /**
     * Keys that only tune how a run goes (concurrency, timeouts, retries, checkpoint
     * size, tolerance of failed sources) or where its results go ({@code output}): a
     * restart may change them. Every other key defines what the run computes and must
     * stay as it was.
     */
    private static final Set<EtlKey> TUNING = EnumSet.of(THREADS, PARTITIONS, FETCH_ATTEMPTS, CONNECT_TIMEOUT, TIMEOUT,
            READ_TIMEOUT, FETCH_BACKOFF, FETCH_MAX_BACKOFF, MAX_FAILED_SOURCES, PER_HOST, RATE_LIMIT, FETCH_CHUNK,
            COMMIT_ROWS, PARTITIONING, PARTITION_TIMEOUT, PARTITION_PICKUP_TIMEOUT, OUTPUT);

    private static final Pattern RUN_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:+-]{0,99}");

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB|K|M|G)?", Pattern.CASE_INSENSITIVE);

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

    private final String key;

    private final Kind kind;

    private final String defaultValue;

    private final String description;

    private final int max;

    EtlKey(String key, Kind kind, String defaultValue, String description) {
        this(key, kind, defaultValue, description, Integer.MAX_VALUE);
    }

    EtlKey(String key, Kind kind, String defaultValue, String description, int max) {
        this.key = key;
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.description = description;
        this.max = max;
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
        String value = raw.strip();
        switch (this.kind) {
            case PATH:
                requireNonEmpty(value);
                return base.resolve(value).toAbsolutePath().normalize().toString();
            case EXISTING_FILE: {
                requireNonEmpty(value);
                Path path = base.resolve(value).toAbsolutePath().normalize();
                if (Files.isDirectory(path)) {
                    throw new IllegalArgumentException(path + " is a folder; expected a file");
                }
                if (!Files.isRegularFile(path)) {
                    throw new IllegalArgumentException("no such file: " + path);
                }
                if (!Files.isReadable(path)) {
                    throw new IllegalArgumentException("cannot read " + path);
                }
                return path.toString();
            }
            case POSITIVE_INT:
                try {
                    int n = Integer.parseInt(value);
                    if (n < 1 || n > this.max) {
                        throw new NumberFormatException();
                    }
                    return Integer.toString(n);
                }
                catch (NumberFormatException ex) {
                    throw new IllegalArgumentException(
                            "expected a whole number from 1 to " + this.max + ", got '" + raw + "'");
                }
            case EXECUTION_ID:
                if (!value.matches("[1-9]\\d{0,17}")) {
                    throw new IllegalArgumentException(
                            "expected a job execution id (see: batch-etl list), got '" + raw + "'");
                }
                return value;
            case RUN_KEY:
                if (!RUN_KEY.matcher(value).matches()) {
                    throw new IllegalArgumentException(
                            "expected 1 to 100 of A-Z a-z 0-9 . _ : + - (starting with a letter" + " or digit), got '"
                                    + raw + "'");
                }
                return value;
            case DURATION:
                return Long.toString(parseDuration(value, raw).toMillis()) + "ms";
            case CHAR:
                return Character.toString(parseChar(raw));
            case CHAR_OR_NONE:
                return value.equalsIgnoreCase("none") ? "none" : Character.toString(parseChar(raw));
            case BOOLEAN:
                if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("yes")) {
                    return "true";
                }
                if (value.equalsIgnoreCase("false") || value.equalsIgnoreCase("no")) {
                    return "false";
                }
                throw new IllegalArgumentException("expected true or false, got '" + raw + "'");
            case CHARSET:
                try {
                    return Charset.forName(value).name();
                }
                catch (RuntimeException ex) {
                    throw new IllegalArgumentException("unknown encoding '" + raw + "'");
                }
            case BAD_ROW_POLICY:
                if (value.equals("skip") || value.equals("fail-file")) {
                    return value;
                }
                throw new IllegalArgumentException("expected skip or fail-file, got '" + raw + "'");
            case SIZE:
                return Long.toString(parseSize(value, raw));
            case SIZE_OR_NONE:
                return value.equalsIgnoreCase("none") ? "none" : Long.toString(parseSize(value, raw));
            case COUNT_OR_PERCENT:
                return countOrPercent(value, raw);
            case HOST_LIST:
                return hostList(value, raw);
            case PATH_LIST:
                return pathList(value, base);
            case PARTITIONING:
                if (value.equals("local") || value.equals("remote")) {
                    return value;
                }
                throw new IllegalArgumentException("expected local or remote, got '" + raw + "'");
            case NA_LIST:
                return raw;
            case INVALID_BYTE_POLICY:
                if (value.equals("fail-file") || value.equals("replace")) {
                    return value;
                }
                throw new IllegalArgumentException("expected fail-file or replace, got '" + raw + "'");
            default:
                throw new IllegalStateException(this.kind.name());
        }
    }

    /**
     * A canonical value as a person writes it: a duration or size in its largest exact
     * unit ({@code 300000ms} is {@code 5m}, {@code 68719476736} is {@code 64GB}); any
     * other value as it is.
     */
    public String display(String canonical) {
        if (canonical == null) {
            return null;
        }
        try {
            if (this.kind == Kind.DURATION && canonical.endsWith("ms")) {
                long millis = Long.parseLong(canonical.substring(0, canonical.length() - 2));
                return largestUnit(millis, new long[] { 3_600_000, 60_000, 1000, 1 },
                        new String[] { "h", "m", "s", "ms" });
            }
            if ((this.kind == Kind.SIZE || this.kind == Kind.SIZE_OR_NONE) && !canonical.equals("none")) {
                return largestUnit(Long.parseLong(canonical), new long[] { 1L << 30, 1L << 20, 1L << 10, 1 },
                        new String[] { "GB", "MB", "KB", "B" });
            }
        }
        catch (NumberFormatException ex) {
            // not written by this version: shown as stored
        }
        return canonical;
    }

    private static String largestUnit(long value, long[] factors, String[] units) {
        for (int i = 0; i < factors.length; i++) {
            if (value % factors[i] == 0) {
                return value / factors[i] + units[i];
            }
        }
        return Long.toString(value);
    }

    private static final Pattern COUNT_OR_PERCENT = Pattern.compile("(\\d{1,9})(%?)");

    private static final Pattern HOST = Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9.-]{0,252})?|\\[[0-9a-f:.]+\\]");

    private static String countOrPercent(String value, String raw) {
        if (value.equalsIgnoreCase("none")) {
            return "none";
        }
        var matcher = COUNT_OR_PERCENT.matcher(value);
        if (!matcher.matches() || (!matcher.group(2).isEmpty() && Integer.parseInt(matcher.group(1)) > 100)) {
            throw new IllegalArgumentException("expected a count from 0 to 999999999, a percentage from 0% to 100%,"
                    + " or none, got '" + raw + "'");
        }
        return Integer.parseInt(matcher.group(1)) + matcher.group(2);
    }

    private static String hostList(String value, String raw) {
        if (value.equalsIgnoreCase("any") || value.equals("*")) {
            return "any";
        }
        StringBuilder hosts = new StringBuilder();
        for (String part : value.split(",")) {
            String host = part.strip().toLowerCase(Locale.ROOT);
            if (!HOST.matcher(host).matches()) {
                throw new IllegalArgumentException("expected host names separated by commas (*.example.org allowed),"
                        + " or any, got '" + raw + "'");
            }
            hosts.append(hosts.isEmpty() ? "" : ",").append(host);
        }
        return hosts.toString();
    }

    private static String pathList(String value, Path base) {
        StringBuilder paths = new StringBuilder();
        for (String part : value.split(",")) {
            requireNonEmpty(part.strip());
            paths.append(paths.isEmpty() ? "" : ",").append(base.resolve(part.strip()).toAbsolutePath().normalize());
        }
        return paths.toString();
    }

    private static void requireNonEmpty(String value) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException("expected a path, got nothing");
        }
    }

    /** Longest duration a key accepts: 365 days (8760h). */
    private static final Duration MAX_DURATION = Duration.ofDays(365);

    /**
     * Largest size a key accepts: 1 PiB (1048576GB), far below where byte counts
     * overflow.
     */
    private static final long MAX_SIZE = 1L << 50;

    /**
     * Parses a canonical or written duration: 500ms, 10s, 5m, 1h (a bare number is
     * seconds), from 1ms to {@link #MAX_DURATION}.
     */
    public static Duration parseDuration(String value, String raw) {
        var matcher = DURATION.matcher(value.toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("expected a duration such as 500ms, 10s, 5m or 1h, got '" + raw + "'");
        }
        String unit = matcher.group(2) == null ? "s" : matcher.group(2);
        long factor = switch (unit) {
            case "ms" -> 1;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            default -> 1000;
        };
        long millis = scaled(matcher.group(1), factor);
        if (millis < 1 || millis > MAX_DURATION.toMillis()) {
            throw new IllegalArgumentException("expected a duration from 1ms to " + MAX_DURATION.toHours() + "h ("
                    + MAX_DURATION.toDays() + " days), got '" + raw + "'");
        }
        return Duration.ofMillis(millis);
    }

    private static long parseSize(String value, String raw) {
        var matcher = SIZE.matcher(value);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("expected a size such as 64MB, 512KB or 1GB, got '" + raw + "'");
        }
        String unit = matcher.group(2) == null ? "B" : matcher.group(2).toUpperCase(Locale.ROOT);
        long factor = switch (unit) {
            case "K", "KB" -> 1L << 10;
            case "M", "MB" -> 1L << 20;
            case "G", "GB" -> 1L << 30;
            default -> 1L;
        };
        long bytes = scaled(matcher.group(1), factor);
        if (bytes < 1 || bytes > MAX_SIZE) {
            throw new IllegalArgumentException(
                    "expected a size from 1B to " + (MAX_SIZE >> 30) + "GB (1 PiB), got '" + raw + "'");
        }
        return bytes;
    }

    /**
     * digits x factor, or Long.MAX_VALUE when that does not fit in a long (the callers'
     * range check refuses it).
     */
    private static long scaled(String digits, long factor) {
        try {
            return Math.multiplyExact(Long.parseLong(digits), factor);
        }
        catch (NumberFormatException | ArithmeticException ex) {
            return Long.MAX_VALUE;
        }
    }

    private static char parseChar(String raw) {
        String value = raw.equals("\\t") || raw.equalsIgnoreCase("tab") ? "\t" : raw;
        if (value.length() != 1 || value.charAt(0) == '\n' || value.charAt(0) == '\r') {
            throw new IllegalArgumentException("expected a single character, got '" + raw + "'");
        }
        if (value.charAt(0) >= 0x80) {
            // the CSV scanner finds delimiters, quotes and escapes as bytes
            throw new IllegalArgumentException(
                    "expected an ASCII character (the tokenizer works on bytes), got '" + raw + "'");
        }
        return value.charAt(0);
    }

    private enum Kind {

        PATH, EXISTING_FILE, POSITIVE_INT, RUN_KEY, DURATION, CHAR, CHAR_OR_NONE, BOOLEAN, CHARSET, BAD_ROW_POLICY,
        SIZE, SIZE_OR_NONE, COUNT_OR_PERCENT, HOST_LIST, PATH_LIST, PARTITIONING, NA_LIST, INVALID_BYTE_POLICY,
        EXECUTION_ID

    }

}
