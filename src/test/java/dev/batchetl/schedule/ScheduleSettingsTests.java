package dev.batchetl.schedule;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.scheduling.support.CronExpression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ScheduleSettingsTests {

    @Test
    void defaultsAreSkipOnceNoRetryUtcText() {
        ScheduleSettings settings = ScheduleSettings.of(Map.of("cron", "0 0 2 * * *"));
        assertThat(settings.zone().getId()).isEqualTo("UTC");
        assertThat(settings.overlap()).isEqualTo(ScheduleSettings.Overlap.SKIP);
        assertThat(settings.catchUp()).isEqualTo(ScheduleSettings.CatchUp.ONCE);
        assertThat(settings.retryFailed()).isFalse();
        assertThat(settings.jsonLogs()).isFalse();
    }

    @Test
    void aCrontabLineOfFiveFieldsFiresAtSecondZero() {
        CronExpression cron = ScheduleSettings.of(Map.of("cron", "30 2 * * *")).expression();
        assertThat(cron.next(Instant.parse("2026-11-21T00:00:00Z").atZone(ZoneOffset.UTC)).toInstant())
            .isEqualTo(Instant.parse("2026-11-21T02:30:00Z"));
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatIllegalArgumentException().isThrownBy(() -> ScheduleSettings.of(Map.of()))
            .withMessageStartingWith("cron:");
        assertThatIllegalArgumentException().isThrownBy(() -> ScheduleSettings.of(Map.of("cron", "every day")))
            .withMessageStartingWith("cron:");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> ScheduleSettings.of(Map.of("cron", "@daily", "zone", "Mars/Olympus")))
            .withMessageStartingWith("zone:");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> ScheduleSettings.of(Map.of("cron", "@daily", "overlap", "parallel")))
            .withMessageStartingWith("overlap:");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> ScheduleSettings.of(Map.of("cron", "@daily", "catch-up", "all")))
            .withMessageStartingWith("catch-up:");
    }

    @Test
    void theRunKeyIsTheFireTimeInUtcWhateverTheZone() {
        ScheduleSettings paris = ScheduleSettings.of(Map.of("cron", "0 0 2 * * *", "zone", "Europe/Paris"));
        Instant fire = paris.expression().next(Instant.parse("2026-07-01T12:00:00Z").atZone(paris.zone())).toInstant();
        assertThat(FireTime.runKey(fire)).isEqualTo("2026-07-02T00:00:00Z");
        assertThat(FireTime.parse("2026-07-02T00:00:00Z")).isEqualTo(fire);
    }

    @Test
    void theLatestMissedFireIsTheLastOneAtOrBeforeNowAfterTheLatestRecorded() {
        CronExpression hourly = CronExpression.parse("0 0 * * * *");
        Instant now = Instant.parse("2026-11-21T10:20:00Z");
        assertThat(Scheduler.latestFire(hourly, ZoneOffset.UTC, Instant.parse("2026-11-21T07:00:00Z"), now))
            .isEqualTo(Instant.parse("2026-11-21T10:00:00Z"));
        assertThat(Scheduler.latestFire(hourly, ZoneOffset.UTC, Instant.parse("2026-11-21T10:00:00Z"), now)).isNull();
        assertThat(Scheduler.latestFire(hourly, ZoneOffset.UTC, Instant.parse("2025-01-01T00:00:00Z"), now))
            .isEqualTo(Instant.parse("2026-11-21T10:00:00Z"));
    }

}
