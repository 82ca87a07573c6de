package dev.batchetl.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TestHttpServerTest {

    private TestHttpServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() {
        server = TestHttpServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<byte[]> send(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(server.uri(path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
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
        server.serve("/a", new byte[] {1});

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
        server.flaky("/f", new byte[] {7}, 2, 502);
        server.retryAfter("/r", new byte[] {8}, 7);

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
}
