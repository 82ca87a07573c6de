package dev.batchetl.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import dev.batchetl.job.UsageException;
import dev.batchetl.fetch.SourceList;
import dev.batchetl.fetch.SourceListException;
import dev.batchetl.job.EtlKey;
import dev.batchetl.job.EtlRequest;
import dev.batchetl.schedule.ScheduleSettings;
import dev.batchetl.stats.CsvFiles;
import dev.batchetl.stats.engine.CsvEncoding;

/**
 * Parses the command line before any database is touched, so that a usage error costs
 * nothing and says one line. Arguments starting with {@code --} are Spring Boot's
 * ({@code --spring.datasource.url=...}), except {@code --debug}, which shows stack traces
 * and detailed logs.
 */
final class Cli {

    static final String USAGE = """
            usage: batch-etl COMMAND [ARGS] [--spring.OPTION=VALUE ...] [--debug]

            commands:
              run [DEFINITION] [key=value ...]   run the etl job; DEFINITION is a properties file of keys
                                                 (keys on the command line win); with the run key of a
                                                 FAILED or STOPPED run, restarts it from its checkpoint
              schedule DEFINITION [key=value ...]
                                                 run the job at every fire of cron=EXPR until stopped, with
                                                 the fire time (UTC, ISO 8601) as run key; schedule keys:
                                                 cron, zone (UTC), overlap (skip|queue), catch-up (once|none),
                                                 retry-failed (false), log-format (text|json); serves health,
                                                 metrics and the schedule over HTTP (--server.port=...)
              restart EXECUTION_ID               restart a failed or stopped execution from its checkpoint
              retry EXECUTION_ID                 fetch and read again only what failed in a run that
                                                 completed with failures (exit 3), reusing what succeeded,
                                                 as the new run KEY.retry1
              list [N]                           the latest N executions (default 20)
              show EXECUTION_ID                  steps, partitions, checkpoints, failures, what a restart redoes
              report EXECUTION_ID [output=FILE]  the run as one self-contained HTML page: timeline, fetch,
                                                 statistics with plots, changes since the previous run
                                                 (default report-ID.html)
              dashboard                          serve the runs list and live pages of runs over HTTP on
                                                 127.0.0.1:8090 (--server.port=..., --server.address=...);
                                                 stop and restart need BATCH_ETL_DASHBOARD_PASSWORD
              stop EXECUTION_ID                  stop a running execution at its next chunk boundary
              recover [EXECUTION_ID]             mark executions whose process died as FAILED (all, or one)
              worker                             run statistics partitions of partitioning=remote runs,
                                                 taken from RabbitMQ, until SIGTERM or Ctrl-C
              help                               this text

            keys:
            """;

    private Cli() {
    }

    record Invocation(Command command, List<String> springArgs, boolean debug) {
    }

    static Invocation parse(String[] args, Path cwd) {
        List<String> words = new ArrayList<>();
        List<String> springArgs = new ArrayList<>();
        boolean debug = false;
        for (String arg : args) {
            if (arg.equals("--debug")) {
                debug = true;
            }
            else if (arg.equals("--help") || arg.equals("-h")) {
                words.add(0, "help");
            }
            else if (arg.startsWith("--")) {
                springArgs.add(arg);
            }
            else {
                words.add(arg);
            }
        }
        if (words.isEmpty()) {
            throw new UsageException("no command given (try: batch-etl help)");
        }
        String name = words.get(0);
        List<String> rest = words.subList(1, words.size());
        Command command = switch (name) {
            case "run" -> parseRun(rest, cwd, null);
            case "schedule" -> parseSchedule(rest, cwd);
            case "restart" -> new Command.Restart(parseExecutionId(name, rest));
            case "retry" -> new Command.Retry(parseExecutionId(name, rest));
            case "list" -> new Command.ListExecutions(parseLimit(rest));
            case "show" -> new Command.Show(parseExecutionId(name, rest));
            case "report" -> parseReport(rest, cwd);
            case "stop" -> new Command.Stop(parseExecutionId(name, rest));
            case "recover" -> new Command.Recover(rest.isEmpty() ? null : parseExecutionId(name, rest));
            case "dashboard" -> {
                if (!rest.isEmpty()) {
                    throw new UsageException("dashboard takes no arguments (its port and address are"
                            + " --server.port=PORT and --server.address=ADDRESS)");
                }
                yield new Command.Dashboard();
            }
            case "worker" -> {
                if (!rest.isEmpty()) {
                    throw new UsageException("worker takes no arguments (settings are --batch-etl.worker.* options)");
                }
                yield new Command.Worker();
            }
            case "help" -> new Command.Help();
            default -> throw new UsageException("unknown command '" + name + "' (try: batch-etl help)");
        };
        return new Invocation(command, List.copyOf(springArgs), debug);
    }

    static String usage() {
        StringBuilder text = new StringBuilder(USAGE);
        for (EtlKey key : EtlKey.values()) {
            String def = key.defaultValue() == null ? "" : " (default " + key.defaultValue() + ")";
            text.append(String.format("  %-16s %s%s%n", key.key(), key.description(), def));
        }
        return text.toString();
    }

    private static Command.Schedule parseSchedule(List<String> args, Path cwd) {
        if (args.stream().noneMatch(arg -> arg.indexOf('=') <= 0)) {
            throw new UsageException(
                    "schedule takes a job definition (a properties file holding cron=... and the" + " job's keys)");
        }
        Map<String, String> scheduleKeys = new LinkedHashMap<>();
        Command.Run run = parseRun(args, cwd, scheduleKeys);
        if (run.runKeyGiven()) {
            throw new UsageException("run: a schedule makes the run key of each fire from its time; remove run=");
        }
        try {
            return new Command.Schedule(run.request(), ScheduleSettings.of(scheduleKeys));
        }
        catch (IllegalArgumentException ex) {
            throw new UsageException(ex.getMessage());
        }
    }

    /**
     * Parses {@code [DEFINITION] [key=value ...]}. With {@code scheduleKeys}, the
     * schedule's keys are taken out of the definition and the command line (which wins)
     * into it.
     */
    private static Command.Run parseRun(List<String> args, Path cwd, Map<String, String> scheduleKeys) {
        Path definitionFile = null;
        Map<String, String> keys = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq > 0) {
                String key = arg.substring(0, eq);
                if (keys.put(key, arg.substring(eq + 1)) != null) {
                    throw new UsageException("key '" + key + "' given twice");
                }
            }
            else if (definitionFile == null) {
                definitionFile = cwd.resolve(arg).toAbsolutePath().normalize();
            }
            else {
                throw new UsageException("unexpected argument '" + arg + "' (keys are written key=value)");
            }
        }
        Properties fromFile = new Properties();
        String definition = EtlRequest.ADHOC;
        Path fileBase = cwd;
        if (definitionFile != null) {
            fromFile = load(definitionFile);
            definition = definitionName(definitionFile);
            fileBase = definitionFile.getParent();
        }
        if (scheduleKeys == null) {
            // a definition written for the scheduler runs by hand too
            ScheduleSettings.KEYS.forEach(fromFile::remove);
        }
        else {
            for (String key : ScheduleSettings.KEYS) {
                Object fromDefinition = fromFile.remove(key);
                if (fromDefinition != null) {
                    scheduleKeys.put(key, fromDefinition.toString());
                }
                String given = keys.remove(key);
                if (given != null) {
                    scheduleKeys.put(key, given);
                }
            }
        }
        try {
            EtlRequest request = EtlRequest.of(definition, fromFile, fileBase, keys, cwd);
            Charset encoding = Charset.forName(request.get(EtlKey.ENCODING));
            if (CsvEncoding.problem(encoding) != null) {
                throw new IllegalArgumentException("encoding: " + CsvEncoding.refusal(encoding));
            }
            String sources = request.get(EtlKey.SOURCES);
            if (sources != null && SourceList.read(Path.of(sources), source -> {
            }) == 0) {
                // it would report whatever an earlier run left in dir as this run's
                // results
                throw new IllegalArgumentException(
                        "sources: " + sources + " lists no source (blank lines and #" + " comments only)");
            }
            if (definitionFile == null && sources == null && !keys.containsKey(EtlKey.DIR.key())) {
                throw new IllegalArgumentException("run needs a job definition, sources=FILE or dir=FOLDER (see:"
                        + " batch-etl help); a bare run would read ./data and write ./results.csv");
            }
            checkPlaces(request);
            java.util.Set<String> given = new java.util.HashSet<>(fromFile.stringPropertyNames());
            given.addAll(keys.keySet());
            return new Command.Run(request, given.contains("run"), java.util.Set.copyOf(given));
        }
        catch (SourceListException ex) {
            throw new UsageException(ex.getMessage());
        }
        catch (IllegalArgumentException ex) {
            String where = definitionFile == null ? "" : " (definition " + cwd.relativize(definitionFile) + ")";
            throw new UsageException(ex.getMessage() + where);
        }
    }

    /**
     * Checks, before anything runs, that the run can write where it will: {@code dir} is
     * a folder (or can be created), writable when there are sources to download into it,
     * and {@code output}'s folder takes a file. Each check makes and removes a file,
     * since permissions alone do not tell (root, read-only mounts, /proc).
     */
    private static void checkPlaces(EtlRequest request) {
        Path dir = Path.of(request.get(EtlKey.DIR));
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("dir: " + dir + " is a file, not a folder");
        }
        if (!Files.exists(dir) || request.get(EtlKey.SOURCES) != null) {
            String problem = unwritable(dir);
            if (problem != null) {
                throw new IllegalArgumentException("dir: cannot write downloads to " + dir + ": " + problem);
            }
        }
        Path output = Path.of(request.get(EtlKey.OUTPUT));
        Path target = Files.isDirectory(output) ? output.resolve("results.csv") : output;
        if (CsvFiles.isRead(dir, target)) {
            throw new IllegalArgumentException("output: " + target + " is inside dir " + dir
                    + ", so the next run would read it as input; write it outside dir");
        }
        if (Files.exists(target) && (!Files.isRegularFile(target) || !Files.isWritable(target))) {
            throw new IllegalArgumentException("output: cannot write " + target + ": "
                    + (Files.isRegularFile(target) ? "not writable" : "not a regular file"));
        }
        String problem = unwritable(target.getParent());
        if (problem != null) {
            throw new IllegalArgumentException("output: cannot write " + target + ": " + problem);
        }
    }

    /**
     * Why no file can be created in {@code folder} (or, if it is missing, in the folder
     * it would be made in); null if one can.
     */
    private static String unwritable(Path folder) {
        Path existing = folder;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return "no folder of it exists";
        }
        if (!Files.isDirectory(existing)) {
            return existing + " is a file, not a folder";
        }
        try {
            Files.delete(Files.createTempFile(existing, ".batch-etl-check-", ".tmp"));
            return null;
        }
        catch (IOException | RuntimeException ex) {
            String reason = ex instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            return (existing.equals(folder) ? "" : "cannot create folders in " + existing + ": ") + reason;
        }
    }

    private static Properties load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UsageException("job definition not found: " + file);
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        catch (IOException | IllegalArgumentException ex) {
            throw new UsageException("cannot read job definition " + file + ": " + ex.getMessage());
        }
        return properties;
    }

    static String definitionName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        if (!base.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
            throw new UsageException("job definition name '" + base
                    + "' must be 1 to 100 of A-Z a-z 0-9 . _ - (it names the job instance)");
        }
        return base;
    }

    private static int parseLimit(List<String> args) {
        if (args.isEmpty()) {
            return 20;
        }
        if (args.size() == 1 && args.get(0).matches("[1-9]\\d{0,5}")) {
            return Integer.parseInt(args.get(0));
        }
        throw new UsageException("list takes at most one number: how many executions to show");
    }

    /** {@code report EXECUTION_ID [output=FILE]}; the file defaults to report-ID.html. */
    private static Command.Report parseReport(List<String> args, Path cwd) {
        List<String> ids = args.stream().filter(arg -> !arg.startsWith("output=")).toList();
        long id = parseExecutionId("report", ids);
        List<String> outputs = args.stream().filter(arg -> arg.startsWith("output=")).toList();
        if (outputs.size() > 1 || (outputs.size() == 1 && outputs.get(0).length() == "output=".length())) {
            throw new UsageException("report takes at most one output=FILE");
        }
        Path output = cwd.resolve(outputs.isEmpty() ? "report-" + id + ".html" : outputs.get(0).substring(7));
        if (java.nio.file.Files.isDirectory(output)) {
            output = output.resolve("report-" + id + ".html");
        }
        return new Command.Report(id, output.toAbsolutePath().normalize());
    }

    private static long parseExecutionId(String command, List<String> args) {
        if (args.size() != 1) {
            throw new UsageException(command + " takes one execution id (see: batch-etl list)");
        }
        try {
            long id = Long.parseLong(args.get(0));
            if (id < 1) {
                throw new NumberFormatException();
            }
            return id;
        }
        catch (NumberFormatException ex) {
            throw new UsageException("execution id must be a positive whole number, got '" + args.get(0) + "'");
        }
    }

}
