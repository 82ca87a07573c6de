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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

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

    /**
     * What happens between a kill and the next fetch: to what the server sends, or to the
     * part file left behind.
     */
    @FunctionalInterface
    interface Change {

        Change NONE = (server, part) -> {
        };

        void apply(TestHttpServer server, Path part) throws IOException;

    }

    /**
     * A download killed after {@code cut} bytes of {@code body} from {@code path}, a
     * change, and what the next fetch of {@code fetchPath} must do: the Range headers
     * {@code fetchPath} saw in all, the final status and the file.
     */
    record KilledDownload(String name, String path, byte[] body, int cut, Change change, String fetchPath,
            List<String> ranges, int status, byte[] expected) {

        @Override
        public String toString() {
            return name;
        }

    }

    static Stream<KilledDownload> killedDownloads() {
        byte[] resumed = randomBytes(600_000, 22);
        byte[] old = randomBytes(400_000, 23);
        byte[] changed = randomBytes(350_000, 24);
        byte[] stale = randomBytes(200_000, 28);
        byte[] first = randomBytes(200_000, 30);
        byte[] second = randomBytes(220_000, 31);
        byte[] beforeShrinking = randomBytes(300_000, 32);
        byte[] shorter = randomBytes(100_000, 33);
        byte[] beforeGrowing = randomBytes(300_000, 34);
        byte[] longer = randomBytes(400_000, 35);
        return Stream.of(
                new KilledDownload("unchanged: a new downloader resumes at the cut", "/data.csv", resumed, 250_000,
                        Change.NONE, "/data.csv", Arrays.asList(null, "bytes=250000-"), 206, resumed),
                // the resume is asked for; the If-Range with the old ETag no longer
                // matches
                new KilledDownload("another ETag: the whole new body comes", "/data.csv", old, 200_000,
                        (server, part) -> server.serveRanged("/data.csv", changed, V2), "/data.csv",
                        Arrays.asList(null, "bytes=200000-"), 200, changed),
                new KilledDownload("a part longer than the body: not resumed", "/data.csv", stale, 50_000,
                        (server, part) -> Files.write(part, randomBytes(stale.length, 29), StandardOpenOption.APPEND),
                        "/data.csv", Arrays.asList(null, null), 200, stale),
                new KilledDownload("resume data of another URI: not used", "/a/data.csv", first, 80_000,
                        (server, part) -> server.serveRanged("/b/data.csv", second, V1), "/b/data.csv",
                        Arrays.asList((String) null), 200, second),
                // a server that changed the body but not the ETag: the range now lies
                // beyond the end (416)
                new KilledDownload("an unsatisfiable range: starts over within the same attempt", "/data.csv",
                        beforeShrinking, 150_000, (server, part) -> server.serveRanged("/data.csv", shorter, V1),
                        "/data.csv", Arrays.asList(null, "bytes=150000-", null), 200, shorter),
                // same ETag, other length: the 206's Content-Range total differs from the
                // recorded length
                new KilledDownload("a partial response that does not fit: starts over", "/data.csv", beforeGrowing,
                        150_000, (server, part) -> server.serveRanged("/data.csv", longer, V1), "/data.csv",
                        Arrays.asList(null, "bytes=150000-", null), 200, longer));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("killedDownloads")
    void partLeftByAKilledProcessIsResumedOnlyWhenItFits(KilledDownload killed) throws Exception {
        server.serveRanged(killed.path(), killed.body(), V1);
        leaveCutDownload(killed.path(), "data.csv", killed.cut(), killed.body().length);
        assertThat(Files.readAllBytes(part("data.csv"))).isEqualTo(Arrays.copyOf(killed.body(), killed.cut()));
        killed.change().apply(server, part("data.csv"));

        FetchOutcome outcome;
        try (Downloader later = downloader(FAST)) {
            outcome = later.fetch(server.uri(killed.fetchPath()), sha256(killed.expected()), target("data.csv"));
        }

        assertThat(server.rangeHeaders(killed.fetchPath())).containsExactlyElementsOf(killed.ranges());
        assertThat(outcome.attempts()).isEqualTo(1);
        assertThat(outcome.httpStatus()).isEqualTo(killed.status());
        assertThat(outcome.bytes()).isEqualTo(killed.expected().length);
        assertThat(outcome.sha256()).isEqualTo(sha256(killed.expected()));
        assertThat(Files.readAllBytes(target("data.csv"))).isEqualTo(killed.expected());
        assertOnly(target("data.csv"));
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
