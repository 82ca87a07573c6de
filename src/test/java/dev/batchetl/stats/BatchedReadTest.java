package dev.batchetl.stats;

import static dev.batchetl.stats.StatsTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader stages records and accumulates them a column at a time. Whatever the batch size, buffer size and read
 * sizes, the checkpoint bytes (every statistic, in the order its values arrived) and the bad rows equal those of
 * accumulating one record at a time.
 */
class BatchedReadTest {

    @TempDir
    Path dir;

    @Test
    void batchesOfAnySizeAccumulateLikeOneRecordAtATime() throws Exception {
        Random rnd = new Random(7);
        for (int file = 0; file < 12; file++) {
            boolean latin1 = file % 4 == 3;
            Path f = write(dir, "b" + file + ".csv", randomFile(rnd, 300 + rnd.nextInt(700), latin1));
            CsvOptions options = CsvOptions.defaults().withInvalidBytes(InvalidBytePolicy.REPLACE);
            if (latin1) {
                options = new CsvOptions(',', '"', null, true, StandardCharsets.ISO_8859_1, options.naValues(),
                        options.badRows(), options.invalidBytes());
            }
            List<BadRow> oneBad = new ArrayList<>();
            byte[] one = read(f, options, 1 << 20, 1, 1000, oneBad);
            assertThat(FileAccumulator.fromBytes(one).rows).as("rows of file " + file).isGreaterThan(250);
            for (int batch : new int[] {2, 3, 64, CsvRangeReader.DEFAULT_BATCH, 5000}) {
                for (int buffer : new int[] {16, 100, 1 << 20}) {
                    for (int every : new int[] {1, 7, 1000}) {
                        List<BadRow> bad = new ArrayList<>();
                        String what = "file " + file + ", batch " + batch + ", buffer " + buffer + ", every " + every;
                        byte[] batched = read(f, options, buffer, batch, every, bad);
                        assertThat(FileAccumulator.fromBytes(batched).result()).as(what)
                                .isEqualTo(FileAccumulator.fromBytes(one).result());
                        assertThat(Arrays.equals(batched, one)).as(what + ": checkpoint bytes").isTrue();
                        assertThat(bad).as(what).isEqualTo(oneBad);
                    }
                }
            }
        }
    }

    private static byte[] read(Path f, CsvOptions options, int buffer, int batch, int every, List<BadRow> bad)
            throws Exception {
        CsvHeader h = CsvHeader.read(f, options);
        FileAccumulator acc = new FileAccumulator(h.names());
        try (CsvRangeReader r = CsvRangeReader.open(f, options, h.names().size(), h.dataStart(), Long.MAX_VALUE,
                h.dataStartLine(), buffer, batch)) {
            while (r.read(acc, every, bad::add) > 0) {
                // keep reading
            }
        }
        return acc.toBytes();
    }

    /**
     * Rows of 5 columns mixing numbers, NA values, quoted fields with delimiters, doubled quotes and line breaks,
     * non-ASCII and invalid bytes, short rows, long rows (bad), blank lines and an unclosed quote at the end.
     */
    private static byte[] randomFile(Random rnd, int rows, boolean latin1) {
        Charset cs = latin1 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("a,b,c,d,e\n".getBytes(cs));
        String[] values = {"1", "-2.5", "", "NA", "x", "\"q,q\"", "\"say \"\"hi\"\"\"", "\"two\nlines\"", "caf\u00e9",
                "2024-01-02", "True", "1e3", "00", "99999999999999999999", "  7 ", "\u00e9t\u00e9"};
        for (int r = 0; r < rows; r++) {
            int fields = rnd.nextInt(20) == 0 ? 1 + rnd.nextInt(7) : 5;
            for (int i = 0; i < fields; i++) {
                if (i > 0) {
                    out.write(',');
                }
                if (!latin1 && rnd.nextInt(50) == 0) {
                    out.write(0xC3); // a cut UTF-8 sequence
                    out.write('z');
                } else {
                    String v = i == 0 && rnd.nextBoolean() ? Integer.toString(rnd.nextInt(1000))
                            : values[rnd.nextInt(values.length)];
                    out.writeBytes(v.getBytes(cs));
                }
            }
            out.writeBytes(rnd.nextInt(30) == 0 ? "\r\n\n".getBytes(cs) : "\n".getBytes(cs));
        }
        out.writeBytes("1,2,\"open\n".getBytes(cs));
        return out.toByteArray();
    }
}
