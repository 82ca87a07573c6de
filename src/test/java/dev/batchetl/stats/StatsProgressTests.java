package dev.batchetl.stats;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The statistics step's live line, on a clock of the test's own. */
class StatsProgressTests {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong();

    private final StringWriter screen = new StringWriter();

    @Test
    void theLiveLineCountsTheBytesOfPartitionsUnderWayAndEstimatesTheRest() {
        StatsProgress progress = new StatsProgress(new PrintWriter(this.screen), this.now::get, false);
        progress.planned(4, 400L << 20);
        progress.beforeStep(null);

        // nothing read yet: nothing drawn
        progress.tick();
        assertThat(this.screen.toString()).isEmpty();

        // 100 MiB read in 2 s by partitions that have not ended: 50 MiB/s, 6 s to go
        this.now.set(2 * SECOND);
        progress.read(60L << 20);
        progress.read(40L << 20);
        progress.tick();
        assertThat(this.screen.toString())
            .isEqualTo("\rstats 0/4 partitions, 100.0 MiB of 400.0 MiB, 50.0 MiB/s, ETA 6s");

        // one ends; a restart that planned nothing shows what it knows
        this.now.set(4 * SECOND);
        progress.read(100L << 20);
        progress.partitionDone();
        assertThat(progress.line()).isEqualTo("stats 1/4 partitions, 200.0 MiB of 400.0 MiB, 50.0 MiB/s, ETA 4s");
        StatsProgress restarted = new StatsProgress(null, this.now::get, false);
        restarted.beforeStep(null);
        this.now.set(5 * SECOND);
        restarted.read(1L << 20);
        assertThat(restarted.line()).isEqualTo("stats 0 partitions, 1.0 MiB, 1.0 MiB/s, ETA ?");
    }

}
