package dev.batchetl.fetch;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link NginxServer} serves a folder's bytes, ranges included, and stops with its
 * workers.
 */
class NginxServerTests {

    @TempDir
    Path root;

    @Test
    void servesTheFolderAndStops() throws Exception {
        assumeTrue(NginxServer.installed(), "nginx is not installed");
        byte[] body = new byte[300_000];
        new Random(7).nextBytes(body);
        Files.createDirectories(this.root.resolve("d"));
        Files.write(this.root.resolve("d/a.bin"), body);
        HttpClient client = HttpClient.newHttpClient();
        String base;
        try (NginxServer nginx = new NginxServer()) {
            base = nginx.start(this.root);
            assertThat(base).matches("http://127\\.0\\.0\\.1:\\d+");
            HttpResponse<byte[]> whole = client.send(HttpRequest.newBuilder(URI.create(base + "/d/a.bin")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(whole.statusCode()).isEqualTo(200);
            assertThat(whole.body()).isEqualTo(body);
            assertThat(whole.headers().firstValue("ETag")).isPresent();
            HttpResponse<byte[]> rest = client.send(
                    HttpRequest.newBuilder(URI.create(base + "/d/a.bin")).header("Range", "bytes=100000-").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(rest.statusCode()).isEqualTo(206);
            assertThat(rest.body()).isEqualTo(java.util.Arrays.copyOfRange(body, 100_000, body.length));
            HttpResponse<byte[]> missing = client.send(HttpRequest.newBuilder(URI.create(base + "/d/none.bin")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(missing.statusCode()).isEqualTo(404);
            // nginx logs a request once its response is sent, so the client can read the
            // last response before its line is written
            org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(Files.readAllLines(nginx.accessLog())).hasSize(3));
        }
        HttpClient fresh = HttpClient.newHttpClient();
        assertThatThrownBy(() -> fresh.send(HttpRequest.newBuilder(URI.create(base + "/d/a.bin")).build(),
                HttpResponse.BodyHandlers.discarding()))
            .isInstanceOf(ConnectException.class);
    }

}
