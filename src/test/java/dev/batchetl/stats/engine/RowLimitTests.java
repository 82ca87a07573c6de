package dev.batchetl.stats.engine;

import static dev.batchetl.stats.engine.StatsTestSupport.col;
import static dev.batchetl.stats.engine.StatsTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A row is parsed whole in the reader's buffer: a row longer than
 * {@link CsvRangeReader#MAX_ROW} bytes (its line end included) fails the file, and the
 * buffer never grows past that. Long fields under the bound are read exactly.
 */
class RowLimitTests {

    private static final String TOO_LONG = "a row longer than 64 MiB (the limit of one row); the file is not analysed";

    @TempDir
    Path dir;

    @Test
    void aRowJustOverTheBoundFailsTheFileAndTheBufferStaysBounded() throws Exception {
        // "1," and 64 MiB - 2 bytes and LF: one byte too many
        Path f = dir.resolve("long.csv");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(f), 1 << 16)) {
            out.write("a,b\n0,ok\n1,".getBytes(StandardCharsets.US_ASCII));
            repeat(out, 'x', CsvRangeReader.MAX_ROW - 2);
            out.write("\n2,after\n".getBytes(StandardCharsets.US_ASCII));
        }
        assertFailsBounded(f, 3, "line 3: " + TOO_LONG);
        assertThatThrownBy(
                () -> StatsTestSupport.statsSplit(f, CsvOptions.defaults(), 16 << 20, new ArrayList<>(), false))
            .isInstanceOf(CsvFormatException.class)
            .hasMessage("line 3: " + TOO_LONG);
        assertThatThrownBy(() -> StatsTestSupport.stats(f, StatsTestSupport.withPolicy(BadRowPolicy.FAIL_FILE)))
            .isInstanceOf(CsvFormatException.class)
            .hasMessage("line 3: " + TOO_LONG);
    }

    @Test
    void aHugeLineWithoutALineEndFailsTheFileAfterTheBoundCompressedOrNot() throws Exception {
        // a decompressed gzip bomb: twice the bound of one line, in the body and as the
        // header
        for (boolean header : new boolean[] { false, true }) {
            Path f = dir.resolve("bomb-" + header + ".csv.gz");
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f), 1 << 16)) {
                if (!header) {
                    out.write("a,b\n".getBytes(StandardCharsets.US_ASCII));
                }
                repeat(out, 'x', 2 * CsvRangeReader.MAX_ROW);
            }
            String message = "line " + (header ? 1 : 2) + ": " + TOO_LONG;
            if (header) {
                assertThatThrownBy(() -> CsvHeader.read(f, CsvOptions.defaults()))
                    .isInstanceOf(CsvFormatException.class)
                    .hasMessage(message);
            }
            else {
                assertFailsBounded(f, 2, message);
            }
        }
    }

    @Test
    void aGzipBombFailsItsFileInASmallHeap() throws Exception {
        // a line of 256 MiB in a heap of 160 MB: the buffer grows from 32 MiB to the
        // bound, and no further
        Path f = dir.resolve("bomb.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f), 1 << 16)) {
            out.write("a,b\n".getBytes(StandardCharsets.US_ASCII));
            repeat(out, 'x', 4L * CsvRangeReader.MAX_ROW);
        }
        Path log = dir.resolve("probe.log");
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx160m", "-cp", System.getProperty("java.class.path"), MemoryProbe.class.getName(), f.toString()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(out).contains("CsvFormatException: line 2: " + TOO_LONG).doesNotContain("OutOfMemoryError");
    }

    @Test
    void aFourMegabyteFieldIsKeptWhole() throws Exception {
        // a plain 4 MiB field, the largest of its column; a quoted one of 4 MiB with
        // doubled quotes, line ends and
        // two-byte characters, the smallest of its column; read whole, split and resumed,
        // from a 16-byte buffer up
        char[] plain = new char[4 << 20];
        for (int i = 0; i < plain.length; i++) {
            plain[i] = (char) ('a' + i % 26);
        }
        plain[0] = 'y';
        plain[plain.length - 1] = '!';
        String big = new String(plain);
        StringBuilder quoted = new StringBuilder("say ");
        while (quoted.length() < 2 << 20) {
            quoted.append("\"caf\u00e9\"\r\n").append(quoted.length());
        }
        String text = quoted.toString();
        String csv = "p,q\nb," + "\"" + text.replace("\"", "\"\"") + "\"\n" + big + ",zz\nc,\"ya\"\n";
        Path f = write(dir, "fields.csv", csv);
        assertThat(Files.size(f)).isGreaterThan(6L << 20);
        FileStats whole = StatsTestSupport.stats(f);
        assertThat(whole.rows()).isEqualTo(3);
        ColumnStats p = col(whole, "p");
        assertThat(p.max()).isEqualTo(big);
        assertThat(p.maxLength()).isEqualTo(4 << 20);
        assertThat(p.min()).isEqualTo("b");
        ColumnStats q = col(whole, "q");
        assertThat(q.min()).isEqualTo(text);
        assertThat(q.maxLength()).isEqualTo(text.length());
        assertThat(q.max()).isEqualTo("zz");
        SplitResumeTests.assertSameStats(
                StatsTestSupport.statsAcc(f, CsvOptions.defaults(), new ArrayList<>(), 16).result(), whole);
        SplitResumeTests
            .assertSameStats(StatsTestSupport.statsSplit(f, CsvOptions.defaults(), 1 << 20, new ArrayList<>()), whole);
        SplitResumeTests.assertSameStats(
                StatsTestSupport.statsResumed(f, CsvOptions.defaults(), 1, 1 << 10, new ArrayList<>()), whole);
    }

    @Test
    void theBoundIsExactWhateverTheLineEndBufferOrPlaceOfTheRow() throws Exception {
        // with a bound of 64 bytes: rows of 63, 64 and 65 bytes, line end included, with
        // every line end (none at the
        // end of the file), quoted or not, after rows and blank lines that put them
        // anywhere in the buffer
        int limit = 64;
        for (String end : List.of("\n", "\r\n", "\r", "")) {
            for (int length = limit - 1; length <= limit + 1; length++) {
                for (boolean quoted : new boolean[] { false, true }) {
                    for (String before : List.of("", "1,x\n", "\n\n \t\n", "1,x\n\r\n22,yy\r",
                            "1," + "z".repeat(40) + "\n")) {
                        String row = quoted ? "\"q" : "";
                        row += "v".repeat(length - end.length() - row.length() - (quoted ? 3 : 2));
                        row += (quoted ? "\"" : "") + ",w" + end;
                        assertThat(row).hasSize(length);
                        String csv = "a,b\n" + before + row + (end.isEmpty() ? "" : "3,after\n");
                        Path f = write(dir, "bound.csv", csv);
                        long line = 2 + before.chars().filter(c -> c == '\n').count()
                                + before.replace("\r\n", "\n").chars().filter(c -> c == '\r').count();
                        String what = (quoted ? "quoted " : "") + "row of " + length + " ending "
                                + end.replace("\r", "CR").replace("\n", "LF") + " after " + before.length() + " bytes";
                        for (int buffer : new int[] { 16, 17, 30, limit }) {
                            if (length <= limit) { // as without the bound
                                assertThat(read(f, buffer, limit).toBytes()).as(what + ", buffer " + buffer)
                                    .isEqualTo(read(f, 1 << 20, CsvRangeReader.MAX_ROW).toBytes());
                            }
                            else {
                                assertThatThrownBy(() -> read(f, buffer, limit)).as(what + ", buffer " + buffer)
                                    .isInstanceOf(CsvFormatException.class)
                                    .hasMessage("line " + line + ": a row longer than 64 bytes (the limit of one "
                                            + "row); the file is not analysed");
                            }
                        }
                    }
                }
            }
        }
    }

    /** The whole file read with the given buffer and row bound. */
    private static FileAccumulator read(Path f, int buffer, int maxRow) throws IOException {
        CsvHeader h = CsvHeader.read(f, CsvOptions.defaults());
        FileAccumulator acc = new FileAccumulator(h.names());
        try (CsvRangeReader r = CsvRangeReader.open(f, CsvOptions.defaults(), h.names().size(),
                new ByteRange(h.dataStart(), Long.MAX_VALUE, h.dataStartLine()),
                ReaderTuning.DEFAULT.withBuffer(buffer).withBatch(CsvRangeReader.DEFAULT_BATCH).withMaxRow(maxRow))) {
            while (r.read(acc, 5, null) > 0) {
                assertThat(r.bufferLength()).isLessThanOrEqualTo(maxRow + 1);
            }
        }
        return acc;
    }

    /** Fails at the given line, the buffer at most the bound and one byte. */
    private static void assertFailsBounded(Path f, long line, String message) throws IOException {
        CsvHeader h = CsvHeader.read(f, CsvOptions.defaults());
        try (CsvRangeReader r = CsvRangeReader.open(f, CsvOptions.defaults(), h.names().size(),
                new ByteRange(h.dataStart(), Long.MAX_VALUE, h.dataStartLine()))) {
            FileAccumulator acc = new FileAccumulator(h.names());
            assertThatThrownBy(() -> {
                while (r.read(acc, 1000, null) > 0) {
                    // keep reading
                }
            }).isInstanceOf(CsvFormatException.class)
                .hasMessage(message)
                .satisfies(e -> assertThat(((CsvFormatException) e).line()).isEqualTo(line));
            assertThat(r.bufferLength()).isLessThanOrEqualTo(CsvRangeReader.MAX_ROW + 1);
        }
    }

    private static void repeat(OutputStream out, char c, long count) throws IOException {
        byte[] block = new byte[1 << 16];
        Arrays.fill(block, (byte) c);
        for (long left = count; left > 0; left -= block.length) {
            out.write(block, 0, (int) Math.min(block.length, left));
        }
    }

}
