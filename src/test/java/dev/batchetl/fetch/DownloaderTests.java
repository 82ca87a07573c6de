package dev.batchetl.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class DownloaderTests {

    /** Fast retries so failure tests stay quick. */
    private static final DownloadSettings FAST = new DownloadSettings(Duration.ofSeconds(2), Duration.ofSeconds(10), 3,
            Duration.ofMillis(10), 2.0, Duration.ofMillis(100));

    @TempDir
    Path dir;

    @RegisterExtension
    final TestHttpServer server = TestHttpServer.start();

    @AutoClose
    final Downloader downloader = new Downloader(FAST);

    static byte[] randomBytes(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private Path target(String name) {
        return dir.resolve(name).toAbsolutePath();
    }

    private List<Path> filesInDir() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    private static FetchException failure(Callable<?> call) {
        return catchThrowableOfType(FetchException.class, call::call);
    }

    @Test
    void downloadsBodyByteExactWithMatchingSha256() throws Exception {
        byte[] body = randomBytes(3 * 1024 * 1024 + 17, 1);
        server.serve("/data/big.csv", body);
        Path target = target("big.csv");

        FetchOutcome outcome = downloader.fetch(server.uri("/data/big.csv"), null, target);

        assertThat(Files.readAllBytes(target)).isEqualTo(body);
        assertThat(outcome.bytes()).isEqualTo(body.length);
        assertThat(outcome.sha256()).isEqualTo(sha256(body)).isEqualTo(sha256(Files.readAllBytes(target)));
        assertThat(outcome.httpStatus()).isEqualTo(200);
        assertThat(outcome.attempts()).isEqualTo(1);
        assertThat(outcome.etag()).isEqualTo("\"" + sha256(body).substring(0, 16) + "\"");
        assertThat(outcome.lastModified()).isEqualTo(TestHttpServer.LAST_MODIFIED);
        assertThat(outcome.elapsed()).isPositive();
        assertThat(filesInDir()).containsExactly(target);
    }

    @Test
    void anHtmlPageForACsvFileIsAFailureNotAFile() throws Exception {
        byte[] listing = "<html><body><a href=\"a.csv\">a.csv</a></body></html>".getBytes(StandardCharsets.UTF_8);
        server.serve("/data/", listing, "text/html; charset=utf-8");
        FetchException e = failure(() -> downloader.fetch(server.uri("/data/"), null, target("data.csv")));
        assertThat(e.reason()).isEqualTo("the server sent an HTML page (Content-Type: text/html), not CSV: a folder"
                + " listing or an error page?");
        assertThat(e.transientFailure()).isFalse();
        assertThat(target("data.csv")).doesNotExist();
        // the same page saved under a name that is not CSV is not the statistics'
        // business
        downloader.fetch(server.uri("/data/"), null, target("index.html"));
        assertThat(target("index.html")).hasBinaryContent(listing);
    }

    @Test
    void matchingExpectedChecksumIsAccepted() throws Exception {
        byte[] body = randomBytes(1000, 2);
        server.serve("/a.csv", body);

        FetchOutcome outcome = downloader.fetch(server.uri("/a.csv"), sha256(body).toUpperCase(), target("a.csv"));

        assertThat(outcome.sha256()).isEqualTo(sha256(body));
        assertThat(Files.readAllBytes(target("a.csv"))).isEqualTo(body);
    }

    @Test
    void emptyBodyGivesEmptyFile() throws Exception {
        server.serve("/empty.csv", new byte[0]);

        FetchOutcome outcome = downloader.fetch(server.uri("/empty.csv"), null, target("empty.csv"));

        assertThat(outcome.bytes()).isZero();
        assertThat(target("empty.csv")).exists().isEmptyFile();
    }

    @Test
    void notFoundFailsAtOnce() throws IOException {
        server.status("/missing.csv", 404);

        FetchException e = failure(() -> downloader.fetch(server.uri("/missing.csv"), null, target("missing.csv")));

        assertThat(e.reason()).isEqualTo("HTTP 404 Not Found");
        assertThat(e.getMessage()).isEqualTo("HTTP 404 Not Found");
        assertThat(e.transientFailure()).isFalse();
        assertThat(e.attempts()).isEqualTo(1);
        assertThat(server.requests("/missing.csv")).isEqualTo(1);
        assertThat(filesInDir()).isEmpty();
    }

    @Test
    void refusedConnectionIsTransientAndRetried() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        URI uri = URI.create("http://127.0.0.1:" + port + "/data.csv");

        FetchException e = failure(() -> downloader.fetch(uri, null, target("data.csv")));

        assertThat(e.reason()).isEqualTo("connection refused");
        assertThat(e.transientFailure()).isTrue();
        assertThat(e.attempts()).isEqualTo(3);
        assertThat(filesInDir()).isEmpty();
    }

    @Test
    void serverErrorThenSuccessIsRetried() throws Exception {
        byte[] body = randomBytes(50_000, 3);
        server.flaky("/flaky.csv", body, 1, 500);

        FetchOutcome outcome = downloader.fetch(server.uri("/flaky.csv"), sha256(body), target("flaky.csv"));

        assertThat(outcome.attempts()).isEqualTo(2);
        assertThat(server.requests("/flaky.csv")).isEqualTo(2);
        assertThat(Files.readAllBytes(target("flaky.csv"))).isEqualTo(body);
    }

    @Test
    void persistentServerErrorGivesUpAfterMaxAttempts() throws IOException {
        server.status("/down.csv", 503);

        FetchException e = failure(() -> downloader.fetch(server.uri("/down.csv"), null, target("down.csv")));

        assertThat(e.reason()).isEqualTo("HTTP 503 Service Unavailable");
        assertThat(e.transientFailure()).isTrue();
        assertThat(e.attempts()).isEqualTo(3);
        assertThat(server.requests("/down.csv")).isEqualTo(3);
        assertThat(filesInDir()).isEmpty();
    }

    @Test
    void truncatedBodyFailsWithoutLeavingFiles() throws IOException {
        byte[] body = randomBytes(5000, 4);
        server.truncate("/cut.csv", body, 1000);

        FetchException e = failure(() -> downloader.fetch(server.uri("/cut.csv"), null, target("cut.csv")));

        assertThat(e.reason()).isEqualTo("short body: 1000 of 5000 bytes");
        assertThat(e.transientFailure()).isTrue();
        assertThat(e.attempts()).isEqualTo(3);
        assertThat(server.requests("/cut.csv")).isEqualTo(3);
        assertThat(filesInDir()).isEmpty(); // neither cut.csv nor .cut.csv.part
    }

    @Test
    void checksumMismatchFailsAtOnceWithoutFile() throws Exception {
        byte[] body = randomBytes(2000, 5);
        server.serve("/a.csv", body);
        String wrong = sha256(new byte[] { 1, 2, 3 });

        FetchException e = failure(() -> downloader.fetch(server.uri("/a.csv"), wrong, target("a.csv")));

        assertThat(e.reason()).isEqualTo("checksum mismatch: expected " + wrong + ", got " + sha256(body));
        assertThat(e.transientFailure()).isFalse();
        assertThat(e.attempts()).isEqualTo(1);
        assertThat(filesInDir()).isEmpty();
    }

    @Test
    void existingGoodTargetSurvivesFailedRedownload() throws Exception {
        byte[] good = randomBytes(4000, 6);
        Path target = target("data.csv");
        server.serve("/data.csv", good);
        downloader.fetch(server.uri("/data.csv"), null, target);

        server.truncate("/data.csv", randomBytes(8000, 7), 3000);
        FetchException cut = failure(() -> downloader.fetch(server.uri("/data.csv"), null, target));
        server.status("/data.csv", 404);
        FetchException missing = failure(() -> downloader.fetch(server.uri("/data.csv"), null, target));
        server.serve("/data.csv", randomBytes(4000, 8));
        FetchException mismatch = failure(() -> downloader.fetch(server.uri("/data.csv"), sha256(good), target));

        assertThat(cut.reason()).startsWith("short body");
        assertThat(missing.reason()).isEqualTo("HTTP 404 Not Found");
        assertThat(mismatch.reason()).startsWith("checksum mismatch");
        assertThat(Files.readAllBytes(target)).isEqualTo(good);
        assertThat(filesInDir()).containsExactly(target);
    }

    @Test
    void successfulRedownloadReplacesTargetAndStalePartFile() throws Exception {
        Path target = target("data.csv");
        Files.writeString(target, "old content");
        Files.writeString(dir.resolve(".data.csv.part"), "left over from a crash, longer than the new body");
        byte[] body = randomBytes(20, 9);
        server.serve("/data.csv", body);

        downloader.fetch(server.uri("/data.csv"), null, target);

        assertThat(Files.readAllBytes(target)).isEqualTo(body);
        assertThat(filesInDir()).containsExactly(target);
    }

    @Test
    void twentyConcurrentDownloadsAreAllByteExact() throws Exception {
        server.latency(Duration.ofMillis(300));
        int count = 20;
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] body = randomBytes(100_000 + i * 7919, 100 + i);
            bodies.add(body);
            server.serve("/f" + i + ".csv", body);
        }
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            List<Future<FetchOutcome>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                futures.add(pool.submit(() -> downloader.fetch(server.uri("/f" + n + ".csv"), sha256(bodies.get(n)),
                        target("f" + n + ".csv"))));
            }
            for (Future<FetchOutcome> future : futures) {
                assertThat(future.get().attempts()).isEqualTo(1);
            }
            // with 300 ms before each response, downloads that overlap show up at the
            // server at the same time
            assertThat(server.maxConcurrentRequests()).isGreaterThan(1);
        }
        finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < count; i++) {
            assertThat(Files.readAllBytes(target("f" + i + ".csv"))).isEqualTo(bodies.get(i));
        }
        assertThat(filesInDir()).hasSize(count);
        assertThat(server.totalRequests()).isEqualTo(count);
    }

    @Test
    void concurrentFetchesIntoTheSameTargetAreSerialised() throws Exception {
        byte[] body = randomBytes(200_000, 11);
        server.serve("/same.csv", body);
        Path target = target("same.csv");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<FetchOutcome>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                futures.add(pool.submit(() -> downloader.fetch(server.uri("/same.csv"), null, target)));
            }
            for (Future<FetchOutcome> future : futures) {
                assertThat(future.get().sha256()).isEqualTo(sha256(body));
            }
        }
        finally {
            pool.shutdownNow();
        }
        assertThat(Files.readAllBytes(target)).isEqualTo(body);
        assertThat(filesInDir()).containsExactly(target);
    }

    @Test
    void copiesFileSources() throws Exception {
        Path sourceDir = Files.createDirectories(dir.resolve("in"));
        Path source = sourceDir.resolve("local.csv");
        byte[] body = randomBytes(300_000, 12);
        Files.write(source, body);
        Path target = target("copy.csv");

        FetchOutcome outcome = downloader.fetch(source.toUri(), sha256(body), target);

        assertThat(Files.readAllBytes(target)).isEqualTo(body);
        assertThat(outcome.httpStatus()).isNull();
        assertThat(outcome.etag()).isNull();
        assertThat(outcome.bytes()).isEqualTo(body.length);
        assertThat(outcome.sha256()).isEqualTo(sha256(body));
        assertThat(outcome.attempts()).isEqualTo(1);
        assertThat(filesInDir()).containsExactly(target, sourceDir);
    }

    @Test
    void missingFileSourceFailsClearly() throws IOException {
        Path source = dir.resolve("nope.csv").toAbsolutePath();

        FetchException e = failure(() -> downloader.fetch(source.toUri(), null, target("copy.csv")));

        assertThat(e.reason()).isEqualTo("no such file: " + source);
        assertThat(e.transientFailure()).isFalse();
        assertThat(e.attempts()).isEqualTo(1);
        assertThat(filesInDir()).isEmpty();
    }

    @Test
    void retryAfterIsHonoured() throws Exception {
        byte[] body = randomBytes(100, 13);
        server.retryAfter("/busy.csv", body, 1);
        try (Downloader patient = new Downloader(new DownloadSettings(Duration.ofSeconds(2), Duration.ofSeconds(10), 3,
                Duration.ofMillis(10), 2.0, Duration.ofSeconds(5)))) {

            FetchOutcome outcome = patient.fetch(server.uri("/busy.csv"), null, target("busy.csv"));

            assertThat(outcome.attempts()).isEqualTo(2);
            assertThat(outcome.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(950));
            assertThat(server.requests("/busy.csv")).isEqualTo(2);
            assertThat(Files.readAllBytes(target("busy.csv"))).isEqualTo(body);
        }
    }

    @Test
    void retryAfterIsCappedAtMaxBackoff() throws Exception {
        byte[] body = randomBytes(100, 14);
        server.retryAfter("/busy.csv", body, 3600);
        Duration cap = Duration.ofSeconds(1);
        try (Downloader capped = new Downloader(new DownloadSettings(Duration.ofSeconds(2), Duration.ofSeconds(30), 3,
                Duration.ofMillis(10), 2.0, cap))) {

            FetchOutcome outcome = capped.fetch(server.uri("/busy.csv"), null, target("busy.csv"));

            // the server asked for an hour: the retry came after the cap, neither sooner
            // nor when the 30 s for the whole fetch were nearly up
            assertThat(outcome.attempts()).isEqualTo(2);
            assertThat(outcome.elapsed()).isGreaterThanOrEqualTo(cap).isLessThan(cap.multipliedBy(3));
            assertThat(server.requests("/busy.csv")).isEqualTo(2);
            assertThat(Files.readAllBytes(target("busy.csv"))).isEqualTo(body);
        }
    }

    @Test
    void stalledBodyTimesOut() throws IOException {
        server.stall("/slow.csv", randomBytes(10_000, 15), 2000, Duration.ofSeconds(5));
        try (Downloader impatient = new Downloader(new DownloadSettings(Duration.ofSeconds(2), Duration.ofMillis(500),
                1, Duration.ofMillis(10), 2.0, Duration.ofMillis(100)))) {
            // the server stalls 5 s mid-body and then completes it: only the 500 ms
            // attempt limit can fail this
            FetchException e = failure(() -> impatient.fetch(server.uri("/slow.csv"), null, target("slow.csv")));

            assertThat(e.reason()).isEqualTo("timeout: body incomplete after 2000 bytes");
            assertThat(e.transientFailure()).isTrue();
            assertThat(e.attempts()).isEqualTo(1);
            assertThat(filesInDir()).isEmpty();
        }
    }

    @Test
    void slowResponseHeadersTimeOut() throws IOException {
        server.serve("/late.csv", randomBytes(10, 16));
        server.latency(Duration.ofSeconds(3));
        try (Downloader impatient = new Downloader(new DownloadSettings(Duration.ofSeconds(2), Duration.ofMillis(300),
                1, Duration.ofMillis(10), 2.0, Duration.ofMillis(100)))) {

            FetchException e = failure(() -> impatient.fetch(server.uri("/late.csv"), null, target("late.csv")));

            assertThat(e.reason()).isEqualTo("timeout: no response within 300ms");
            assertThat(e.transientFailure()).isTrue();
            assertThat(filesInDir()).isEmpty();
        }
    }

    @Test
    void redirectsAreFollowedButNotToFileUrls() throws Exception {
        byte[] body = randomBytes(500, 17);
        server.serve("/real.csv", body);
        server.redirect("/moved.csv", 302, server.uri("/real.csv").toString());
        Path secret = Files.writeString(dir.resolve("secret.txt"), "do not copy");
        server.redirect("/sneaky.csv", 302, secret.toUri().toString());

        downloader.fetch(server.uri("/moved.csv"), null, target("moved.csv"));
        FetchException e = failure(() -> downloader.fetch(server.uri("/sneaky.csv"), null, target("sneaky.csv")));

        assertThat(Files.readAllBytes(target("moved.csv"))).isEqualTo(body);
        assertThat(e.reason()).isEqualTo("redirect to another scheme refused: " + secret.toUri());
        assertThat(e.transientFailure()).isFalse();
        assertThat(target("sneaky.csv")).doesNotExist();
    }

    @Test
    void clientErrorsOtherThan408And429AreNotRetried() throws IOException {
        server.status("/forbidden.csv", 403);
        server.status("/teapot.csv", 418);
        server.flaky("/timeout.csv", new byte[] { 1 }, 1, 408);

        FetchException forbidden = failure(() -> downloader.fetch(server.uri("/forbidden.csv"), null, target("f.csv")));
        FetchException teapot = failure(() -> downloader.fetch(server.uri("/teapot.csv"), null, target("t.csv")));

        assertThat(forbidden.reason()).isEqualTo("HTTP 403 Forbidden");
        assertThat(teapot.reason()).isEqualTo("HTTP 418");
        assertThat(server.requests("/forbidden.csv")).isEqualTo(1);
        assertThat(server.requests("/teapot.csv")).isEqualTo(1);
        try {
            assertThat(downloader.fetch(server.uri("/timeout.csv"), null, target("r.csv")).attempts()).isEqualTo(2);
        }
        catch (FetchException e) {
            throw new AssertionError(e.reason(), e);
        }
    }

    @Test
    void missingTargetFolderIsReported() {
        server.serve("/a.csv", new byte[] { 1 });
        Path target = dir.resolve("no/such/folder/a.csv").toAbsolutePath();

        FetchException e = failure(() -> downloader.fetch(server.uri("/a.csv"), null, target));

        assertThat(e.reason()).isEqualTo("no such folder: " + target.getParent());
        assertThat(e.transientFailure()).isFalse();
    }

}
