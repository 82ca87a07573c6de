package dev.batchetl;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.batchetl.cli.Launcher;

/**
 * Runs the application's command line in this JVM against the test database, capturing
 * what it prints.
 */
public final class EtlCli {

    /** The closing line of a run: {@code execution N STATUS in T s: exit C}. */
    private static final Pattern EXECUTION = Pattern.compile("(?m)^execution (\\d+) [A-Z]+ in ");

    private EtlCli() {
    }

    public record Result(int exitCode, String out, String err) {

        /** The id of the job execution the run reported in its closing line. */
        public long executionId() {
            Matcher matcher = EXECUTION.matcher(this.out);
            if (!matcher.find()) {
                throw new AssertionError("no execution id in output:\n" + this.out + "\n" + this.err);
            }
            return Long.parseLong(matcher.group(1));
        }

        @Override
        public String toString() {
            return "exit " + this.exitCode + "\n--- out\n" + this.out + "--- err\n" + this.err;
        }

    }

    /** Runs with the test database configured. */
    public static Result run(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(Arrays.asList(TestDatabase.springArgs()));
        return runWithout(all.toArray(String[]::new));
    }

    /**
     * Runs exactly with the given arguments (no database configured unless they say so).
     */
    public static Result runWithout(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Launcher.launch(BatchEtlApplication.class, args, o, e);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

}
