package dev.batchetl.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request a run starts with: the default {@code file-roots} is recorded from the
 * folder the run started in, and kept by a restart from another folder.
 */
class EtlRequestTests {

    @TempDir
    Path root;

    @Test
    void theDefaultFileRootsAreRecordedFromTheFolderTheRunStartsIn() throws IOException {
        // given a source list in jobs/ and a run started in work/
        Path sources = sourceList();
        Path work = Files.createDirectories(this.root.resolve("work"));

        // when the request is built
        EtlRequest request = EtlRequest.of("nightly", new Properties(), work,
                Map.of("sources", sources.toString(), "run", "r1"), work);

        // then file-roots holds the list's parent folder and the working folder, absolute
        assertThat(request.get(EtlKey.FILE_ROOTS)).isEqualTo(this.root + "," + work);
        assertThat(request.toJobParameters().getString("file-roots")).isEqualTo(this.root + "," + work);
        assertThat(EtlParameters.from(request.toJobParameters()).fetch().fileRoots()).containsExactly(this.root, work);
    }

    @Test
    void aFileRootsGivenIsKeptAsGiven() throws IOException {
        Path work = Files.createDirectories(this.root.resolve("work"));

        EtlRequest request = EtlRequest.of("nightly", new Properties(), work,
                Map.of("sources", sourceList().toString(), "file-roots", "in, /srv/data"), work);

        assertThat(request.get(EtlKey.FILE_ROOTS)).isEqualTo(work.resolve("in") + ",/srv/data");
    }

    @Test
    void aRestartFromAnotherFolderKeepsTheRootsTheRunStartedWith() throws IOException {
        // given a run started in work/
        Path sources = sourceList();
        Path work = Files.createDirectories(this.root.resolve("work"));
        Path elsewhere = Files.createDirectories(this.root.resolve("elsewhere"));
        Map<String, String> keys = Map.of("sources", sources.toString(), "dir", "/srv/data", "output",
                "/srv/results.csv", "run", "r1");
        EtlRequest started = EtlRequest.of("nightly", new Properties(), work, keys, work);

        // when the same run is asked for again from elsewhere/, without file-roots
        EtlRequest again = EtlRequest.of("nightly", new Properties(), elsewhere, keys, elsewhere)
            .keepingTuning(started, Set.copyOf(keys.keySet()));

        // then it reads from the folders the run started with: nothing differs
        assertThat(again.get(EtlKey.FILE_ROOTS)).isEqualTo(this.root + "," + work);
        assertThat(again.keys()).isEqualTo(started.keys());
    }

    @Test
    void aRestartOfARunStartedWithoutRecordedRootsDerivesThemAtStepTimeAsBefore() throws IOException {
        // given a run started by a version that did not record file-roots
        Path sources = sourceList();
        Path work = Files.createDirectories(this.root.resolve("work"));
        Map<String, String> keys = Map.of("sources", sources.toString(), "run", "r1");
        EtlRequest current = EtlRequest.of("nightly", new Properties(), work, keys, work);
        Map<String, String> old = new java.util.HashMap<>(current.keys());
        old.remove("file-roots");
        EtlRequest started = new EtlRequest("nightly", old);

        // when the run is asked for again
        EtlRequest again = current.keepingTuning(started, Set.copyOf(keys.keySet()));

        // then its keys are those it was started with, and the roots are derived
        assertThat(again.keys()).isEqualTo(started.keys());
        assertThat(EtlParameters.from(again.toJobParameters()).fetch().fileRoots()).containsExactly(this.root,
                Path.of("").toAbsolutePath());
    }

    private Path sourceList() throws IOException {
        Path jobs = Files.createDirectories(this.root.resolve("jobs"));
        return Files.writeString(jobs.resolve("sources.txt"), "file:/dev/null\n");
    }

}
