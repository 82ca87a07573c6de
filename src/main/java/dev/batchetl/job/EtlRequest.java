package dev.batchetl.job;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * What one run of the etl job is asked to do: the definition's name and the canonical
 * value of every key. The definition name and the run key identify the job instance;
 * every other key is a non-identifying job parameter.
 */
public record EtlRequest(String definition, Map<String, String> keys) {

    /** Job parameter holding the definition name. */
    public static final String DEFINITION = "definition";

    /** Name of a run that was not started from a definition file. */
    public static final String ADHOC = "adhoc";

    private static final DateTimeFormatter RUN_KEY_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
        .withZone(ZoneOffset.UTC);

    public EtlRequest {
        keys = Map.copyOf(keys);
    }

    /**
     * Builds a request from a definition's properties and the command line's keys (which
     * win), filling in defaults.
     * @param definition the definition name
     * @param fromFile keys of the definition file, relative paths resolved against
     * {@code fileBase}
     * @param fromCommandLine keys of the command line, relative paths resolved against
     * {@code cwd}
     * @throws IllegalArgumentException naming the key and the problem
     */
    public static EtlRequest of(String definition, Properties fromFile, Path fileBase,
            Map<String, String> fromCommandLine, Path cwd) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String name : fromFile.stringPropertyNames()) {
            keys.put(name, canonical(name, fromFile.getProperty(name), fileBase));
        }
        fromCommandLine.forEach((name, value) -> keys.put(name, canonical(name, value, cwd)));
        for (EtlKey key : EtlKey.values()) {
            if (!keys.containsKey(key.key()) && key.defaultValue() != null) {
                keys.put(key.key(), key.canonical(key.defaultValue(), cwd));
            }
        }
        if (!keys.containsKey(EtlKey.FILE_ROOTS.key())) {
            // recorded as the run starts, so that a restart from another folder reads
            // from the same folders
            String sources = keys.get(EtlKey.SOURCES.key());
            keys.put(EtlKey.FILE_ROOTS.key(),
                    EtlParameters
                        .defaultFileRoots(sources == null ? null : Path.of(sources), cwd.toAbsolutePath().normalize())
                        .stream()
                        .map(Path::toString)
                        .collect(java.util.stream.Collectors.joining(",")));
        }
        if (!keys.containsKey(EtlKey.RUN.key())) {
            keys.put(EtlKey.RUN.key(), freshRunKey());
        }
        String delimiter = keys.get(EtlKey.DELIMITER.key());
        if (delimiter.equals(keys.get(EtlKey.QUOTE.key()))) {
            throw new IllegalArgumentException("delimiter and quote must differ, both are '" + delimiter + "'");
        }
        return new EtlRequest(definition, keys);
    }

    private static String canonical(String name, String value, Path base) {
        EtlKey key = EtlKey.of(name).orElseThrow(() -> new IllegalArgumentException("unknown key '" + name + "'"));
        try {
            return key.canonical(value, base);
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(name + ": " + ex.getMessage());
        }
    }

    /**
     * A run key that is new with every call: the UTC time to the second and a random
     * suffix.
     */
    static String freshRunKey() {
        return RUN_KEY_TIME.format(Instant.now()) + "-"
                + Integer.toHexString(0x10000 + ThreadLocalRandom.current().nextInt(0xF0000));
    }

    private static final java.util.regex.Pattern RETRY_SUFFIX = java.util.regex.Pattern
        .compile("(.*)\\.retry(\\d{1,6})");

    /**
     * The request that retries what failed in execution {@code executionId} of this
     * request's run: the same keys, {@code retry-of} set, and the run key
     * {@code KEY.retry1} ({@code KEY.retry2} for a retry of that one, and so on), so that
     * retrying the same execution twice names the same run.
     * @throws IllegalArgumentException when that run key would be too long
     */
    public EtlRequest retrying(long executionId) {
        String runKey = runKey();
        var matcher = RETRY_SUFFIX.matcher(runKey);
        String retryKey = matcher.matches() ? matcher.group(1) + ".retry" + (Integer.parseInt(matcher.group(2)) + 1)
                : runKey + ".retry1";
        Map<String, String> retry = new LinkedHashMap<>(this.keys);
        retry.put(EtlKey.RUN.key(), EtlKey.RUN.canonical(retryKey, Path.of("")));
        retry.put(EtlKey.RETRY_OF.key(), Long.toString(executionId));
        return new EtlRequest(this.definition, retry);
    }

    /**
     * This request with the tuning keys (see {@link EtlKey#tuning()}) that are not in
     * {@code given} taken from {@code started}, the request a run was started with: a
     * restart keeps the run's tuning unless it sets a key again. So does a
     * {@code file-roots} not given, whose default the run recorded when it started (from
     * the folder it started in); a run started before that was recorded derives it again
     * at step time, as it did.
     */
    public EtlRequest keepingTuning(EtlRequest started, java.util.Set<String> given) {
        Map<String, String> kept = new LinkedHashMap<>(this.keys);
        for (EtlKey key : EtlKey.values()) {
            String before = started.get(key);
            if (key.tuning() && !given.contains(key.key()) && before != null) {
                kept.put(key.key(), before);
            }
        }
        if (!given.contains(EtlKey.FILE_ROOTS.key())) {
            String recorded = started.get(EtlKey.FILE_ROOTS);
            if (recorded != null) {
                kept.put(EtlKey.FILE_ROOTS.key(), recorded);
            }
            else {
                kept.remove(EtlKey.FILE_ROOTS.key());
            }
        }
        return new EtlRequest(this.definition, kept);
    }

    /** How a run is named to people: {@code DEFINITION run=KEY}. */
    public String name() {
        return this.definition + " run=" + runKey();
    }

    public String runKey() {
        return this.keys.get(EtlKey.RUN.key());
    }

    public String get(EtlKey key) {
        return this.keys.get(key.key());
    }

    public JobParameters toJobParameters() {
        JobParametersBuilder builder = new JobParametersBuilder();
        builder.addString(DEFINITION, this.definition, true);
        this.keys.forEach((name, value) -> builder.addString(name, value, name.equals(EtlKey.RUN.key())));
        return builder.toJobParameters();
    }

    /** Identifying parameters only: what names the job instance. */
    public JobParameters identity() {
        return new JobParametersBuilder().addString(DEFINITION, this.definition, true)
            .addString(EtlKey.RUN.key(), runKey(), true)
            .toJobParameters();
    }

    public static EtlRequest from(JobParameters parameters) {
        Map<String, String> keys = new LinkedHashMap<>();
        String definition = ADHOC;
        for (JobParameter<?> parameter : parameters) {
            if (parameter.name().equals(DEFINITION)) {
                definition = String.valueOf(parameter.value());
            }
            else {
                keys.put(parameter.name(), String.valueOf(parameter.value()));
            }
        }
        return new EtlRequest(definition, keys);
    }

}
