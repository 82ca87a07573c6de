package dev.batchetl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The application in a JVM of its own, as a scheduler starts it: for tests that kill it
 * (SIGKILL), signal it (SIGTERM) or run two at once. Output goes to a file in the given
 * folder.
 */
public final class EtlProcess {

    private final Process process;

    private final Path log;

    private EtlProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code batch-etl ARGS} against the test database, in folder {@code work}.
     */
    public static EtlProcess start(Path work, String... args) throws IOException {
        return start(work, command(args), ProcessBuilder.Redirect.PIPE);
    }

    /**
     * Starts {@code batch-etl ARGS} exactly with the given arguments (no database
     * configured unless they say so).
     */
    public static EtlProcess startWithout(Path work, String... args) throws IOException {
        return start(work, commandWithout(args), ProcessBuilder.Redirect.PIPE);
    }

    /**
     * Starts {@code batch-etl ARGS} as {@link #start} does, but in a pseudo-terminal
     * (util-linux {@code script}), as a person at a terminal runs it: the application
     * sees a console. The output is what the terminal received (line breaks as CR LF).
     * Check {@link #terminalAvailable()} first.
     */
    public static EtlProcess startInTerminal(Path work, String... args) throws IOException {
        String shellCommand = command(args).stream().map(EtlProcess::shellQuoted).collect(Collectors.joining(" "));
        return start(work, List.of("script", "-qfec", shellCommand, "/dev/null"),
                ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }

    /** Whether util-linux {@code script} is on the PATH, for {@link #startInTerminal}. */
    public static boolean terminalAvailable() {
        return onPath("script");
    }

    /** Whether {@code program} is an executable in a folder of the PATH. */
    public static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null && Arrays.stream(path.split(java.io.File.pathSeparator))
            .anyMatch(folder -> !folder.isEmpty() && Files.isExecutable(Path.of(folder, program)));
    }

    /**
     * The command line of {@code batch-etl ARGS} against the test database, on this JVM's
     * class path. The tests' data is small: the JVM compiles with C1 only, which starts
     * the application about a quarter sooner on 2 cores.
     */
    public static List<String> command(String... args) {
        List<String> command = commandWithout(args);
        command.addAll(Arrays.asList(TestDatabase.springArgs()));
        return command;
    }

    private static List<String> commandWithout(String... args) {
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                        BatchEtlApplication.class.getName()));
        command.addAll(Arrays.asList(args));
        return command;
    }

    private static EtlProcess start(Path work, List<String> command, ProcessBuilder.Redirect input) throws IOException {
        Path log = Files.createTempFile(work, "process-", ".log");
        Process process = new ProcessBuilder(command).directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(input)
            .start();
        return new EtlProcess(process, log);
    }

    private static String shellQuoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    public long pid() {
        return this.process.pid();
    }

    public boolean isAlive() {
        return this.process.isAlive();
    }

    /** SIGKILL: the process gets no chance to record anything. */
    public void kill() throws InterruptedException {
        this.process.destroyForcibly();
        this.process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, as a scheduler or Ctrl-C sends it. */
    public void terminate() {
        this.process.destroy();
    }

    /** Waits up to {@code timeout} for the process to end by itself; true if it did. */
    public boolean endsWithin(java.time.Duration timeout) throws InterruptedException {
        return this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits for the process to end and returns its exit code. */
    public int waitFor() throws InterruptedException {
        if (!this.process.waitFor(5, TimeUnit.MINUTES)) {
            this.process.destroyForcibly();
            throw new AssertionError("process did not end within 5 minutes:\n" + output());
        }
        return this.process.exitValue();
    }

    public String output() {
        try {
            return Files.readString(this.log, StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            return "(no output: " + ex.getMessage() + ")";
        }
    }

}
