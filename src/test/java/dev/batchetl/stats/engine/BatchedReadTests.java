package dev.batchetl.stats.engine;

import static dev.batchetl.stats.engine.StatsTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader stages records and accumulates them a column at a time. Whatever the batch
 * size, buffer size and read sizes, the checkpoint bytes (every statistic, in the order
 * its values arrived) and the bad rows equal those of accumulating one record at a time.
 */
class BatchedReadTests {

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
            byte[] one = read(f, options, 1 << 20, 1, 1000, false, oneBad);
            assertThat(FileAccumulator.fromBytes(one).rows).as("rows of file " + file).isGreaterThan(250);
            for (int batch : new int[] { 2, 3, 64, CsvRangeReader.DEFAULT_BATCH, 5000 }) {
                for (int buffer : new int[] { 16, 100, 1 << 20 }) {
                    for (int every : new int[] { 1, 7, 1000 }) {
                        List<BadRow> bad = new ArrayList<>();
                        String what = "file " + file + ", batch " + batch + ", buffer " + buffer + ", every " + every;
                        assertSameRead(what, read(f, options, buffer, batch, every, true, bad), bad, one, oneBad);
                    }
                }
            }
        }
    }

    @Test
    void endOfFileInsideAQuoteFailsTheFileWhateverTheBatchBufferAndReadSize() throws Exception {
        Random rnd = new Random(17);
        for (int file = 0; file < 4; file++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(randomFile(rnd, 300 + rnd.nextInt(300), false));
            out.writeBytes("\n1,2,\"open\n\nstill open, \"\"quoted\"\"\r\n".getBytes(StandardCharsets.UTF_8));
            byte[] bytes = out.toByteArray();
            Path f = write(dir, "e" + file + ".csv", bytes);
            long lines = 1;
            for (int i = 0; i < bytes.length; i++) {
                lines += bytes[i] == '\n' || (bytes[i] == '\r' && (i + 1 == bytes.length || bytes[i + 1] != '\n')) ? 1
                        : 0;
            }
            String message = "line " + (lines - 3) + ": " + CsvRangeReader.EOF_IN_QUOTE;
            // skipping the bad rows before it: the end of the file inside the quote fails
            // the file all the same
            CsvOptions options = CsvOptions.defaults().withInvalidBytes(InvalidBytePolicy.REPLACE);
            for (int batch : new int[] { 1, 3, CsvRangeReader.DEFAULT_BATCH }) {
                for (int buffer : new int[] { 16, 100, 1 << 20 }) {
                    for (int every : new int[] { 1, 1000 }) {
                        String what = "file " + file + ", batch " + batch + ", buffer " + buffer + ", every " + every;
                        assertThatThrownBy(() -> read(f, options, buffer, batch, every, true, new ArrayList<>()))
                            .as(what)
                            .isInstanceOf(CsvFormatException.class)
                            .hasMessage(message);
                    }
                }
            }
        }
    }

    @Test
    void anInvalidByteOfASingleByteEncodingIsNamedAtItsLineWhateverTheBatch() throws Exception {
        // fields of non-UTF-8 files are transcoded when their batch is accumulated, after
        // the batch was parsed
        Charset cp1252 = Charset.forName("windows-1252");
        CsvOptions strict = new CsvOptions(',', '"', null, true, cp1252, CsvOptions.defaults().naValues(),
                BadRowPolicy.SKIP);
        CsvOptions replace = strict.withInvalidBytes(InvalidBytePolicy.REPLACE);
        // 0x81 is undefined in windows-1252, 0xE9 is an e acute
        Path small = write(dir, "small.csv", new byte[] { 'a', ',', 'b', '\n', '1', ',', 'x', '\n', '2', ',',
                (byte) 0x81, '\n', '3', ',', 'y', '\n', '4', ',', 'z', '\n', '5', ',', (byte) 0xE9, '\n' });
        assertThatThrownBy(() -> StatsTestSupport.stats(small, strict)).isInstanceOf(CsvFormatException.class)
            .hasMessage("line 3: invalid windows-1252 byte sequence");
        assertThat(StatsTestSupport.stats(small, replace).invalidBytes()).isEqualTo(1);
        // a thousand rows, the byte in a later batch: in a plain field, on the second
        // line of a quoted one, in one
        // with doubled quotes (decoded from its unescaped copy); after quoted line ends,
        // CRLF, blank and bad rows
        for (int kind = 0; kind < 3; kind++) {
            long[] line = new long[1];
            byte[] bytes = cp1252File(1000, Set.of(800 + kind), line);
            Path f = write(dir, "cp1252-" + kind + ".csv", bytes);
            String message = "line " + line[0] + ": invalid windows-1252 byte sequence";
            assertThat(line[0]).isGreaterThan(1000);
            for (int batch : new int[] { 1, 7, CsvRangeReader.DEFAULT_BATCH, 5000 }) {
                for (int buffer : new int[] { 16, 100, 1 << 20 }) {
                    for (int every : new int[] { 3, 1000 }) {
                        String what = "kind " + kind + ", batch " + batch + ", buffer " + buffer + ", every " + every;
                        assertThatThrownBy(() -> read(f, strict, buffer, batch, every, true, new ArrayList<>()))
                            .as(what)
                            .isInstanceOf(CsvFormatException.class)
                            .hasMessage(message);
                    }
                }
            }
            for (boolean lineNumbers : new boolean[] { true, false }) {
                assertThatThrownBy(() -> StatsTestSupport.statsSplit(f, strict, 500, new ArrayList<>(), lineNumbers))
                    .isInstanceOf(CsvFormatException.class)
                    .hasMessage(message);
            }
            assertThatThrownBy(() -> StatsTestSupport.statsResumed(f, strict, 33, 64, new ArrayList<>()))
                .isInstanceOf(CsvFormatException.class)
                .hasMessage(message);
        }
        // replaced: every one counted, whatever the batch, buffer, split or resumption
        Path f = write(dir, "cp1252-replaced.csv",
                cp1252File(1000, Set.of(0, 1, 2, 255, 257, 258, 600, 998, 999), new long[1]));
        byte[] expected = read(f, replace, 1 << 20, 1, 1000, false, new ArrayList<>());
        assertThat(FileAccumulator.fromBytes(expected).invalidBytes()).isEqualTo(9);
        for (int batch : new int[] { 7, CsvRangeReader.DEFAULT_BATCH }) {
            for (int buffer : new int[] { 16, 1 << 20 }) {
                List<BadRow> bad = new ArrayList<>();
                assertThat(read(f, replace, buffer, batch, 33, true, bad)).isEqualTo(expected);
                assertThat(bad).hasSize(111); // rows 4, 13, ..., 994
            }
        }
        FileStats whole = FileAccumulator.fromBytes(expected).result();
        SplitResumeTests.assertSameStats(StatsTestSupport.statsSplit(f, replace, 500, new ArrayList<>(), false), whole);
        SplitResumeTests.assertSameStats(StatsTestSupport.statsResumed(f, replace, 33, 64, new ArrayList<>()), whole);
        assertThat(whole.columnStats().get(1).max()).isEqualTo("two\r\nlines \u00e9\uFFFD");
    }

    /**
     * Rows id,text,n in windows-1252: texts with an e acute, plain, quoted over two lines
     * (CRLF) or with doubled quotes, as row % 3 says; every ninth row has a field too
     * many (bad), every eleventh a blank line before it. The rows in {@code bad} hold the
     * undefined byte 0x81 in their text; {@code line[0]} is the line of the last one.
     */
    private static byte[] cp1252File(int rows, Set<Integer> bad, long[] line) {
        Charset cp1252 = Charset.forName("windows-1252");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("id,text,n\n".getBytes(cp1252));
        long at = 2;
        for (int r = 0; r < rows; r++) {
            if (r % 11 == 10) {
                out.write('\n');
                at++;
            }
            String[] text = switch (r % 3) { // before and after the place of the
                                             // undefined byte
                case 0 -> new String[] { "caf\u00e9", "" };
                case 1 -> new String[] { "\"two\r\nlines \u00e9", "\"" };
                default -> new String[] { "\"say \"\"\u00e9", "\"\"\"" };
            };
            out.writeBytes((r + "," + text[0]).getBytes(cp1252));
            if (bad.contains(r)) {
                out.write(0x81);
                line[0] = at + (r % 3 == 1 ? 1 : 0);
            }
            out.writeBytes((text[1] + "," + r + (r % 9 == 4 ? ",extra" : "") + "\n").getBytes(cp1252));
            at += r % 3 == 1 ? 2 : 1;
        }
        return out.toByteArray();
    }

    @Test
    void numericColumnsTakeTheirFastPathWithTheEffectOfTheGeneralOne() throws Exception {
        Random rnd = new Random(11);
        for (int file = 0; file < 8; file++) {
            Path f = write(dir, "n" + file + ".csv", numericFile(rnd, 2000 + rnd.nextInt(3000)));
            // the pandas NA values, none of them a number; and a set with numbers,
            // checked before parsing
            CsvOptions options = file % 2 == 0 ? CsvOptions.defaults()
                    : CsvOptions.defaults().withNaValues(java.util.Set.of("-999", "99.5", "NA", ""));
            assertThat(new NaMatcher(options.naValues()).anyPlainDecimal()).isEqualTo(file % 2 == 1);
            List<BadRow> generalBad = new ArrayList<>();
            byte[] general = read(f, options, 1 << 20, CsvRangeReader.DEFAULT_BATCH, 1000, false, generalBad);
            FileStats expected = FileAccumulator.fromBytes(general).result();
            assertThat(expected.columnStats().get(1).type()).isEqualTo(ColumnType.FLOAT);
            assertThat(expected.columnStats().get(3).type()).isEqualTo(ColumnType.TEXT);
            for (int batch : new int[] { 1, 5, CsvRangeReader.DEFAULT_BATCH }) {
                for (int buffer : new int[] { 64, 1 << 20 }) {
                    List<BadRow> bad = new ArrayList<>();
                    String what = "file " + file + ", batch " + batch + ", buffer " + buffer;
                    assertSameRead(what, read(f, options, buffer, batch, 333, true, bad), bad, general, generalBad);
                }
            }
        }
    }

    @Test
    void plainFieldsFoundEightBytesAtATimeAreTheGeneralLoopsFields() throws Exception {
        // random bytes over delimiters (often several in eight bytes), quotes, line ends,
        // spaces, non-ASCII and an
        // escape character, with and without escaping; every field and bad row as the
        // general loop finds them
        Random rnd = new Random(5);
        String alphabet = "ab12,,,,\"\"\n\r .-\\\u00e9";
        CsvOptions plain = CsvOptions.defaults().withInvalidBytes(InvalidBytePolicy.REPLACE);
        CsvOptions escaped = new CsvOptions(',', '"', '\\', true, StandardCharsets.UTF_8, plain.naValues(),
                plain.badRows(), plain.invalidBytes());
        String[] fields = { "x", "12.5", "", "\"\"", "\"q\"", "\"a,b\"", "\"long quoted text\"", "\"say \"\"hi\"\"\"",
                "\"two\nlines\"", "\"ab\"c", "\"caf\u00e9\"", "\"\\\"x\"", "a\"b", "\"open", "NA", "\"\r\"" };
        for (int file = 0; file < 300; file++) {
            StringBuilder csv = new StringBuilder("a,b,c,d\n");
            if (file % 2 == 0) { // random bytes
                int n = 50 + rnd.nextInt(400);
                for (int i = 0; i < n; i++) {
                    csv.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
                }
            }
            else { // rows of whole fields, quoted ones of every kind among them
                for (int row = 20 + rnd.nextInt(40); row > 0; row--) {
                    for (int i = 3 + rnd.nextInt(3); i > 0; i--) {
                        csv.append(fields[rnd.nextInt(fields.length)])
                            .append(i > 1 ? "," : rnd.nextBoolean() ? "\n" : "\r\n");
                    }
                }
            }
            byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
            if (file % 3 == 0) { // cut sequences: invalid bytes, replaced and counted
                for (int i = 0; i < bytes.length; i++) {
                    if (bytes[i] == (byte) 0xA9) {
                        bytes[i] = 'z';
                    }
                }
            }
            CsvOptions latin1 = new CsvOptions(',', '"', null, true, StandardCharsets.ISO_8859_1, plain.naValues(),
                    plain.badRows(), plain.invalidBytes());
            // as it is, and when a quoted field is left open at its end (a file error),
            // with a quote after it too
            List<byte[]> contents = new ArrayList<>(List.of(bytes));
            for (int k = 0; k < contents.size(); k++) {
                byte[] content = contents.get(k);
                Path f = write(dir, "p" + file + ".csv", content);
                for (CsvOptions options : List.of(plain, escaped, latin1)) {
                    List<BadRow> generalBad = new ArrayList<>();
                    Object general = readOrError(f, options, 1 << 20, 1, 1000, false, false, generalBad);
                    for (int buffer : new int[] { 16, 40, 1 << 20 }) {
                        List<BadRow> bad = new ArrayList<>();
                        String what = new String(content, StandardCharsets.UTF_8) + "\nescape " + options.escape()
                                + ", buffer " + buffer;
                        Object fast = readOrError(f, options, buffer, 7, 3, true, true, bad);
                        if (general instanceof byte[] expected) {
                            assertThat(fast).as(what).isInstanceOf(byte[].class);
                            assertSameRead(what, (byte[]) fast, bad, expected, generalBad);
                        }
                        else {
                            assertThat(fast).as(what).isEqualTo(general);
                            assertThat(bad).as(what).isEqualTo(generalBad);
                            if (content == bytes && contents.size() == 1) {
                                byte[] closed = Arrays.copyOf(bytes, bytes.length + 1);
                                closed[bytes.length] = '"';
                                contents.add(closed);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void nonAsciiFieldsLeaveTheOtherFieldsOfTheirRowOnTheFastPaths() throws Exception {
        // 70 columns: every seventh a text with non-ASCII characters in some rows (one of
        // them past the 64th), the
        // others numbers; in UTF-8 and in Latin-1
        Random rnd = new Random(13);
        String[] words = { "caf\u00e9", "Stra\u00dfe", "na\u00efve", "plain", "\u00e0\u00e9\u00ee\u00f5\u00fc" };
        for (java.nio.charset.Charset cs : List.of(StandardCharsets.UTF_8, StandardCharsets.ISO_8859_1)) {
            StringBuilder csv = new StringBuilder();
            for (int i = 0; i < 70; i++) {
                csv.append(i > 0 ? "," : "").append("c").append(i);
            }
            csv.append('\n');
            int[] minCodePoints = new int[70];
            int[] maxCodePoints = new int[70];
            java.util.Arrays.fill(minCodePoints, Integer.MAX_VALUE);
            for (int row = 0; row < 1500; row++) {
                for (int i = 0; i < 70; i++) {
                    String v = i % 7 == 3 ? words[rnd.nextInt(words.length)]
                            : Integer.toString(rnd.nextInt(2000) - 1000);
                    csv.append(i > 0 ? "," : "").append(v);
                    minCodePoints[i] = Math.min(minCodePoints[i], v.codePointCount(0, v.length()));
                    maxCodePoints[i] = Math.max(maxCodePoints[i], v.codePointCount(0, v.length()));
                }
                csv.append('\n');
            }
            Path f = write(dir, "wide-" + cs.name() + ".csv", csv.toString().getBytes(cs));
            CsvOptions options = new CsvOptions(',', '"', null, true, cs, CsvOptions.defaults().naValues(),
                    BadRowPolicy.SKIP);
            List<BadRow> generalBad = new ArrayList<>();
            byte[] general = read(f, options, 1 << 20, 1, 1000, false, false, generalBad);
            List<BadRow> bad = new ArrayList<>();
            byte[] fast = read(f, options, 1 << 20, CsvRangeReader.DEFAULT_BATCH, 1000, true, true, bad);
            assertSameRead(cs.name(), fast, bad, general, generalBad);
            FileStats stats = FileAccumulator.fromBytes(fast).result();
            for (int i = 0; i < 70; i++) {
                ColumnStats c = stats.columnStats().get(i);
                assertThat(c.type()).as(c.name()).isEqualTo(i % 7 == 3 ? ColumnType.TEXT : ColumnType.INTEGER);
                assertThat(c.minLength()).as(c.name() + " min length").isEqualTo(minCodePoints[i]);
                assertThat(c.maxLength()).as(c.name() + " max length").isEqualTo(maxCodePoints[i]);
            }
            assertThat(stats.columnStats().get(66).max()).isEqualTo("\u00e0\u00e9\u00ee\u00f5\u00fc");
        }
    }

    /**
     * The same statistics, checkpoint bytes (every statistic in the order its values
     * came) and bad rows.
     */
    private static void assertSameRead(String what, byte[] actual, List<BadRow> actualBad, byte[] expected,
            List<BadRow> expectedBad) {
        assertThat(FileAccumulator.fromBytes(actual).result()).as(what)
            .isEqualTo(FileAccumulator.fromBytes(expected).result());
        assertThat(Arrays.equals(actual, expected)).as(what + ": checkpoint bytes").isTrue();
        assertThat(actualBad).as(what).isEqualTo(expectedBad);
    }

    private static byte[] read(Path f, CsvOptions options, int buffer, int batch, int every, boolean numbersPath,
            List<BadRow> bad) throws Exception {
        return read(f, options, buffer, batch, every, numbersPath, true, bad);
    }

    /**
     * The checkpoint bytes of the read, or the message of the file error it ends with.
     */
    private static Object readOrError(Path f, CsvOptions options, int buffer, int batch, int every, boolean numbersPath,
            boolean fieldsPath, List<BadRow> bad) throws Exception {
        try {
            return read(f, options, buffer, batch, every, numbersPath, fieldsPath, bad);
        }
        catch (CsvFormatException e) {
            return e.getMessage();
        }
    }

    private static byte[] read(Path f, CsvOptions options, int buffer, int batch, int every, boolean numbersPath,
            boolean fieldsPath, List<BadRow> bad) throws Exception {
        CsvHeader h = CsvHeader.read(f, options);
        FileAccumulator acc = new FileAccumulator(h.names());
        try (CsvRangeReader r = CsvRangeReader.open(f, options, h.names().size(),
                new ByteRange(h.dataStart(), Long.MAX_VALUE, h.dataStartLine()),
                ReaderTuning.DEFAULT.withBuffer(buffer)
                    .withBatch(batch)
                    .withNumbersPath(numbersPath)
                    .withFieldsPath(fieldsPath))) {
            while (r.read(acc, every, bad::add) > 0) {
                // keep reading
            }
        }
        return acc.toBytes();
    }

    /**
     * Numeric columns: an id; floats with empty cells and NA values, of every length,
     * canonical or not ("1.50", "+3", "007", "1e3", ".5"); integers of up to 18 digits
     * whose sum leaves the long range, with short ones between them; numbers that become
     * text in the middle; quoted and padded numbers; now and then a short row.
     */
    private static byte[] numericFile(Random rnd, int rows) {
        StringBuilder sb = new StringBuilder("id,x,big,late,mixed\n");
        String[] odd = { "1.50", "+3", "007", "1e3", ".5", "-0", "0.0", "\"42\"", " 8 ", "NA", "", "nan", "-1.#IND",
                "99999999999999999999", "True", "2024-01-02", "-999", "99.5", "-12345.678901", "1234567890123" };
        for (int r = 0; r < rows; r++) {
            sb.append(r).append(',');
            if (rnd.nextInt(20) == 0) {
                sb.append(rnd.nextBoolean() ? "" : rnd.nextBoolean() ? "NA" : "-999");
            }
            else {
                sb.append(rnd.nextInt(20_000) - 10_000).append('.').append(rnd.nextInt(100));
            }
            sb.append(',')
                .append(rnd.nextInt(10) == 0 ? Long.toString(900_000_000_000_000_000L + rnd.nextInt(1000))
                        : Integer.toString(rnd.nextInt(100_000_000) - 50_000_000));
            if (rnd.nextInt(15) == 0 && r != rows / 2) {
                sb.append('\n');
                continue; // a short row: the last two fields are missing
            }
            sb.append(',').append(r == rows / 2 ? "text" : Double.toString(rnd.nextGaussian() * 1e3));
            sb.append(',')
                .append(rnd.nextInt(4) == 0 ? odd[rnd.nextInt(odd.length)] : Integer.toString(rnd.nextInt(99)));
            sb.append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Rows of 5 columns mixing numbers, NA values, quoted fields with delimiters, doubled
     * quotes and line breaks, non-ASCII and invalid bytes, short rows, long rows (bad),
     * blank lines and a quoted field closed by the last byte of the file.
     */
    private static byte[] randomFile(Random rnd, int rows, boolean latin1) {
        Charset cs = latin1 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("a,b,c,d,e\n".getBytes(cs));
        String[] values = { "1", "-2.5", "", "NA", "x", "\"q,q\"", "\"say \"\"hi\"\"\"", "\"two\nlines\"", "caf\u00e9",
                "2024-01-02", "True", "1e3", "00", "99999999999999999999", "  7 ", "\u00e9t\u00e9" };
        for (int r = 0; r < rows; r++) {
            int fields = rnd.nextInt(20) == 0 ? 1 + rnd.nextInt(7) : 5;
            for (int i = 0; i < fields; i++) {
                if (i > 0) {
                    out.write(',');
                }
                if (!latin1 && rnd.nextInt(50) == 0) {
                    out.write(0xC3); // a cut UTF-8 sequence
                    out.write('z');
                }
                else {
                    String v = i == 0 && rnd.nextBoolean() ? Integer.toString(rnd.nextInt(1000))
                            : values[rnd.nextInt(values.length)];
                    out.writeBytes(v.getBytes(cs));
                }
            }
            out.writeBytes(rnd.nextInt(30) == 0 ? "\r\n\n".getBytes(cs) : "\n".getBytes(cs));
        }
        out.writeBytes("1,2,\"closed\nby the last byte\"".getBytes(cs));
        return out.toByteArray();
    }

}
