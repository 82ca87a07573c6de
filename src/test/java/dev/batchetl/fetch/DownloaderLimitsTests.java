package dev.batchetl.fetch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static dev.batchetl.fetch.DownloaderTests.randomBytes;
import static dev.batchetl.fetch.DownloaderTests.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Idle timeout, gzip, conditional requests and the limits of {@link FetchLimits}, against
 * a real local server.
 */
class DownloaderLimitsTests {

    private static final DownloadSettings FAST = new DownloadSettings(Duration.ofSeconds(2), Duration.ofSeconds(20), 3,
            Duration.ofMillis(10), 2.0, Duration.ofMillis(100));

    @TempDir
    Path dir;

    @RegisterExtension
    final TestHttpServer server = TestHttpServer.start();

    private final List<Downloader> downloaders = new ArrayList<>();

    @AfterEach
    void stop() {
        downloaders.forEach(Downloader::close);
    }

    private Downloader downloader(FetchLimits limits) {
        Downloader downloader = new Downloader(FAST, limits);
        downloaders.add(downloader);
        return downloader;
    }

    private Path target(String name) {
        return dir.resolve(name).toAbsolutePath();
    }

    private List<String> filesInDir() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static FetchException failure(Callable<?> call) {
        return catchThrowableOfType(FetchException.class, call::call);
    }

    @Test
    void aStallMidBodyTripsTheIdleTimeoutOnEveryAttemptWhileTheTotalLimitIsFarAway() throws Exception {
        server.stall("/stall.csv", randomBytes(10_000, 1), 3000, Duration.ofSeconds(30));
        Downloader downloader = downloader(FetchLimits.none().withIdleTimeout(Duration.ofMillis(300)));

        FetchException e = failure(() -> downloader.fetch(server.uri("/stall.csv"), null, target("stall.csv")));

        assertThat(e.reason()).isEqualTo("timeout: no data for 300ms after 3000 bytes");
        assertThat(e.attempts()).isEqualTo(3);
        assertThat(server.requests("/stall.csv")).isEqualTo(3);
        assertThat(filesInDir()).isEmpty();
    }

    @Test
    void aServerThatNeverAnswersTripsTheIdleTimeout() throws Exception {
        server.serve("/late.csv", randomBytes(10, 2));
        server.latency(Duration.ofSeconds(30));
        Downloader downloader = downloader(FetchLimits.none().withIdleTimeout(Duration.ofMillis(200)));

        FetchException e = failure(() -> downloader.fetch(server.uri("/late.csv"), null, target("late.csv")));

        assertThat(e.reason()).isEqualTo("timeout: no response within 200ms");
        assertThat(e.attempts()).isEqualTo(3);
        assertThat(filesInDir()).isEmpty();
    }

    @Test
    void aGzipEncodedBodyIsStoredDecodedWithTheChecksumOfTheContent() throws Exception {
        byte[] body = "id,name\n1,alpha\n2,beta\n".repeat(2000).getBytes();
        server.serveGzip("/data.csv", body);

        FetchOutcome outcome = downloader(FetchLimits.none()).fetch(server.uri("/data.csv"), sha256(body),
                target("data.csv"));

        assertThat(Files.readAllBytes(target("data.csv"))).isEqualTo(body);
        assertThat(outcome.bytes()).isEqualTo(body.length);
        assertThat(outcome.sha256()).isEqualTo(sha256(body));
        assertThat(server.requestHeader("/data.csv", "Accept-Encoding")).containsExactly("gzip");
        assertThat(filesInDir()).containsExactly("data.csv");
    }

    @Test
    void aGzipBodyCutShortIsRetriedAndNeverStored() throws Exception {
        server.serveGzip("/cut.csv", randomBytes(200_000, 4));
        server.cutFirst("/cut.csv", 5, 1000);
        Downloader downloader = downloader(FetchLimits.none());

        FetchException cut = failure(() -> downloader.fetch(server.uri("/cut.csv"), null, target("cut.csv")));

        assertThat(cut.reason()).startsWith("short body");
        assertThat(cut.attempts()).isEqualTo(3);
        assertThat(filesInDir()).isEmpty();
    }

    @Test
    void aBodyOverTheMaximumSizeIsAbortedAndNotRetried() throws Exception {
        server.serve("/big.csv", randomBytes(100_000, 5));
        server.serveGzip("/bomb.csv", new byte[200_000]);
        FetchLimits small = new FetchLimits(Duration.ofSeconds(5), 50_000, 5, 16, 0, List.of(), List.of());
        Downloader downloader = downloader(small);

        FetchException big = failure(() -> downloader.fetch(server.uri("/big.csv"), null, target("big.csv")));
        FetchException bomb = failure(() -> downloader.fetch(server.uri("/bomb.csv"), null, target("bomb.csv")));

        assertThat(big.reason()).isEqualTo("too large: more than max-file-size (50000 bytes)");
        assertThat(bomb.reason()).isEqualTo("too large: more than max-file-size (50000 bytes)");
        assertThat(big.attempts()).isEqualTo(1);
        assertThat(server.requests("/big.csv")).isEqualTo(1);
        assertThat(server.requests("/bomb.csv")).isEqualTo(1);
        assertThat(filesInDir()).isEmpty();
    }

    @Test
    void redirectsAreFollowedUpToTheLimitAndALoopFails() throws Exception {
        byte[] body = randomBytes(300, 6);
        server.serve("/end.csv", body);
        server.redirect("/hop1.csv", 301, "/hop2.csv");
        server.redirect("/hop2.csv", 307, "/end.csv");
        server.redirect("/loop-a.csv", 302, "/loop-b.csv");
        server.redirect("/loop-b.csv", 302, "/loop-a.csv");
        Downloader downloader = downloader(
                new FetchLimits(Duration.ofSeconds(5), Long.MAX_VALUE, 3, 16, 0, List.of(), List.of()));

        downloader.fetch(server.uri("/hop1.csv"), null, target("hop.csv"));
        FetchException loop = failure(() -> downloader.fetch(server.uri("/loop-a.csv"), null, target("loop.csv")));

        assertThat(Files.readAllBytes(target("hop.csv"))).isEqualTo(body);
        assertThat(loop.reason()).isEqualTo("too many redirects (more than 3)");
        assertThat(loop.attempts()).isEqualTo(1);
        assertThat(server.requests("/loop-a.csv") + server.requests("/loop-b.csv")).isEqualTo(4);
        assertThat(target("loop.csv")).doesNotExist();
    }

    @Test
    void onlyAllowedHostsAreFetchedOnEveryHop() throws Exception {
        server.serve("/data.csv", randomBytes(100, 7));
        server.redirect("/away.csv", 302, "http://localhost:" + server.port() + "/data.csv");
        Downloader downloader = downloader(
                new FetchLimits(Duration.ofSeconds(5), Long.MAX_VALUE, 5, 16, 0, List.of("127.0.0.1"), List.of()));
        Downloader other = downloader(
                new FetchLimits(Duration.ofSeconds(5), Long.MAX_VALUE, 5, 16, 0, List.of("*.example.org"), List.of()));

        downloader.fetch(server.uri("/data.csv"), null, target("data.csv"));
        FetchException away = failure(() -> downloader.fetch(server.uri("/away.csv"), null, target("away.csv")));
        FetchException refused = failure(() -> other.fetch(server.uri("/data.csv"), null, target("other.csv")));

        assertThat(away.reason()).isEqualTo("redirect to a host not allowed (allowed-hosts): localhost");
        assertThat(refused.reason()).isEqualTo("host not allowed (allowed-hosts): 127.0.0.1");
        assertThat(server.requests("/data.csv")).isEqualTo(1);
        assertThat(filesInDir()).containsExactly("data.csv");
    }

    @Test
    void fileSourcesOnlyFromTheRootsEvenThroughALink() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(root.resolve("in.csv"), "a\n1\n");
        Files.writeString(outside.resolve("secret.csv"), "s\n1\n");
        Files.createSymbolicLink(root.resolve("link.csv"), outside.resolve("secret.csv"));
        Path out = Files.createDirectories(dir.resolve("out"));
        Downloader downloader = downloader(
                new FetchLimits(Duration.ofSeconds(5), Long.MAX_VALUE, 5, 16, 0, List.of(), List.of(root)));

        downloader.fetch(root.resolve("in.csv").toUri(), null, out.resolve("in.csv"));
        FetchException secret = failure(
                () -> downloader.fetch(outside.resolve("secret.csv").toUri(), null, out.resolve("secret.csv")));
        FetchException link = failure(
                () -> downloader.fetch(root.resolve("link.csv").toUri(), null, out.resolve("link.csv")));

        assertThat(secret.reason()).startsWith("outside the folders file: sources may read (file-roots): ");
        assertThat(link.reason()).startsWith("outside the folders file: sources may read (file-roots): ");
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("in.csv");
        }
    }

    @Test
    void aNotModifiedAnswerKeepsTheVerifiedLocalFile() throws Exception {
        byte[] body = randomBytes(4000, 8);
        server.serveConditional("/c.csv", body);
        Downloader downloader = downloader(FetchLimits.none());
        FetchOutcome first = downloader.fetch(server.uri("/c.csv"), null, target("c.csv"), null);
        PreviousFetch previous = new PreviousFetch(first.etag(), first.lastModified(), first.sha256(), first.bytes());

        FetchOutcome second = downloader.fetch(server.uri("/c.csv"), null, target("c.csv"), previous);

        assertThat(second.notModified()).isTrue();
        assertThat(second.httpStatus()).isEqualTo(304);
        assertThat(second.sha256()).isEqualTo(sha256(body));
        assertThat(Files.readAllBytes(target("c.csv"))).isEqualTo(body);
        assertThat(server.requestHeader("/c.csv", "If-None-Match")).containsExactly(null, first.etag());
        assertThat(server.requestHeader("/c.csv", "If-Modified-Since")).containsExactly(null,
                TestHttpServer.LAST_MODIFIED);
    }

    @Test
    void aLocalFileThatChangedIsFetchedAgainWhole() throws Exception {
        byte[] body = randomBytes(4000, 9);
        server.serveConditional("/c.csv", body);
        Downloader downloader = downloader(FetchLimits.none());
        FetchOutcome first = downloader.fetch(server.uri("/c.csv"), null, target("c.csv"), null);
        byte[] tampered = body.clone();
        tampered[10] ^= 1;
        Files.write(target("c.csv"), tampered);

        FetchOutcome second = downloader.fetch(server.uri("/c.csv"), null, target("c.csv"),
                new PreviousFetch(first.etag(), first.lastModified(), first.sha256(), first.bytes()));

        assertThat(second.notModified()).isFalse();
        assertThat(second.httpStatus()).isEqualTo(200);
        assertThat(Files.readAllBytes(target("c.csv"))).isEqualTo(body);
        // the conditional request got a 304, the local file did not match, so the whole
        // body was asked for
        assertThat(server.requestHeader("/c.csv", "If-None-Match")).containsExactly(null, first.etag(), null);
    }

    @Test
    void noMoreThanPerHostDownloadsRunAtOnceOnOneHost() throws Exception {
        server.latency(Duration.ofMillis(100));
        for (int i = 0; i < 12; i++) {
            server.serve("/f" + i + ".csv", randomBytes(1000, i));
        }
        Downloader downloader = downloader(
                new FetchLimits(Duration.ofSeconds(5), Long.MAX_VALUE, 5, 3, 0, List.of(), List.of()));
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<FetchOutcome>> results = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                int n = i;
                results.add(pool
                    .submit(() -> downloader.fetch(server.uri("/f" + n + ".csv"), null, target("f" + n + ".csv"))));
            }
            for (Future<FetchOutcome> result : results) {
                result.get();
            }
        }
        finally {
            pool.shutdownNow();
        }
        assertThat(server.maxConcurrentRequests()).isEqualTo(3);
        assertThat(filesInDir()).hasSize(12);
    }

}
