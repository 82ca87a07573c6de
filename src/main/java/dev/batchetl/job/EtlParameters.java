package dev.batchetl.job;

import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.util.unit.DataSize;

/**
 * The keys of one run as typed values, read once from its job parameters, one record per
 * concern. A key the parameters do not hold (an execution started before the key existed)
 * takes its default from {@link EtlKey}, the one place defaults are written.
 *
 * @param definition the definition's name
 * @param dir the download folder
 * @param sources the source list, or null for a run without one
 * @param output where results.csv is written
 * @param report where the run's page is written ({@code report}; by default
 * {@code report.html} in the folder results.csv is written to), or null for
 * {@code report=none}
 * @param retryOf the execution whose fetched sources and read files this run reuses, or
 * null
 * @param fetch the fetch step's keys
 * @param csv the CSV dialect and policies
 * @param stats the statistics step's keys
 */
public record EtlParameters(String definition, Path dir, Path sources, Path output, Path report, Long retryOf,
        Fetch fetch, Csv csv, Stats stats) {

    /** The page's file name beside results.csv, when {@code report} is not given. */
    public static final String REPORT_FILE = "report.html";

    /** Most sources per fetch transaction, when {@code fetch-chunk} is derived. */
    private static final int MAX_DERIVED_CHUNK = 10_000;

    /** The parameters of a job execution. */
    public static EtlParameters from(JobParameters parameters) {
        return from(key -> {
            var parameter = parameters.getParameter(key);
            return parameter == null ? null : String.valueOf(parameter.value());
        });
    }

    /** The parameters of a job execution, as {@code #{jobParameters}} gives them. */
    public static EtlParameters from(Map<String, ?> parameters) {
        return from(key -> {
            Object value = parameters.get(key);
            return value == null ? null : value.toString();
        });
    }

    private static EtlParameters from(Function<String, String> stored) {
        Values values = new Values(stored);
        Path sources = values.optional(EtlKey.SOURCES) == null ? null : Path.of(values.optional(EtlKey.SOURCES));
        String retryOf = values.optional(EtlKey.RETRY_OF);
        Path output = values.path(EtlKey.OUTPUT);
        return new EtlParameters(stored.apply(EtlRequest.DEFINITION), values.path(EtlKey.DIR), sources, output,
                report(values.optional(EtlKey.REPORT), output), retryOf == null ? null : Long.valueOf(retryOf),
                fetch(values, sources), csv(values), stats(values));
    }

    /**
     * The page's path: the {@code report} key (a file, or an existing folder to write
     * {@code report.html} into), or without it {@code report.html} in the folder
     * results.csv is written to ({@code output}, or the folder it names); null for
     * {@code none}.
     */
    static Path report(String key, Path output) {
        if (key == null) {
            Path folder = Files.isDirectory(output) ? output : output.toAbsolutePath().getParent();
            return folder.resolve(REPORT_FILE);
        }
        if (key.equals(PathKind.NONE)) {
            return null;
        }
        Path report = Path.of(key);
        return Files.isDirectory(report) ? report.resolve(REPORT_FILE) : report;
    }

    private static Fetch fetch(Values values, Path sources) {
        int threads = values.integer(EtlKey.THREADS);
        String chunk = values.optional(EtlKey.FETCH_CHUNK);
        String roots = values.optional(EtlKey.FILE_ROOTS);
        return new Fetch(threads, chunk != null ? Integer.parseInt(chunk) : Math.min(threads * 4, MAX_DERIVED_CHUNK),
                values.integer(EtlKey.FETCH_ATTEMPTS), values.duration(EtlKey.CONNECT_TIMEOUT),
                values.duration(EtlKey.TIMEOUT), values.duration(EtlKey.READ_TIMEOUT),
                values.duration(EtlKey.FETCH_BACKOFF), values.duration(EtlKey.FETCH_MAX_BACKOFF),
                values.get(EtlKey.MAX_FAILED_SOURCES),
                DataSize.ofBytes(Long.parseLong(values.get(EtlKey.MAX_FILE_SIZE))),
                values.integer(EtlKey.MAX_REDIRECTS), values.integer(EtlKey.PER_HOST),
                SizeKind.of(values.get(EtlKey.RATE_LIMIT)), HostListKind.of(values.get(EtlKey.ALLOWED_HOSTS)),
                roots != null ? Arrays.stream(roots.split(",")).map(Path::of).toList()
                        : defaultFileRoots(sources, Path.of("").toAbsolutePath()),
                values.get(EtlKey.FETCH_PARTITIONING).equals("remote"), values.integer(EtlKey.FETCH_PARTITIONS));
    }

    private static Csv csv(Values values) {
        return new Csv(values.get(EtlKey.DELIMITER).charAt(0), values.get(EtlKey.QUOTE).charAt(0),
                CharKind.of(values.get(EtlKey.ESCAPE)), Boolean.parseBoolean(values.get(EtlKey.HEADER)),
                Charset.forName(values.get(EtlKey.ENCODING)), values.get(EtlKey.NA_VALUES),
                values.get(EtlKey.BAD_ROWS).equals("fail-file"), values.get(EtlKey.INVALID_BYTES).equals("replace"));
    }

    private static Stats stats(Values values) {
        return new Stats(values.integer(EtlKey.PARTITIONS),
                DataSize.ofBytes(Long.parseLong(values.get(EtlKey.SPLIT_SIZE))), values.integer(EtlKey.COMMIT_ROWS),
                values.get(EtlKey.PARTITIONING).equals("remote"), values.duration(EtlKey.PARTITION_TIMEOUT),
                values.duration(EtlKey.PARTITION_PICKUP_TIMEOUT));
    }

    /**
     * The folders {@code file:} sources may read when {@code file-roots} is not set: the
     * folder holding the source list's folder (a list in jobs/ may name files in a
     * sibling such as input-data/) and {@code workingFolder}.
     * @param sources the source list, or null
     * @param workingFolder the absolute working folder
     */
    public static List<Path> defaultFileRoots(Path sources, Path workingFolder) {
        List<Path> roots = new ArrayList<>();
        if (sources != null) {
            Path listFolder = sources.toAbsolutePath().getParent();
            roots.add(listFolder.getParent() != null ? listFolder.getParent() : listFolder);
        }
        roots.add(workingFolder);
        return roots;
    }

    /**
     * The fetch step's keys.
     *
     * @param threads concurrent downloads
     * @param chunk sources per fetch transaction ({@code fetch-chunk}, or derived from
     * {@code threads})
     * @param attempts attempts per source
     * @param connectTimeout connect timeout per source
     * @param timeout time limit per source
     * @param readTimeout idle-read timeout
     * @param backoff wait before the first retry
     * @param maxBackoff longest wait between attempts
     * @param maxFailedSources a count, a percentage ({@code 5%}) or {@code none}
     * @param maxFileSize largest body accepted per source
     * @param maxRedirects redirects followed per request
     * @param perHost concurrent downloads per host
     * @param rateLimit the overall download rate per second, or null for none
     * @param allowedHosts the hosts sources may come from; empty for any
     * @param fileRoots the folders {@code file:} sources may read
     * @param remote whether worker processes run the downloads
     * @param partitions remote: the partitions of the source list
     */
    public record Fetch(int threads, int chunk, int attempts, Duration connectTimeout, Duration timeout,
            Duration readTimeout, Duration backoff, Duration maxBackoff, String maxFailedSources, DataSize maxFileSize,
            int maxRedirects, int perHost, DataSize rateLimit, List<String> allowedHosts, List<Path> fileRoots,
            boolean remote, int partitions) {

        public Fetch {
            allowedHosts = List.copyOf(allowedHosts);
            fileRoots = List.copyOf(fileRoots);
        }

    }

    /**
     * The CSV dialect and policies.
     *
     * @param delimiter the field delimiter
     * @param quote the quote character
     * @param escape the escape character, or null for none
     * @param header whether the first row holds the column names
     * @param encoding the files' encoding
     * @param naValues the {@code na-values} key as written
     * @param failFileOnBadRow {@code bad-rows=fail-file}: a bad row fails its file
     * @param replaceInvalidBytes {@code invalid-bytes=replace}: invalid bytes are
     * replaced and counted
     */
    public record Csv(char delimiter, char quote, Character escape, boolean header, Charset encoding, String naValues,
            boolean failFileOnBadRow, boolean replaceInvalidBytes) {

    }

    /**
     * The statistics step's keys.
     *
     * @param partitions partitions run in parallel (the grid size)
     * @param splitSize files larger than this are split into several partitions
     * @param commitRows rows per checkpoint
     * @param remote whether worker processes run the partitions
     * @param partitionTimeout remote: time limit for all partitions
     * @param pickupTimeout remote: time limit for a worker to take the first partition
     */
    public record Stats(int partitions, DataSize splitSize, int commitRows, boolean remote, Duration partitionTimeout,
            Duration pickupTimeout) {

    }

    /** The stored values, with the defaults of the keys they lack. */
    private record Values(Function<String, String> stored) {

        String optional(EtlKey key) {
            return this.stored.apply(key.key());
        }

        String get(EtlKey key) {
            String value = optional(key);
            if (value != null) {
                return value;
            }
            if (key.defaultValue() == null) {
                throw new IllegalStateException("job parameter " + key.key() + " is missing");
            }
            return key.canonical(key.defaultValue(), Path.of("").toAbsolutePath());
        }

        int integer(EtlKey key) {
            return Integer.parseInt(get(key));
        }

        Duration duration(EtlKey key) {
            String value = get(key);
            return DurationKind.parse(value, value);
        }

        Path path(EtlKey key) {
            return Path.of(get(key));
        }

    }

}
