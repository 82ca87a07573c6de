package dev.batchetl.cli;

import java.time.LocalDateTime;

import org.junit.jupiter.api.Test;

import org.springframework.batch.core.BatchStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How long an execution ran, as {@code list} and {@code show} print it: a stop request
 * records an end time while the execution still runs to its next chunk commit, and that
 * end is not taken for the run's.
 */
class InspectionTests {

    private static final LocalDateTime START = LocalDateTime.of(2026, 12, 1, 3, 0, 0);

    @Test
    void aFinishedExecutionTookFromItsStartToItsEnd() {
        assertThat(Inspection.duration(BatchStatus.COMPLETED, START, START.plusSeconds(75), START.plusHours(1)))
            .isEqualTo("1m15s");
    }

    @Test
    void aStoppingExecutionWithTheEndTimeOfItsStopRequestIsStillRunning() {
        assertThat(Inspection.duration(BatchStatus.STOPPING, START, START.plusSeconds(5), START.plusSeconds(42)))
            .isEqualTo("running 42.0s");
    }

    @Test
    void aRunningExecutionHasRunUntilNow() {
        assertThat(Inspection.duration(BatchStatus.STARTED, START, null, START.plusSeconds(3)))
            .isEqualTo("running 3.0s");
    }

}
