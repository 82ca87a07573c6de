package dev.batchetl.schedule;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.batchetl.EtlProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /actuator/health} of a scheduler, in a process of its own against PostgreSQL
 * with RabbitMQ pointed at a port nobody listens on: the broker counts only for a
 * definition with {@code partitioning=remote}, and the answer holds the status alone (no
 * disk paths, database versions or component names) since nobody is authorized to see
 * details. The cron fires next New Year and catch-up is off, so no run starts while the
 * test looks.
 */
class ScheduleHealthFunctionalTests {

    private static final Pattern PORT = Pattern.compile("schedule on port (\\d+)");

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static final String NEW_YEAR = "cron=0 0 3 1 1 *";

    /** Nothing listens on port 1: a connection to RabbitMQ there is refused at once. */
    private static final String RABBITMQ_DOWN = "--spring.rabbitmq.port=1";

    @TempDir
    Path work;

    private final String definition = "health-" + UUID.randomUUID().toString().substring(0, 8);

    private final List<EtlProcess> started = new ArrayList<>();

    @Test
    void aLocalScheduleIsUpWithRabbitMqDownAndShowsNoDetails() throws Exception {
        EtlProcess node = start(definition(), NEW_YEAR, "catch-up=none", RABBITMQ_DOWN, "--server.port=0");
        int port = port(node);

        HttpResponse<String> health = get(port, "/actuator/health");
        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"")
            .doesNotContain("\"components\"")
            .doesNotContain("\"details\"")
            .doesNotContain("rabbit")
            .doesNotContain("diskSpace")
            .doesNotContain(this.work.toString())
            .doesNotContainIgnoringCase("postgresql");
        assertThat(get(port, "/actuator/health/readiness").statusCode()).isEqualTo(200);

        node.terminate();
        assertThat(node.waitFor()).as(node.output()).isZero();
    }

    @Test
    void aRemoteScheduleIsDownWhileRabbitMqIs() throws Exception {
        EtlProcess node = start(definition("partitioning=remote"), NEW_YEAR, "catch-up=none", RABBITMQ_DOWN,
                "--server.port=0");
        int port = port(node);

        HttpResponse<String> health = get(port, "/actuator/health");
        assertThat(health.statusCode()).as(health.body()).isEqualTo(503);
        assertThat(health.body()).contains("\"status\":\"DOWN\"").doesNotContain("\"components\"");

        node.terminate();
        assertThat(node.waitFor()).as(node.output()).isZero();
    }

    // --- support
    // ---------------------------------------------------------------------------------------------

    private EtlProcess start(Path definitionFile, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("schedule", definitionFile.toString()));
        command.addAll(List.of(args));
        EtlProcess process = EtlProcess.start(this.work, command.toArray(String[]::new));
        this.started.add(process);
        return process;
    }

    /** A scheduler left running by a failed assertion must not outlive its test. */
    @AfterEach
    void killLeftOvers() throws Exception {
        for (EtlProcess process : this.started) {
            if (process.isAlive()) {
                process.kill();
            }
        }
    }

    private Path definition(String... keys) throws Exception {
        Path data = Files.createDirectories(this.work.resolve("data"));
        Files.writeString(data.resolve("a.csv"), "id,value\n1,2.5\n");
        List<String> lines = new ArrayList<>(List.of("dir=" + data, "output=" + this.work.resolve("results.csv")));
        lines.addAll(List.of(keys));
        return Files.write(this.work.resolve(this.definition + ".properties"), lines);
    }

    private static int port(EtlProcess process) {
        String port = await().atMost(Duration.ofMinutes(2)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("scheduler ended:\n" + process.output());
            }
            Matcher matcher = PORT.matcher(process.output());
            return matcher.find() ? matcher.group(1) : null;
        }, p -> p != null);
        return Integer.parseInt(port);
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

}
