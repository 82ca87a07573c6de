package dev.batchetl.export;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ResultsCsvTests {

    @TempDir
    Path folder;

    @Test
    void aRestartWritesOverTheTemporaryFileThatAKilledExportLeftAndNothingElseRemains() throws Exception {
        Path target = this.folder.resolve("results.csv");
        // what an export of instance 42 killed mid-write leaves, and an older results.csv
        Files.writeString(this.folder.resolve(".results.csv.42.tmp"), "file,rows\nhalf-writ");
        Files.writeString(target, "old\n");

        ResultsCsv.write(target, List.of(), 42);

        assertThat(target).hasContent(String.join(",", ResultsCsv.HEADER));
        try (Stream<Path> files = Files.list(this.folder)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("results.csv");
        }
    }

}
