package dev.batchetl.fetch;

import static dev.batchetl.fetch.DownloaderTests.randomBytes;
import static dev.batchetl.fetch.DownloaderTests.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resuming cut-off downloads with Range requests. The evidence is what the server
 * received (its Range headers) and the bytes on disk; a "process" that was killed
 * mid-download is played by a downloader with a single attempt whose response is cut,
 * which leaves the part file and its resume data behind exactly as a kill would. The
 * resume data is an attribute of the part file where the file system holds one;
 * {@link DownloaderResumeSidecarTests} runs the same tests with the sidecar files that a
 * file system without attributes gets.
 */
class DownloaderResumeTests {

    private static final DownloadSettings FAST = new DownloadSettings(Duration.ofSeconds(2), Duration.ofSeconds(10), 3,
            Duration.ofMillis(10), 2.0, Duration.ofMillis(100));

    private static final DownloadSettings ONE_SHOT = new DownloadSettings(Duration.ofSeconds(2), Duration.ofSeconds(10),
            1, Duration.ofMillis(10), 2.0, Duration.ofMillis(100));

    private static final String V1 = "\"v1\"";

    private static final String V2 = "\"v2\"";

    @TempDir
    Path dir;

    @RegisterExtension
    final TestHttpServer server = TestHttpServer.start();

    @AutoClose
    final Downloader downloader = downloader(FAST);

    /**
     * Whether the downloaders under test keep resume data in attributes (where the file
     * system holds them).
     */
    boolean attributes() {
        return true;
    }

    Downloader downloader(DownloadSettings settings) {
        return new Downloader(settings, FetchLimits.none(), attributes());
    }

    /**
     * Whether a part file here keeps its resume data in an attribute, or in a sidecar.
     */
    private boolean inAttribute() throws IOException {
        return attributes() && CompletionRecordTests.attributesHeldIn(dir);
    }

    /** The part file and its resume data are there, and nothing else. */
    private void assertResumable(String name) throws IOException {
        if (inAttribute()) {
            assertThat(filesInDir()).containsExactly(part(name));
            assertThat(UserAttributes.read(part(name), Resume.ATTRIBUTE)).isNotNull();
        }
        else {
            assertThat(filesInDir()).containsExactly(part(name), sidecar(name));
        }
    }

    /** Only the complete target is there, without resume data. */
    private void assertOnly(Path target) throws IOException {
        assertThat(filesInDir()).containsExactly(target);
        assertThat(UserAttributes.read(target, Resume.ATTRIBUTE)).isNull();
    }

    private Path target(String name) {
        return dir.resolve(name).toAbsolutePath();
    }

    private Path part(String name) {
        return dir.resolve("." + name + ".part");
    }

    private Path sidecar(String name) {
        return dir.resolve("." + name + ".part.meta");
    }

    private List<Path> filesInDir() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    private static FetchException failure(Callable<?> call) {
        return catchThrowableOfType(FetchException.class, call::call);
    }

    /**
     * What a process killed after {@code cut} bytes leaves behind: a part file and its
     * resume data.
     */
    private void leaveCutDownload(String path, String name, int cut, int bodyLength) throws IOException {
        server.cutFirst(path, 1, cut);
        try (Downloader killed = downloader(ONE_SHOT)) {
            FetchException e = failure(() -> killed.fetch(server.uri(path), null, target(name)));
            assertThat(e.reason()).isEqualTo("short body: " + cut + " of " + bodyLength + " bytes");
        }
        assertResumable(name);
        assertThat(part(name)).hasSize(cut);
    }

    @Test
    void cutDownloadIsResumedByTheRetry() throws Exception {
        byte[] body = randomBytes(1024 * 1024 + 3, 21);
        int cut = body.length * 4 / 10;
        server.serveRanged("/big.csv", body, V1);
        server.cutFirst("/big.csv", 1, cut);
        Path target = target("big.csv");

        FetchOutcome outcome = downloader.fetch(server.uri("/big.csv"), sha256(body), target);

        assertThat(server.rangeHeaders("/big.csv")).containsExactly(null, "bytes=" + cut + "-");
        assertThat(Files.readAllBytes(target)).isEqualTo(body);
        assertThat(outcome.bytes()).isEqualTo(body.length);
        assertThat(outcome.sha256()).isEqualTo(sha256(body));
        assertThat(outcome.httpStatus()).isEqualTo(206);
        assertThat(outcome.etag()).isEqualTo(V1);
        assertThat(outcome.attempts()).isEqualTo(2);
        assertOnly(target);
    }

    @Test
    void partLeftByAKilledProcessIsResumedByANewDownloader() throws Exception {
        byte[] body = randomBytes(600_000, 22);
        int cut = 250_000;
        server.serveRanged("/data.csv", body, V1);
        leaveCutDownload("/data.csv", "data.csv", cut, body.length);
        assertThat(Files.readAllBytes(part("data.csv"))).isEqualTo(Arrays.copyOf(body, cut));

        FetchOutcome outcome;
        try (Downloader later = downloader(FAST)) {
            outcome = later.fetch(server.uri("/data.csv"), null, target("data.csv"));
        }

        assertThat(server.rangeHeaders("/data.csv")).containsExactly(null, "bytes=" + cut + "-");
        assertThat(Files.readAllBytes(target("data.csv"))).isEqualTo(body);
        assertThat(outcome.sha256()).isEqualTo(sha256(body));
        assertThat(outcome.bytes()).isEqualTo(body.length);
        assertThat(outcome.attempts()).isEqualTo(1);
        assertOnly(target("data.csv"));
    }

    @Test
    void changedEtagGetsTheWholeNewBody() throws Exception {
        byte[] old = randomBytes(400_000, 23);
        byte[] changed = randomBytes(350_000, 24);
        int cut = 200_000;
        server.serveRanged("/data.csv", old, V1);
        leaveCutDownload("/data.csv", "data.csv", cut, old.length);
        server.serveRanged("/data.csv", changed, V2);

        FetchOutcome outcome = downloader.fetch(server.uri("/data.csv"), sha256(changed), target("data.csv"));

        // the resume was asked for, the If-Range with the old ETag no longer matched: the
        // whole new body came
        assertThat(server.rangeHeaders("/data.csv")).containsExactly(null, "bytes=" + cut + "-");
        assertThat(outcome.httpStatus()).isEqualTo(200);
        assertThat(outcome.etag()).isEqualTo(V2);
        assertThat(outcome.bytes()).isEqualTo(changed.length);
        assertThat(Files.readAllBytes(target("data.csv"))).isEqualTo(changed);
        assertOnly(target("data.csv"));
    }

    @Test
    void lastModifiedValidatesWhenThereIsNoEtag() throws Exception {
        byte[] body = randomBytes(300_000, 25);
        int cut = 123_456;
        server.serveRanged("/lm.csv", body, null);
        server.cutFirst("/lm.csv", 1, cut);

        FetchOutcome outcome = downloader.fetch(server.uri("/lm.csv"), sha256(body), target("lm.csv"));

        assertThat(server.rangeHeaders("/lm.csv")).containsExactly(null, "bytes=" + cut + "-");
        assertThat(outcome.httpStatus()).isEqualTo(206);
        assertThat(outcome.lastModified()).isEqualTo(TestHttpServer.LAST_MODIFIED);
        assertThat(Files.readAllBytes(target("lm.csv"))).isEqualTo(body);
        assertOnly(target("lm.csv"));
    }

    @Test
    void serverWithoutRangeSupportIsReadFromTheStartAgain() throws Exception {
        byte[] body = randomBytes(500_000, 26);
        int cut = 200_000;
        server.serve("/plain.csv", body);
        server.cutFirst("/plain.csv", 1, cut);

        FetchOutcome outcome = downloader.fetch(server.uri("/plain.csv"), null, target("plain.csv"));

        // a resume was tried; the server ignored the Range header and sent everything,
        // which replaced the part
        assertThat(server.rangeHeaders("/plain.csv")).containsExactly(null, "bytes=" + cut + "-");
        assertThat(outcome.httpStatus()).isEqualTo(200);
        assertThat(outcome.attempts()).isEqualTo(2);
        assertThat(outcome.bytes()).isEqualTo(body.length);
        assertThat(outcome.sha256()).isEqualTo(sha256(body));
        assertThat(Files.readAllBytes(target("plain.csv"))).isEqualTo(body);
        assertOnly(target("plain.csv"));
    }

    @Test
    void eachRetryContinuesWhereTheLastOneBrokeOff() throws Exception {
        byte[] body = randomBytes(1_000_000, 27);
        int cut = 100_000;
        server.serveRanged("/slow.csv", body, V1);
        server.cutFirst("/slow.csv", 3, cut);

        FetchException e = failure(() -> downloader.fetch(server.uri("/slow.csv"), null, target("slow.csv")));

        assertThat(e.reason()).isEqualTo("short body: " + 3 * cut + " of " + body.length + " bytes");
        assertThat(e.attempts()).isEqualTo(3);
        assertThat(server.rangeHeaders("/slow.csv")).containsExactly(null, "bytes=" + cut + "-",
                "bytes=" + 2 * cut + "-");
        // a transient failure keeps what arrived, for a later fetch
        assertThat(Files.readAllBytes(part("slow.csv"))).isEqualTo(Arrays.copyOf(body, 3 * cut));
        assertResumable("slow.csv");

        FetchOutcome outcome = downloader.fetch(server.uri("/slow.csv"), sha256(body), target("slow.csv"));

        assertThat(server.rangeHeaders("/slow.csv")).endsWith("bytes=" + 3 * cut + "-");
        assertThat(outcome.bytes()).isEqualTo(body.length);
        assertThat(Files.readAllBytes(target("slow.csv"))).isEqualTo(body);
        assertOnly(target("slow.csv"));
    }

    @Test
    void stalePartLongerThanTheBodyIsIgnored() throws Exception {
        byte[] body = randomBytes(200_000, 28);
        server.serveRanged("/data.csv", body, V1);
        leaveCutDownload("/data.csv", "data.csv", 50_000, body.length);
        Files.write(part("data.csv"), randomBytes(body.length, 29), StandardOpenOption.APPEND);

        FetchOutcome outcome = downloader.fetch(server.uri("/data.csv"), sha256(body), target("data.csv"));

        assertThat(server.rangeHeaders("/data.csv")).containsExactly(null, null);
        assertThat(outcome.httpStatus()).isEqualTo(200);
        assertThat(Files.readAllBytes(target("data.csv"))).isEqualTo(body);
        assertOnly(target("data.csv"));
    }

    @Test
    void resumeDataOfAnotherUriIsIgnored() throws Exception {
        byte[] first = randomBytes(200_000, 30);
        byte[] second = randomBytes(220_000, 31);
        server.serveRanged("/a/data.csv", first, V1);
        server.serveRanged("/b/data.csv", second, V1);
        leaveCutDownload("/a/data.csv", "data.csv", 80_000, first.length);

        FetchOutcome outcome = downloader.fetch(server.uri("/b/data.csv"), null, target("data.csv"));

        assertThat(server.rangeHeaders("/b/data.csv")).containsExactly((String) null);
        assertThat(outcome.sha256()).isEqualTo(sha256(second));
        assertThat(Files.readAllBytes(target("data.csv"))).isEqualTo(second);
        assertOnly(target("data.csv"));
    }

    @Test
    void unsatisfiableRangeStartsOverWithinTheSameAttempt() throws Exception {
        byte[] old = randomBytes(300_000, 32);
        byte[] shorter = randomBytes(100_000, 33);
        int cut = 150_000;
        server.serveRanged("/data.csv", old, V1);
        leaveCutDownload("/data.csv", "data.csv", cut, old.length);
        // a server that changed the body but not the ETag: the range now lies beyond the
        // end (416)
        server.serveRanged("/data.csv", shorter, V1);

        FetchOutcome outcome = downloader.fetch(server.uri("/data.csv"), null, target("data.csv"));

        assertThat(server.rangeHeaders("/data.csv")).containsExactly(null, "bytes=" + cut + "-", null);
        assertThat(outcome.attempts()).isEqualTo(1);
        assertThat(outcome.httpStatus()).isEqualTo(200);
        assertThat(Files.readAllBytes(target("data.csv"))).isEqualTo(shorter);
        assertOnly(target("data.csv"));
    }

    @Test
    void partialResponseThatDoesNotFitStartsOver() throws Exception {
        byte[] old = randomBytes(300_000, 34);
        byte[] longer = randomBytes(400_000, 35);
        int cut = 150_000;
        server.serveRanged("/data.csv", old, V1);
        leaveCutDownload("/data.csv", "data.csv", cut, old.length);
        // same ETag, other length: the 206's Content-Range total differs from the
        // recorded length
        server.serveRanged("/data.csv", longer, V1);

        FetchOutcome outcome = downloader.fetch(server.uri("/data.csv"), null, target("data.csv"));

        assertThat(server.rangeHeaders("/data.csv")).containsExactly(null, "bytes=" + cut + "-", null);
        assertThat(outcome.attempts()).isEqualTo(1);
        assertThat(outcome.sha256()).isEqualTo(sha256(longer));
        assertThat(Files.readAllBytes(target("data.csv"))).isEqualTo(longer);
        assertOnly(target("data.csv"));
    }

    @Test
    void permanentFailureAfterACutLeavesNothing() throws Exception {
        byte[] body = randomBytes(200_000, 36);
        server.serveRanged("/gone.csv", body, V1);
        leaveCutDownload("/gone.csv", "gone.csv", 70_000, body.length);
        server.status("/gone.csv", 404);

        FetchException e = failure(() -> downloader.fetch(server.uri("/gone.csv"), null, target("gone.csv")));

        assertThat(e.reason()).isEqualTo("HTTP 404 Not Found");
        assertThat(server.rangeHeaders("/gone.csv")).containsExactly(null, "bytes=70000-");
        assertThat(filesInDir()).isEmpty();
    }

    @Test
    void checksumMismatchOfAResumedDownloadLeavesNothing() throws Exception {
        byte[] body = randomBytes(200_000, 37);
        server.serveRanged("/data.csv", body, V1);
        server.cutFirst("/data.csv", 1, 90_000);
        String wrong = sha256(new byte[] { 1 });

        FetchException e = failure(() -> downloader.fetch(server.uri("/data.csv"), wrong, target("data.csv")));

        assertThat(e.reason()).isEqualTo("checksum mismatch: expected " + wrong + ", got " + sha256(body));
        assertThat(e.attempts()).isEqualTo(2);
        assertThat(server.rangeHeaders("/data.csv")).containsExactly(null, "bytes=90000-");
        assertThat(filesInDir()).isEmpty();
    }

    @Test
    void cutWithoutValidatorsLeavesNothingToResume() throws Exception {
        byte[] body = randomBytes(100_000, 38);
        server.truncate("/cut.csv", body, 40_000); // no ETag, no Last-Modified

        try (Downloader once = downloader(ONE_SHOT)) {
            FetchException e = failure(() -> once.fetch(server.uri("/cut.csv"), null, target("cut.csv")));
            assertThat(e.reason()).isEqualTo("short body: 40000 of 100000 bytes");
        }

        assertThat(filesInDir()).isEmpty();
    }

    @Test
    void fileSourcesAreCopiedWholeEvenOverAResumablePart() throws Exception {
        byte[] body = randomBytes(200_000, 39);
        server.serveRanged("/data.csv", body, V1);
        leaveCutDownload("/data.csv", "data.csv", 60_000, body.length);
        Path sourceDir = Files.createDirectories(dir.resolve("in"));
        byte[] local = randomBytes(150_000, 40);
        URI source = Files.write(sourceDir.resolve("local.csv"), local).toUri();

        FetchOutcome outcome = downloader.fetch(source, sha256(local), target("data.csv"));

        assertThat(outcome.bytes()).isEqualTo(local.length);
        assertThat(Files.readAllBytes(target("data.csv"))).isEqualTo(local);
        assertThat(filesInDir()).containsExactly(target("data.csv"), sourceDir);
    }

}
