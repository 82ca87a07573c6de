package dev.batchetl.dashboard;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Starts {@code batch-etl restart ID} for the dashboard's restart button: in a process of
 * its own, as an operator would from a shell, so that the restart takes the run's lock,
 * owns its execution and survives the dashboard. The command is this process's own: the
 * same java, JVM options, class path or jar, working folder, environment and {@code --}
 * options (the job repository among them). Its output goes to a log file under
 * {@code logs}.
 */
public class Restarts {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path logs;

    private final List<String> options;

    private final Map<Long, Process> started = new ConcurrentHashMap<>();

    /**
     * @param logs the folder the restarts' logs go to
     * @param options the {@code --} options this process was started with
     */
    public Restarts(Path logs, List<String> options) {
        this.logs = logs;
        this.options = List.copyOf(options);
    }

    /** Starts the restart of {@code executionId}; its log file is returned. */
    public Started restart(long executionId) throws IOException {
        Files.createDirectories(this.logs);
        Path log = this.logs.resolve("restart-" + executionId + "-" + STAMP.format(LocalDateTime.now()) + ".log")
            .toAbsolutePath();
        List<String> command = new ArrayList<>(self());
        command.add("restart");
        command.add(Long.toString(executionId));
        command.addAll(this.options);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
        this.started.put(executionId, process);
        return new Started(process.pid(), log);
    }

    /**
     * Whether a restart this dashboard started of {@code executionId} is still running
     * (its new execution may not be in the job repository yet).
     */
    public boolean running(long executionId) {
        Process process = this.started.get(executionId);
        return process != null && process.isAlive();
    }

    /**
     * This process's command up to its arguments: java, JVM options, main class or jar.
     */
    static List<String> self() {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // a debugger's port and the making of a start archive belong to this process
            if (!option.startsWith("-agentlib:jdwp") && !option.startsWith("-Xrunjdwp")
                    && !option.startsWith("-XX:AOTCacheOutput") && !option.startsWith("-XX:ArchiveClassesAtExit")
                    && !option.startsWith("-XX:AOTMode=record")) {
                command.add(option);
            }
        }
        String main = System.getProperty("sun.java.command", "").split(" ", 2)[0];
        if (main.endsWith(".jar")) {
            command.add("-jar");
            command.add(main);
        }
        else {
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(main.isEmpty() ? "dev.batchetl.BatchEtlApplication" : main);
        }
        return command;
    }

    /** A started restart: its process id and the log of its output. */
    public record Started(long pid, Path log) {

    }

}
