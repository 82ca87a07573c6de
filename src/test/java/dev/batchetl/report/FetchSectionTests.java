package dev.batchetl.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.batchetl.TestDatabase;
import dev.batchetl.report.RunReport.Fetch;
import dev.batchetl.report.RunReport.Source;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The fetch section of a run's page over more sources than a page lists, read from the
 * test PostgreSQL: the counts and bytes of all of them, the failed ones listed first, and
 * a throughput curve that spreads each source's bytes over its time.
 */
class FetchSectionTests {

    private static final int SOURCES = 2_500;

    private static final long T0 = 1_790_000_000_000L;

    private final JdbcTemplate jdbc = TestDatabase.jdbc();

    /** An execution id no run has. */
    private final long execution = -System.nanoTime();

    @AfterEach
    void remove() {
        this.jdbc.update("DELETE FROM etl_source WHERE job_execution_id = ?", this.execution);
    }

    @Test
    void countsEverySourceListsTheFailedFirstAndSpreadsBytesOverTheirTime() {
        // given 2,500 exported sources: every 5th failed; line 1 took the whole 10 s and
        // brought 10 MiB, the others 100 ms each, ending in the second half
        List<Object[]> rows = new ArrayList<>();
        long bytesDone = 0;
        for (int line = 1; line <= SOURCES; line++) {
            boolean failed = line % 5 == 0;
            long bytes = line == 1 ? 10L * 1024 * 1024 : 100L * line;
            long end = line == 1 ? T0 + 10_000 : T0 + 5_000 + 2L * line;
            long ms = line == 1 ? 10_000 : 100;
            rows.add(new Object[] { this.execution, line, "http://h/" + line, line + ".csv", failed ? "FAILED" : "DONE",
                    1, failed ? null : bytes, failed ? 500L : ms, failed ? "HTTP 503" : null, end });
            if (!failed) {
                bytesDone += bytes;
            }
        }
        this.jdbc.batchUpdate("""
                INSERT INTO etl_source (job_execution_id, line, source, target, status, attempts, bytes, duration_ms,
                                        error, finished_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows);

        // when the page reads them
        Fetch fetch = new FetchSection(this.jdbc).exported(12_000L, this.execution);

        // then all of them are counted, with the bytes of those fetched
        assertThat(fetch.total()).isEqualTo(SOURCES);
        assertThat(fetch.counts()).isEqualTo(Map.of("DONE", 2_000L, "FAILED", 500L));
        assertThat(fetch.bytes()).isEqualTo(bytesDone);
        // 2,000 are listed: the 500 failed in list order, then the first 1,500 others
        List<Integer> expected = new ArrayList<>();
        for (int line = 5; line <= SOURCES; line += 5) {
            expected.add(line);
        }
        for (int line = 1; expected.size() < FetchSection.SOURCES_SHOWN; line++) {
            if (line % 5 != 0) {
                expected.add(line);
            }
        }
        assertThat(fetch.sources()).extracting(Source::line).containsExactlyElementsOf(expected);
        // the curve spans the 10 s in 40 intervals of 250 ms; in the first, only line 1
        // ran: 10 MiB over 10 s is 1 MiB/s; and the curve holds every byte fetched
        RunReport.Throughput curve = fetch.throughput();
        assertThat(curve.start()).isEqualTo(T0);
        assertThat(curve.step()).isEqualTo(250.0);
        assertThat(curve.mibPerSecond()).hasSize(40);
        assertThat(curve.mibPerSecond()[0]).isCloseTo(1.0, within(1e-9));
        double total = 0;
        for (double mib : curve.mibPerSecond()) {
            total += mib * curve.step() / 1000 * 1024 * 1024;
        }
        assertThat(total).isCloseTo(bytesDone, within(bytesDone * 1e-9));
    }

    @Test
    void noSourcesNoSection() {
        assertThat(new FetchSection(this.jdbc).exported(null, this.execution)).isNull();
        assertThat(new FetchSection(this.jdbc).recorded(null, this.execution)).isNull();
    }

}
