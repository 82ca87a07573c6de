package dev.batchetl.job;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code batch-etl.*} settings: the defaults of README's configuration table, and
 * values written the way Spring Boot reads them.
 */
class BatchEtlPropertiesTests {

    @Test
    void withNothingSetEverySettingHasTheDefaultTheReadmeGives() {
        BatchEtlProperties properties = bind(Map.of());

        assertThat(properties.heartbeat()).isEqualTo(Duration.ofSeconds(5));
        assertThat(properties.lease()).isEqualTo(Duration.ofSeconds(30));
        assertThat(properties.remote().queue()).isEqualTo("batch-etl.partitions");
        assertThat(properties.remote().pollInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(properties.worker().concurrency()).isEqualTo(1);
        assertThat(properties.worker().stopTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(properties.worker().requeueDelay()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void settingsAreReadFromTheirPropertyNames() {
        BatchEtlProperties properties = bind(
                Map.of("batch-etl.heartbeat", "1s", "batch-etl.lease", "5s", "batch-etl.remote.queue", "etl.test",
                        "batch-etl.remote.poll-interval", "200ms", "batch-etl.worker.concurrency", "3",
                        "batch-etl.worker.stop-timeout", "2m", "batch-etl.worker.requeue-delay", "1500"));

        assertThat(properties.heartbeat()).isEqualTo(Duration.ofSeconds(1));
        assertThat(properties.lease()).isEqualTo(Duration.ofSeconds(5));
        assertThat(properties.remote().queue()).isEqualTo("etl.test");
        assertThat(properties.remote().pollInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(properties.worker().concurrency()).isEqualTo(3);
        assertThat(properties.worker().stopTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(properties.worker().requeueDelay()).as("a bare number is milliseconds, as with @Value")
            .isEqualTo(Duration.ofMillis(1500));
    }

    private static BatchEtlProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("batch-etl",
                BatchEtlProperties.class);
    }

}
