package dev.batchetl.stats.engine;

import static dev.batchetl.stats.engine.StatsTestSupport.col;
import static dev.batchetl.stats.engine.StatsTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.LocalDate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints written while DataSketches estimated the distinct counts are those this
 * version writes, and read: a partition resumed from one, and a finished partition stored
 * as one and merged with a later one, end with the statistics of the whole file, every
 * value counted once. The fixture {@code checkpoint-v6.bin} was written by that version
 * (checkpoint format 6, as now) after the first {@value #CHECKPOINT_ROWS} data rows of
 * {@link #csv()}.
 */
class CheckpointCompatibilityTests {

    static final int ROWS = 6000;
    static final int CHECKPOINT_ROWS = 2500;

    /**
     * The relative standard error of the distinct-count estimate (a HyperLogLog of 2^12
     * registers).
     */
    private static final double HLL_ERROR = 0.0163;

    @TempDir
    Path dir;

    /**
     * Six columns: id (6,000 integers), name (3,000 texts, each first seen in the first
     * 2,500 rows, seen again after), price (700 decimals: exact), day (2,000 dates), cat
     * (3 texts: exact), code (6,000 values, half of them numbers).
     */
    static String csv() {
        StringBuilder b = new StringBuilder("id,name,price,day,cat,code\n");
        LocalDate day0 = LocalDate.of(2020, 1, 1);
        for (int i = 0; i < ROWS; i++) {
            b.append(i)
                .append(",n")
                .append(i * 37 % 3000)
                .append(',')
                .append(i % 700)
                .append(".5,")
                .append(day0.plusDays(i % 2000))
                .append(',')
                .append("abc".charAt(i % 3))
                .append(',')
                .append(i % 2 == 0 ? String.valueOf(i) : "c" + i)
                .append('\n');
        }
        return b.toString();
    }

    /**
     * The byte offset of the row after the checkpoint: after the header and the
     * checkpoint's rows.
     */
    private static long checkpointOffset(String csv) {
        int at = -1;
        for (int line = 0; line <= CHECKPOINT_ROWS; line++) {
            at = csv.indexOf('\n', at + 1);
        }
        return at + 1;
    }

    static byte[] fixture() throws IOException {
        try (InputStream in = CheckpointCompatibilityTests.class.getResourceAsStream("checkpoint-v6.bin")) {
            return in.readAllBytes();
        }
    }

    @Test
    void theFixtureIsTheCheckpointThisVersionWritesAtThatRow() throws IOException {
        Path f = write(dir, "six.csv", csv());
        CsvHeader h = CsvHeader.read(f, CsvOptions.defaults());
        FileAccumulator acc = new FileAccumulator(h.names());
        try (CsvRangeReader r = CsvRangeReader.open(f, CsvOptions.defaults(), 6,
                new ByteRange(h.dataStart(), Long.MAX_VALUE, h.dataStartLine()))) {
            assertThat(r.read(acc, CHECKPOINT_ROWS, null)).isEqualTo(CHECKPOINT_ROWS);
            assertThat(r.offset()).isEqualTo(checkpointOffset(csv()));
        }
        assertThat(ByteBuffer.wrap(fixture()).getInt(4)).as("format").isEqualTo(6);
        assertThat(acc.toBytes()).isEqualTo(fixture());
    }

    @Test
    void theFixturesStatisticsAreThoseOfItsRows() throws IOException {
        FileStats s = FileAccumulator.fromBytes(fixture()).result();
        assertThat(s.rows()).isEqualTo(CHECKPOINT_ROWS);
        assertThat(col(s, "id").max()).isEqualTo("2499");
        assertThat(col(s, "id").sum()).isEqualTo("3123750");
        assertEstimate(col(s, "id"), 2500);
        assertEstimate(col(s, "name"), 2500);
        assertEstimate(col(s, "day"), 2000);
        assertEstimate(col(s, "code"), 2500);
        assertThat(col(s, "price").distinct()).isEqualTo(700);
        assertThat(col(s, "cat").distinct()).isEqualTo(3);
    }

    @Test
    void aPartitionResumedFromTheFixtureEndsWithTheWholeFilesStatistics() throws IOException {
        String csv = csv();
        Path f = write(dir, "six.csv", csv);
        FileAccumulator acc = FileAccumulator.fromBytes(fixture());
        try (CsvRangeReader r = CsvRangeReader.open(f, CsvOptions.defaults(), 6,
                new ByteRange(checkpointOffset(csv), Long.MAX_VALUE, 2 + CHECKPOINT_ROWS))) {
            while (r.read(acc, 1000, null) > 0) {
                acc = FileAccumulator.fromBytes(acc.toBytes()); // checkpointed again
                                                                // every 1,000 rows
            }
        }
        assertTheWholeFile(acc.result());
    }

    @Test
    void theFixtureAsAFinishedPartitionMergesWithTheNextOne() throws IOException {
        String csv = csv();
        Path f = write(dir, "six.csv", csv);
        FileAccumulator rest = new FileAccumulator(FileAccumulator.fromBytes(fixture()).columnNames());
        try (CsvRangeReader r = CsvRangeReader.open(f, CsvOptions.defaults(), 6,
                new ByteRange(checkpointOffset(csv), Long.MAX_VALUE, 2 + CHECKPOINT_ROWS))) {
            while (r.read(rest, 1000, null) > 0) {
                // keep reading
            }
        }
        FileAccumulator merged = FileAccumulator.fromBytes(fixture());
        merged.merge(FileAccumulator.fromBytes(rest.toBytes()));
        assertTheWholeFile(merged.result());
        assertTheWholeFile(FileAccumulator.fromBytes(merged.toBytes()).result());
    }

    /**
     * The statistics of the 6,000 rows, the distinct counts beyond the exact set within 3
     * standard errors.
     */
    private static void assertTheWholeFile(FileStats s) {
        assertThat(s.rows()).isEqualTo(ROWS);
        ColumnStats id = col(s, "id");
        assertThat(id.type()).isEqualTo(ColumnType.INTEGER);
        assertThat(id.count()).isEqualTo(ROWS);
        assertThat(id.min()).isEqualTo("0");
        assertThat(id.max()).isEqualTo("5999");
        assertThat(id.sum()).isEqualTo("17997000");
        assertEstimate(id, 6000);
        assertEstimate(col(s, "name"), 3000);
        ColumnStats price = col(s, "price");
        assertThat(price.type()).isEqualTo(ColumnType.FLOAT);
        assertThat(price.distinct()).isEqualTo(700);
        assertThat(price.distinctExact()).isTrue();
        ColumnStats day = col(s, "day");
        assertThat(day.type()).isEqualTo(ColumnType.DATE);
        assertThat(day.max()).isEqualTo(LocalDate.of(2020, 1, 1).plusDays(1999).toString());
        assertEstimate(day, 2000);
        assertThat(col(s, "cat").distinct()).isEqualTo(3);
        assertThat(col(s, "cat").distinctExact()).isTrue();
        assertEstimate(col(s, "code"), 6000);
    }

    private static void assertEstimate(ColumnStats c, long distinct) {
        assertThat(c.distinctExact()).as(c.name()).isFalse();
        assertThat((double) c.distinct()).as(c.name()).isCloseTo(distinct, within(3 * HLL_ERROR * distinct));
    }

}
