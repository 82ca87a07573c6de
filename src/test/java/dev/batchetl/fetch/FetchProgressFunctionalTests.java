package dev.batchetl.fetch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.batchetl.EtlProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The fetch step's progress as the application shows it, in a JVM of its own: in a
 * pseudo-terminal a live line drawn in place, otherwise log lines. The server answers
 * slowly enough that the step outlasts several refreshes: the sources are fetched one at
 * a time, each answer waiting before its first byte, which gives the step a lower bound
 * on its duration.
 */
class FetchProgressFunctionalTests {

    private static final int SOURCES = 3;

    /**
     * A live line drawn while the step runs: after a carriage return, not after a line
     * break, with files to go.
     */
    private static final Pattern LIVE_LINE = Pattern.compile(
            "\r(?!\n)fetch [0-" + (SOURCES - 1) + "]/" + SOURCES + " files, [^\r\n]*/s, ETA [^\r\n]*, \\d+ failed");

    @TempDir
    Path work;

    @RegisterExtension
    final TestHttpServer server = TestHttpServer.start();

    private final String run = "progress-" + UUID.randomUUID();

    @Test
    void inATerminalALiveLineIsDrawnInPlaceAndEndedBeforeTheSummary() throws Exception {
        assumeTrue(EtlProcess.terminalAvailable(), "util-linux script is needed for a pseudo-terminal");
        // 3 sources one after the other, each 1 s before its first byte: the step lasts 3
        // s or more, six refreshes
        Path sources = slowSources(Duration.ofSeconds(1));

        EtlProcess process = EtlProcess.startInTerminal(this.work, runArgs(sources));

        int exit = process.waitFor();
        String output = process.output();
        assertThat(exit).as(output).isZero();
        assertFetched();
        // at least one live line while sources were still to come
        assertThat(LIVE_LINE.matcher(output).find()).as(visible(output)).isTrue();
        // the last live line, complete, ended by a line break (CR LF from the terminal),
        // then the summary
        Matcher end = Pattern
            .compile("\rfetch 3/3 files, [^\r\n]*, ETA 0s, 0 failed *\r\n[0-9:.]+ INFO +fetch: 3 done,"
                    + " 0 not modified, 0 failed")
            .matcher(output);
        assertThat(end.find()).as(visible(output)).isTrue();
    }

    @Test
    void withoutATerminalProgressIsLoggedAndNothingIsDrawnInPlace() throws Exception {
        // 3 sources one after the other, each 2 s before its first byte: the step lasts 6
        // s or more, so the log
        // line due every 5 s comes while it runs
        Path sources = slowSources(Duration.ofSeconds(2));

        EtlProcess process = EtlProcess.start(this.work, runArgs(sources));

        int exit = process.waitFor();
        String output = process.output();
        assertThat(exit).as(output).isZero();
        assertFetched();
        assertThat(output).doesNotContain("\r");
        assertThat(Pattern.compile("(?m)^[0-9:.]+ INFO +fetch [0-2]/3 files, .*/s, ETA .*, 0 failed$")
            .matcher(output)
            .find()).as(output).isTrue();
        assertThat(output).containsPattern("(?m)^[0-9:.]+ INFO +fetch: 3 done, 0 not modified, 0 failed");
    }

    /**
     * {@code run}, one source at a time, of the given sources into this test's folder.
     */
    private String[] runArgs(Path sources) {
        return new String[] { "run", "sources=" + sources, "dir=" + this.work.resolve("data"),
                "output=" + this.work.resolve("results.csv"), "run=" + this.run, "threads=1" };
    }

    private Path slowSources(Duration latency) throws Exception {
        StringBuilder list = new StringBuilder();
        for (int i = 1; i <= SOURCES; i++) {
            this.server.serve("/s" + i + ".csv", csv(i));
            list.append(this.server.uri("/s" + i + ".csv")).append('\n');
        }
        this.server.latency(latency);
        return Files.writeString(this.work.resolve("sources.txt"), list);
    }

    private void assertFetched() throws Exception {
        for (int i = 1; i <= SOURCES; i++) {
            assertThat(Files.readAllBytes(this.work.resolve("data/s" + i + ".csv"))).isEqualTo(csv(i));
            assertThat(this.server.requests("/s" + i + ".csv")).isEqualTo(1);
        }
        assertThat(this.server.maxConcurrentRequests()).isEqualTo(1);
    }

    private static byte[] csv(int i) {
        return ("id,v\n" + i + "," + (i * 10) + "\n").getBytes();
    }

    /** The output with its control characters made visible, for failure messages. */
    private static String visible(String output) {
        return output.replace("\r", "\\r").replace("\n", "\\n\n");
    }

}
