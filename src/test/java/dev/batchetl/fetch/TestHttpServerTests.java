package dev.batchetl.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TestHttpServerTests {

    @RegisterExtension
    final TestHttpServer server = TestHttpServer.start();

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HttpResponse<byte[]> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(path))
            .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void listensOnLoopback() {
        assertThat(server.port()).isPositive();
        assertThat(server.uri("/x?y=1").toString()).isEqualTo("http://127.0.0.1:" + server.port() + "/x?y=1");
    }

    @Test
    void servesGetAndHead() throws Exception {
        byte[] body = "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8);
        server.serve("/t.csv", body);

        HttpResponse<byte[]> get = send("GET", "/t.csv");
        HttpResponse<byte[]> head = send("HEAD", "/t.csv");

        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(body);
        assertThat(get.headers().firstValueAsLong("Content-Length")).hasValue(body.length);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(body.length);
    }

    @Test
    void countsRequestsPerPathIgnoringQueries() throws Exception {
        server.serve("/a", new byte[] { 1 });

        send("GET", "/a");
        send("GET", "/a?page=2");
        HttpResponse<byte[]> unknown = send("GET", "/b");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(server.requests("/a")).isEqualTo(2);
        assertThat(server.requests("/b")).isEqualTo(1);
        assertThat(server.requests("/c")).isZero();
        assertThat(server.totalRequests()).isEqualTo(3);
    }

    @Test
    void scriptedFailuresThenSuccess() throws Exception {
        server.flaky("/f", new byte[] { 7 }, 2, 502);
        server.retryAfter("/r", new byte[] { 8 }, 7);

        assertThat(send("GET", "/f").statusCode()).isEqualTo(502);
        assertThat(send("GET", "/f").statusCode()).isEqualTo(502);
        assertThat(send("GET", "/f").body()).containsExactly(7);
        HttpResponse<byte[]> busy = send("GET", "/r");
        assertThat(busy.statusCode()).isEqualTo(429);
        assertThat(busy.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(send("GET", "/r").body()).containsExactly(8);
    }

    @Test
    void latencyDelaysResponses() throws Exception {
        server.status("/s", 204);
        server.latency(Duration.ofMillis(200));
        long start = System.nanoTime();

        assertThat(send("GET", "/s").statusCode()).isEqualTo(204);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(190));
    }

    @Test
    void rangedServingHonoursRangeAndIfRange() throws Exception {
        byte[] body = "0123456789".getBytes(StandardCharsets.UTF_8);
        server.serveRanged("/r", body, "\"v1\"");

        HttpResponse<byte[]> whole = send("GET", "/r");
        HttpResponse<byte[]> rest = send("GET", "/r", "Range", "bytes=4-");
        HttpResponse<byte[]> validated = send("GET", "/r", "Range", "bytes=4-", "If-Range", "\"v1\"");
        HttpResponse<byte[]> stale = send("GET", "/r", "Range", "bytes=4-", "If-Range", "\"v0\"");
        HttpResponse<byte[]> beyond = send("GET", "/r", "Range", "bytes=10-");

        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(body);
        assertThat(whole.headers().firstValue("ETag")).hasValue("\"v1\"");
        assertThat(whole.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(rest.statusCode()).isEqualTo(206);
        assertThat(rest.body()).isEqualTo(Arrays.copyOfRange(body, 4, 10));
        assertThat(rest.headers().firstValue("Content-Range")).hasValue("bytes 4-9/10");
        assertThat(validated.statusCode()).isEqualTo(206);
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.body()).isEqualTo(body);
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(server.rangeHeaders("/r")).containsExactly(null, "bytes=4-", "bytes=4-", "bytes=4-", "bytes=10-");
    }

    @Test
    void plainServingIgnoresRange() throws Exception {
        byte[] body = "0123456789".getBytes(StandardCharsets.UTF_8);
        server.serve("/p", body);

        HttpResponse<byte[]> response = send("GET", "/p", "Range", "bytes=4-");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(body);
        assertThat(server.rangeHeaders("/p")).containsExactly("bytes=4-");
        assertThat(server.rangeHeaders("/unknown")).isEmpty();
    }

    @Test
    void cutResponsesBreakOffThenBehaveNormally() throws Exception {
        byte[] body = new byte[100_000];
        Arrays.fill(body, (byte) 'x');
        server.cutFirst("/c", 2, 1000);
        server.serve("/c", body);

        assertThat(catchThrowable(() -> send("GET", "/c"))).isInstanceOf(java.io.IOException.class);
        assertThat(catchThrowable(() -> send("GET", "/c"))).isInstanceOf(java.io.IOException.class);
        assertThat(send("GET", "/c").body()).isEqualTo(body);
        assertThat(server.requests("/c")).isEqualTo(3);
    }

    @Test
    void logsEveryRequestWithItsRangeAndTheBytesSent() throws Exception {
        byte[] body = new byte[100_000];
        Arrays.fill(body, (byte) 'y');
        server.serveRanged("/l", body, "\"v1\"");
        server.cutFirst("/l", 1, 1000);

        assertThat(catchThrowable(() -> send("GET", "/l"))).isInstanceOf(java.io.IOException.class);
        send("GET", "/l", "Range", "bytes=1000-");
        send("HEAD", "/l");
        // a response is logged as closed just after its last byte reached the client
        org.awaitility.Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> server.requestLog().stream().noneMatch(TestHttpServer.Request::open));

        assertThat(server.requestLog()).containsExactly(new TestHttpServer.Request("/l", "GET", null, 200, 1000, false),
                new TestHttpServer.Request("/l", "GET", "bytes=1000-", 206, 99_000, false),
                new TestHttpServer.Request("/l", "HEAD", null, 200, 0, false));
        assertThat(server.bytesSent()).isEqualTo(100_000);
    }

    @Test
    void throttledBodiesArriveWholeAndAreSeenUnderWay() throws Exception {
        byte[] body = new byte[400_000];
        new java.util.Random(7).nextBytes(body);
        server.serve("/t", body);
        server.throttle(200_000);

        var response = client.sendAsync(HttpRequest.newBuilder(server.uri("/t")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        org.awaitility.Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> !server.requestLog().isEmpty() && server.requestLog().get(0).bytesSent() > 0);
        TestHttpServer.Request underWay = server.requestLog().get(0);

        // a slice at a time: part of the body is sent while the response is still open
        assertThat(underWay.open()).isTrue();
        assertThat(underWay.bytesSent()).isLessThan(body.length);
        assertThat(response.get().body()).isEqualTo(body);
        org.awaitility.Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> !server.requestLog().get(0).open());
        assertThat(server.requestLog().get(0).bytesSent()).isEqualTo(body.length);
    }

}
