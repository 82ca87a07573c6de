package dev.batchetl.fetch;

import static dev.batchetl.fetch.DownloaderTests.randomBytes;
import static dev.batchetl.fetch.DownloaderTests.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A finished download whose result a killed process did not record yet: its completion
 * record, written before the rename, lets the next attempt of the same source take the
 * file over without a request, as long as the file is what the record says. A process
 * that recorded the result removes the record ({@link Downloader#settled}). The evidence
 * is the server's request count and the files on disk. The record is an attribute of the
 * file where the file system holds one; {@link CompletionRecordFileTests} runs the same
 * tests with the record in a file beside it.
 */
class CompletionRecordTests {

    private static final DownloadSettings FAST = new DownloadSettings(Duration.ofSeconds(2), Duration.ofSeconds(10), 1,
            Duration.ofMillis(10), 2.0, Duration.ofMillis(100));

    @TempDir
    Path dir;

    @RegisterExtension
    final TestHttpServer server = TestHttpServer.start();

    @AutoClose
    final Downloader downloader = new Downloader(FAST, FetchLimits.none(), attributes());

    /**
     * Whether the downloader under test keeps the record in the file's attribute (where
     * the file system holds one).
     */
    boolean attributes() {
        return true;
    }

    /** Whether files in {@code dir} can have user attributes. */
    static boolean attributesHeldIn(Path dir) throws java.io.IOException {
        Path probe = Files.createTempFile(dir, "probe", "");
        try {
            return UserAttributes.write(probe, "batch-etl.probe", new byte[] { 1 });
        }
        finally {
            Files.delete(probe);
        }
    }

    @Test
    void aFileFinishedButNotRecordedIsTakenOverWithoutARequest() throws Exception {
        byte[] body = randomBytes(300_000, 7);
        this.server.serveRanged("/a.csv", body, "\"a\"");
        Path target = this.dir.resolve("a.csv");

        // given: a download finished and renamed, whose process died before it recorded
        // the result
        FetchOutcome first = this.downloader.fetch(this.server.uri("/a.csv"), null, target, null, "instance 1 line 1");
        assertThat(target).hasBinaryContent(body);
        assertThat(Completion.recorded(target)).isTrue();
        assertThat(Files.exists(Completion.of(target))).isEqualTo(!(attributes() && attributesHeldIn(this.dir)));

        // when: the same source of the same instance is fetched again
        FetchOutcome again = this.downloader.fetch(this.server.uri("/a.csv"), null, target, null, "instance 1 line 1");

        // then: no request; the outcome is the recorded one
        assertThat(this.server.requests("/a.csv")).isEqualTo(1);
        assertThat(again.sha256()).isEqualTo(sha256(body)).isEqualTo(first.sha256());
        assertThat(again.bytes()).isEqualTo(body.length);
        assertThat(again.httpStatus()).isEqualTo(200);
        assertThat(again.etag()).isEqualTo("\"a\"");

        // and once recorded, the record goes: a later fetch asks the server again
        this.downloader.settled(target);
        assertThat(Completion.recorded(target)).isFalse();
        this.downloader.fetch(this.server.uri("/a.csv"), null, target, null, "instance 1 line 1");
        assertThat(this.server.requests("/a.csv")).isEqualTo(2);
    }

    @Test
    void aRecordOfAnotherRunOrOfAnotherFileIsNotTakenOver() throws Exception {
        byte[] body = randomBytes(50_000, 8);
        this.server.serve("/b.csv", body);
        Path target = this.dir.resolve("b.csv");
        this.downloader.fetch(this.server.uri("/b.csv"), null, target, null, "instance 1 line 2");

        // another instance's fetch of the same file name asks the server
        this.downloader.fetch(this.server.uri("/b.csv"), null, target, null, "instance 2 line 2");
        assertThat(this.server.requests("/b.csv")).isEqualTo(2);

        // a file changed since its record is fetched again, and the stale record removed
        Files.write(target, randomBytes(50_000, 9));
        this.downloader.fetch(this.server.uri("/b.csv"), null, target, null, "instance 2 line 2");
        assertThat(this.server.requests("/b.csv")).isEqualTo(3);
        assertThat(target).hasBinaryContent(body);

        // a fetch without a claim (a direct use of the downloader) leaves no record
        this.downloader.settled(target);
        this.downloader.fetch(this.server.uri("/b.csv"), null, target);
        assertThat(Completion.recorded(target)).isFalse();
    }

}
