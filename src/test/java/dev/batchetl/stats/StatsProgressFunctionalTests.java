package dev.batchetl.stats;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.batchetl.EtlProcess;
import dev.batchetl.job.RunRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The statistics step shows its progress while a big file is read: in a terminal a live
 * line drawn in place, with the bytes read of those planned, before the file's one
 * partition ends.
 */
class StatsProgressFunctionalTests {

    @TempDir
    Path work;

    @Test
    void inATerminalTheStatisticsOfABigFileShowProgressBeforeTheyEnd() throws Exception {
        assumeTrue(EtlProcess.terminalAvailable(), "util-linux script is needed for a pseudo-terminal");
        // one file of 1.2 million rows (about 45 MB) in one partition: seconds of
        // reading, refreshed every half second
        Path data = Files.createDirectories(this.work.resolve("data"));
        RunRecords.bigCsv(data.resolve("big.csv"), 1_200_000, 11);
        long size = Files.size(data.resolve("big.csv"));

        EtlProcess process = EtlProcess.startInTerminal(this.work, "run", "dir=" + data,
                "output=" + this.work.resolve("results.csv"), "run=stats-progress-" + UUID.randomUUID(), "partitions=1",
                "split-size=1GB", "commit-rows=20000");
        int exit = process.waitFor();
        String output = process.output();
        assertThat(exit).as(output).isZero();

        // a live line while the one partition was still reading, with what it had read of
        // the whole
        String planned = dev.batchetl.progress.LiveLine.size(size);
        assertThat(Pattern
            .compile("\r(?!\n)stats 0/1 partitions, [0-9.]+ [KM]iB of " + Pattern.quote(planned)
                    + ", [^\r\n]*/s, ETA \\d+s")
            .matcher(output)
            .find()).as(output.replace('\r', '|')).isTrue();
        assertThat(output).containsPattern("INFO +stats: 1 partition\\(s\\), [0-9.]+ MiB read in");
    }

}
