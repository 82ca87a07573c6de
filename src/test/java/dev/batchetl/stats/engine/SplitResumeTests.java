package dev.batchetl.stats.engine;

import static dev.batchetl.stats.engine.StatsTestSupport.fmt;
import static dev.batchetl.stats.engine.StatsTestSupport.stats;
import static dev.batchetl.stats.engine.StatsTestSupport.statsAcc;
import static dev.batchetl.stats.engine.StatsTestSupport.statsResumed;
import static dev.batchetl.stats.engine.StatsTestSupport.statsSplit;
import static dev.batchetl.stats.engine.StatsTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SplitResumeTests {

    @TempDir
    Path dir;

    /**
     * A nasty file: quoted fields with embedded LF/CRLF/CR, doubled quotes, multi-byte
     * text, mixed line ends.
     */
    static String nastyCsv(int rows, long seed, boolean withBadRows) {
        return nastyCsv(rows, seed, withBadRows, new NastyTotals());
    }

    /**
     * What {@link #nastyCsv} wrote, counted as it writes it: the expected figures of the
     * whole file, not read back by the engine.
     */
    static final class NastyTotals {

        long rows;

        long badRows;

        long idSum;

        long trues;

        void assertMatch(FileStats stats) {
            assertThat(stats.rows()).as("rows").isEqualTo(this.rows);
            assertThat(stats.badRows()).as("bad rows").isEqualTo(this.badRows);
            ColumnStats id = stats.columnStats().get(0);
            assertThat(id.type()).isEqualTo(ColumnType.INTEGER);
            assertThat(id.count()).isEqualTo(this.rows);
            assertThat(id.sum()).isEqualTo(Long.toString(this.idSum));
            ColumnStats flag = stats.columnStats().get(3);
            assertThat(flag.type()).isEqualTo(ColumnType.BOOLEAN);
            assertThat(flag.count()).isEqualTo(this.rows);
            assertThat(flag.sum()).isEqualTo(Long.toString(this.trues));
        }

    }

    static String nastyCsv(int rows, long seed, boolean withBadRows, NastyTotals totals) {
        Random rnd = new Random(seed);
        String[] ends = { "\n", "\r\n", "\r" };
        StringBuilder sb = new StringBuilder("id,x,note,flag,word\r\n");
        for (int i = 0; i < rows; i++) {
            String end = ends[rnd.nextInt(3)];
            if (rnd.nextInt(20) == 0) {
                sb.append(end); // blank line
            }
            if (withBadRows && rnd.nextInt(25) == 0) {
                sb.append(i).append(",1,2,3,4,5").append(end);
                totals.badRows++;
                continue;
            }
            totals.rows++;
            totals.idSum += i;
            sb.append(i).append(',');
            int kind = rnd.nextInt(10);
            if (kind == 0) {
                sb.append("");
            }
            else if (kind == 1) {
                sb.append("\"").append(rnd.nextInt(100)).append("\"");
            }
            else {
                sb.append(rnd.nextInt(2000) - 1000).append('.').append(rnd.nextInt(1000));
            }
            sb.append(',');
            switch (rnd.nextInt(6)) {
                case 0:
                    sb.append("\"multi\nline\r\nnote ").append(i).append(",\rend\"");
                    break;
                case 1:
                    sb.append("\"say \"\"").append(i).append("\"\" ok\"");
                    break;
                case 2:
                    sb.append("caf\u00e9 \u20ac").append(i).append(" \uD83D\uDE00");
                    break;
                case 3:
                    sb.append("\"\"");
                    break;
                default:
                    sb.append("plain").append(rnd.nextInt(50));
            }
            boolean flag = rnd.nextBoolean();
            totals.trues += flag ? 1 : 0;
            sb.append(',').append(flag ? "True" : "false");
            if (rnd.nextInt(7) != 0) { // sometimes a short row
                sb.append(',').append("\u00e9\u00e8".repeat(rnd.nextInt(3))).append((char) ('a' + rnd.nextInt(26)));
            }
            sb.append(end);
        }
        return sb.toString();
    }

    static void assertSameStats(FileStats actual, FileStats expected) {
        assertThat(actual.rows()).isEqualTo(expected.rows());
        assertThat(actual.badRows()).isEqualTo(expected.badRows());
        assertThat(actual.columns()).isEqualTo(expected.columns());
        for (int i = 0; i < expected.columns(); i++) {
            ColumnStats a = actual.columnStats().get(i);
            ColumnStats e = expected.columnStats().get(i);
            assertThat(a.name()).isEqualTo(e.name());
            assertThat(a.type()).as(e.name()).isEqualTo(e.type());
            assertThat(a.count()).as(e.name()).isEqualTo(e.count());
            assertThat(a.nulls()).as(e.name()).isEqualTo(e.nulls());
            assertThat(a.min()).as(e.name()).isEqualTo(e.min());
            assertThat(a.max()).as(e.name()).isEqualTo(e.max());
            assertThat(a.minLength()).as(e.name()).isEqualTo(e.minLength());
            assertThat(a.maxLength()).as(e.name()).isEqualTo(e.maxLength());
            assertClose(fmt(a.mean()), fmt(e.mean()), e.name() + " mean");
            assertClose(fmt(a.variance()), fmt(e.variance()), e.name() + " variance");
            assertClose(fmt(a.std()), fmt(e.std()), e.name() + " std");
            assertClose(a.sum(), e.sum(), e.name() + " sum");
            // distinct counts and quartiles, exact or estimated, depend only on the
            // values: they are identical
            assertThat(a.distinct()).as(e.name() + " distinct").isEqualTo(e.distinct());
            assertThat(a.distinctExact()).as(e.name()).isEqualTo(e.distinctExact());
            assertThat(
                    List.of(String.valueOf(fmt(a.q1())), String.valueOf(fmt(a.median())), String.valueOf(fmt(a.q3()))))
                .as(e.name() + " quartiles")
                .isEqualTo(List.of(String.valueOf(fmt(e.q1())), String.valueOf(fmt(e.median())),
                        String.valueOf(fmt(e.q3()))));
            assertThat(a.quantilesExact()).as(e.name()).isEqualTo(e.quantilesExact());
        }
        assertThat(actual.invalidBytes()).isEqualTo(expected.invalidBytes());
    }

    /** The same statistics, or the same file error. */
    static void assertSameOutcome(Callable<FileStats> actual, Callable<FileStats> expected) throws Exception {
        FileStats e;
        try {
            e = expected.call();
        }
        catch (CsvFormatException error) {
            assertThatThrownBy(actual::call).isInstanceOf(CsvFormatException.class).hasMessage(error.getMessage());
            return;
        }
        assertSameStats(actual.call(), e);
    }

    static void assertClose(String a, String e, String what) {
        if (e == null || a == null) {
            assertThat(a).as(what).isEqualTo(e);
            return;
        }
        double x = Double.parseDouble(a);
        double y = Double.parseDouble(e);
        if (x != y) {
            assertThat(Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y))).as(what + ": " + a + " vs " + e)
                .isLessThanOrEqualTo(1e-12);
        }
    }

    @Test
    void splitAndResumedReadsEqualTheWholeFile() throws Exception {
        NastyTotals written = new NastyTotals();
        Path f = write(dir, "nasty.csv", nastyCsv(600, 7, true, written));
        List<BadRow> wholeBad = new ArrayList<>();
        FileStats whole = stats(f, CsvOptions.defaults(), wholeBad);
        assertThat(written.rows).isGreaterThan(500);
        assertThat(written.badRows).isGreaterThan(5);
        written.assertMatch(whole);
        assertThat(wholeBad).hasSize((int) written.badRows)
            .allSatisfy(b -> assertThat(b.reason()).isEqualTo("expected 5 fields, saw 6"));
        assertThat(whole.columnStats().get(2).maxLength()).isGreaterThan(20);

        for (long splitSize : new long[] { 1, 5, 64, 1000, 1 << 20 }) {
            for (boolean lineNumbers : new boolean[] { true, false }) {
                List<BadRow> bad = new ArrayList<>();
                assertSameStats(statsSplit(f, CsvOptions.defaults(), splitSize, bad, lineNumbers), whole);
                assertThat(bad).as("split " + splitSize + ", line numbers " + lineNumbers).isEqualTo(wholeBad);
            }
        }
        for (int every : new int[] { 1, 3, 17, 1000 }) {
            for (int buffer : new int[] { 16, 100, CsvRangeReader.DEFAULT_BUFFER }) {
                List<BadRow> bad = new ArrayList<>();
                assertSameStats(statsResumed(f, CsvOptions.defaults(), every, buffer, bad), whole);
                assertThat(bad).as("resume every " + every + ", buffer " + buffer).isEqualTo(wholeBad);
            }
        }
        for (int buffer : new int[] { 16, 33, 4096 }) {
            List<BadRow> bad = new ArrayList<>();
            assertSameStats(statsAcc(f, CsvOptions.defaults(), bad, buffer).result(), whole);
            assertThat(bad).isEqualTo(wholeBad);
        }
    }

    @Test
    void fastScanFindsTheSameBoundariesAsTheTokenizer() throws Exception {
        String csv = nastyCsv(400, 5, true) + "1,2,x\"y\"z,True,a\n" // quotes inside an
                                                                     // unquoted field are
                                                                     // literal
                + "2,3,\"a\"b\"\nc,True,b\n" // text after a closing quote: the next quote
                                             // is literal too
                + "3,4,\"\"\"\"\"\",True,\"\r\"\r\n" + "4,5,\"\n\",\"\r\n\",c";
        Path f = write(dir, "s.csv", csv);
        CsvHeader h = CsvHeader.read(f, CsvOptions.defaults());
        for (long splitSize : new long[] { 1, 2, 10, 100, 1000, 100_000 }) {
            List<ByteRange> expected = CsvSplitter.tokenizerSplit(f, CsvOptions.defaults(), splitSize, h);
            for (int buffer : new int[] { 4, 5, 13, 64, CsvRangeReader.DEFAULT_BUFFER }) {
                assertThat(CsvSplitter.scanSplit(f, CsvOptions.defaults(), splitSize, h, buffer))
                    .as("split size " + splitSize + ", buffer " + buffer)
                    .isEqualTo(expected);
            }
        }
        assertSameStats(statsSplit(f, CsvOptions.defaults(), 1, new ArrayList<>()), stats(f));
    }

    @Test
    void cutsDecidedLocallyAreTrueRowBoundariesWithTheirLineNumbers() throws Exception {
        // every offset is a target with split size 1: cuts near doubled quotes, quoted
        // line ends, CRLF, blank lines
        String csv = nastyCsv(300, 11, true) + "1,2,x\"y\"z,True,a\n" + "2,3,\"a\"b\"\nc,True,b\n"
                + "3,4,\"\"\"\"\"\",True,\"\r\"\r\n" + "\"\"\"\",\"\"\"\n\"\"\"\"\r\n\r\n\n"
                + "4,5,\"\n\",\"\r\n\",c\n\n\r\n" + "\"\n"; // closes the quoted field the
                                                            // row before opens (",c and
                                                            // the line ends after it)
        Path f = write(dir, "cuts.csv", csv);
        CsvHeader h = CsvHeader.read(f, CsvOptions.defaults());
        // the tokenizer, one range per row: every true boundary and the line it starts
        Map<Long, Long> lineAt = new HashMap<>();
        byte[] bytes = Files.readAllBytes(f);
        for (ByteRange r : CsvSplitter.tokenizerSplit(f, CsvOptions.defaults(), 1, h)) {
            assertThat(r.firstLine()).as("line at " + r.start()).isEqualTo(linesBefore(bytes, r.start()));
            lineAt.put(r.start(), r.firstLine());
        }
        for (long splitSize : new long[] { 1, 2, 3, 7, 50, 1000 }) {
            List<ByteRange> ranges = CsvSplitter.parallelSplit(f, CsvOptions.defaults(), splitSize, h);
            assertThat(ranges).as("decided locally, split size " + splitSize).isNotNull();
            assertThat(ranges.get(0).start()).isEqualTo(h.dataStart());
            assertThat(ranges.get(ranges.size() - 1).end()).isEqualTo(Long.MAX_VALUE);
            for (int i = 0; i < ranges.size(); i++) {
                ByteRange r = ranges.get(i);
                assertThat(lineAt).as("split size " + splitSize + ": a cut at " + r.start())
                    .containsEntry(r.start(), r.firstLine());
                if (i > 0) {
                    assertThat(ranges.get(i - 1).end()).isEqualTo(r.start());
                }
            }
            if (splitSize <= 50) {
                assertThat(ranges).hasSizeGreaterThan(lineAt.size() / (int) (10 * splitSize));
            }
            // without line numbers the same cuts, the lines left to be counted
            List<ByteRange> unnumbered = CsvSplitter.parallelSplit(f, CsvOptions.defaults(), splitSize, h,
                    CsvSplitter.MAX_WINDOW, false);
            assertThat(unnumbered).extracting(ByteRange::start)
                .isEqualTo(ranges.stream().map(ByteRange::start).toList());
            assertThat(unnumbered.get(0).firstLine()).isEqualTo(h.dataStartLine());
            assertThat(unnumbered.subList(1, unnumbered.size())).allMatch(r -> r.firstLine() == -1);
            assertSameStats(statsSplit(f, CsvOptions.defaults(), splitSize, new ArrayList<>()), stats(f));
        }
    }

    @Test
    void lineAtCountsTheLinesBeforeEveryRowBoundary() throws Exception {
        // CR, LF and CRLF line ends, also in quoted fields; pieces of 1 and 2 bytes cut
        // CRLFs in two
        String csv = nastyCsv(200, 5, true) + "1,\"a\r\nb\",c\r\r\n\n2,\"\r\",x\r\n";
        Path f = write(dir, "lines.csv", csv);
        CsvHeader h = CsvHeader.read(f, CsvOptions.defaults());
        List<ByteRange> rows = CsvSplitter.tokenizerSplit(f, CsvOptions.defaults(), 1, h);
        assertThat(rows).hasSizeGreaterThan(150);
        byte[] bytes = Files.readAllBytes(f);
        for (ByteRange r : rows) {
            assertThat(r.firstLine()).as("lines before " + r.start()).isEqualTo(linesBefore(bytes, r.start()));
            for (long piece : new long[] { 1, 2, 5, LineCounter.LINE_COUNT_PIECE }) {
                assertThat(LineCounter.lineAt(f, CsvOptions.defaults(), r.start(), piece))
                    .as("line at " + r.start() + ", pieces of " + piece)
                    .isEqualTo(r.firstLine());
            }
        }
    }

    @Test
    void aFailingRowOfARangeWithoutItsFirstLineNamesItsLine() throws Exception {
        // rows of too many fields, the first after line 300: the range holding it counts
        // the lines before it
        StringBuilder csv = new StringBuilder("a,b\r\n");
        for (int i = 0; i < 400; i++) {
            csv.append(i).append(i % 3 == 0 ? ",\"x\ny\"\r\n" : ",z\n");
            if (i == 290) {
                csv.append("1,2,3\n");
            }
        }
        Path f = write(dir, "fail.csv", csv.toString());
        CsvOptions failFile = StatsTestSupport.withPolicy(BadRowPolicy.FAIL_FILE);
        CsvHeader h = CsvHeader.read(f, failFile);
        long expected;
        try (CsvRangeReader r = CsvRangeReader.open(f, failFile, 2,
                new ByteRange(h.dataStart(), Long.MAX_VALUE, h.dataStartLine()))) {
            CsvFormatException e = catchThrowableOfType(() -> r.read(new FileAccumulator(h.names()), 10_000, null),
                    CsvFormatException.class);
            expected = e.line();
        }
        assertThat(expected).isGreaterThan(300);
        List<ByteRange> ranges = CsvSplitter.split(f, failFile, 500, false);
        ByteRange holder = ranges.stream()
            .filter(r -> r.start() < csv.indexOf("1,2,3\n") && r.end() > csv.indexOf("1,2,3\n"))
            .findFirst()
            .orElseThrow();
        assertThat(holder.firstLine()).isEqualTo(-1);
        try (CsvRangeReader r = CsvRangeReader.open(f, failFile, 2, new ByteRange(holder.start(), holder.end(), -1))) {
            assertThat(r.lineKnown()).isFalse();
            CsvFormatException e = catchThrowableOfType(() -> r.read(new FileAccumulator(h.names()), 10_000, null),
                    CsvFormatException.class);
            assertThat(e.line()).isEqualTo(expected);
            assertThat(r.lineKnown()).isTrue();
        }
    }

    @Test
    void cutsInRandomQuotesAndLineEndsAreTrueBoundaries() throws Exception {
        // random bytes over quotes, delimiters and line ends: whatever the cuts, they are
        // the tokenizer's boundaries;
        // each file also with a quote after it, which closes a quoted field left open at
        // its end (a file error)
        Random rnd = new Random(23);
        char[] alphabet = { 'a', 'b', ',', ',', '"', '"', '"', '\n', '\n', '\r' };
        for (int file = 0; file < 150; file++) {
            StringBuilder random = new StringBuilder("a,b\n");
            int n = 20 + rnd.nextInt(300);
            for (int i = 0; i < n; i++) {
                random.append(alphabet[rnd.nextInt(alphabet.length)]);
            }
            for (String csv : List.of(random.toString(), random + "\"")) {
                Path f = write(dir, "random-" + file + ".csv", csv);
                CsvHeader h = CsvHeader.read(f, CsvOptions.defaults());
                Map<Long, Long> lineAt = new HashMap<>();
                for (ByteRange r : CsvSplitter.tokenizerSplit(f, CsvOptions.defaults(), 1, h)) {
                    lineAt.put(r.start(), r.firstLine());
                }
                for (long splitSize : new long[] { 1, 3, 17 }) {
                    List<ByteRange> ranges = CsvSplitter.parallelSplit(f, CsvOptions.defaults(), splitSize, h);
                    assertThat(ranges).isNotNull();
                    for (ByteRange r : ranges) {
                        assertThat(lineAt).as(csv + "\nsplit size " + splitSize + ": a cut at " + r.start())
                            .containsEntry(r.start(), r.firstLine());
                    }
                    List<BadRow> bad = new ArrayList<>();
                    List<BadRow> wholeBad = new ArrayList<>();
                    assertSameOutcome(() -> statsSplit(f, CsvOptions.defaults(), splitSize, bad),
                            () -> StatsTestSupport.stats(f, CsvOptions.defaults(), wholeBad));
                    assertThat(bad).isEqualTo(wholeBad);
                }
            }
        }
    }

    @Test
    void withoutQuotedLineEndsEveryRowCanBeACut() throws Exception {
        Path f = dir.resolve("plain.csv");
        BenchmarkData.generate(f, 3, 500, Long.MAX_VALUE);
        CsvHeader h = CsvHeader.read(f, CsvOptions.defaults());
        List<ByteRange> ranges = CsvSplitter.parallelSplit(f, CsvOptions.defaults(), 1, h);
        // no quotes: a range after every LF, found by a plain byte scan
        byte[] bytes = Files.readAllBytes(f);
        List<Long> starts = new ArrayList<>();
        for (int i = 0; i < bytes.length - 1; i++) {
            if (bytes[i] == '\n') {
                starts.add(i + 1L);
            }
        }
        List<ByteRange> expected = new ArrayList<>();
        for (int k = 0; k < starts.size(); k++) {
            long end = k + 1 < starts.size() ? starts.get(k + 1) : Long.MAX_VALUE;
            expected.add(new ByteRange(starts.get(k), end, 2 + k));
        }
        assertThat(ranges).isEqualTo(expected).hasSize(500);
    }

    /**
     * The physical line number at offset, counted independently of the engine: 1 plus the
     * LF, CR and CRLF line ends before it.
     */
    static long linesBefore(byte[] bytes, long offset) {
        long line = 1;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n' || (bytes[i] == '\r' && (i + 1 >= bytes.length || bytes[i + 1] != '\n'))) {
                line++;
            }
        }
        return line;
    }

    @Test
    void aCutThatTheWindowCannotDecideFallsBackToTheScanFromTheStart() throws Exception {
        // a quoted field of many lines longer than the window: inside it, no walk can
        // tell a quoted line end
        String field = "line\n".repeat(4000) + "end";
        Path f = write(dir, "long.csv", "a,b\n1,x\n2,\"" + field + "\"\n3,y\n");
        CsvHeader h = CsvHeader.read(f, CsvOptions.defaults());
        assertThat(CsvSplitter.parallelSplit(f, CsvOptions.defaults(), 100, h, 1024)).isNull();
        // with a window that reaches the end of the field, the cut after it is decided
        long afterField = 8 + 3 + field.length() + 2;
        assertThat(CsvSplitter.parallelSplit(f, CsvOptions.defaults(), 100, h, 64 << 10))
            .containsExactly(new ByteRange(4, afterField, 2), new ByteRange(afterField, Long.MAX_VALUE, 4004));
        assertThat(CsvSplitter.split(f, CsvOptions.defaults(), 100))
            .isEqualTo(CsvSplitter.tokenizerSplit(f, CsvOptions.defaults(), 100, h));
    }

    @Test
    void escapeCharacterFilesSplitAndResume() throws Exception {
        CsvOptions d = CsvOptions.defaults();
        CsvOptions o = new CsvOptions(',', '"', '\\', true, d.encoding(), d.naValues(), BadRowPolicy.SKIP);
        String csv = "a,b\n1,x\\\ny\n2,\"p\\\"q\nr\"\n3,\\\"z\n4,\"u,v\"\n";
        Path f = write(dir, "e.csv", csv);
        FileStats whole = stats(f, o);
        assertThat(whole.rows()).isEqualTo(4);
        assertThat(whole.columnStats().get(1).max()).isEqualTo("x\ny");
        assertThat(whole.columnStats().get(1).min()).isEqualTo("\"z");
        for (long splitSize : new long[] { 1, 3, 10 }) {
            assertSameStats(statsSplit(f, o, splitSize, new ArrayList<>()), whole);
        }
        assertSameStats(statsResumed(f, o, 1, 16, new ArrayList<>()), whole);
    }

    @Test
    void splitRangesInterruptedAndResumedWithTheirEnd() throws Exception {
        Path f = write(dir, "nasty.csv", nastyCsv(500, 21, true));
        List<BadRow> wholeBad = new ArrayList<>();
        FileStats whole = stats(f, CsvOptions.defaults(), wholeBad);
        CsvHeader h = CsvHeader.read(f, CsvOptions.defaults());
        int columns = h.names().size();
        for (long splitSize : new long[] { 1, 300, 4000 }) {
            for (boolean lineNumbers : new boolean[] { true, false }) {
                List<BadRow> bad = new ArrayList<>();
                FileAccumulator total = new FileAccumulator(h.names());
                List<ByteRange> ranges = CsvSplitter.split(f, CsvOptions.defaults(), splitSize, lineNumbers);
                assertThat(ranges.stream().anyMatch(r -> r.firstLine() < 0)).as("lines left uncounted")
                    .isEqualTo(!lineNumbers);
                for (ByteRange range : ranges) {
                    FileAccumulator acc = new FileAccumulator(h.names());
                    long offset = range.start();
                    long line = range.firstLine();
                    boolean done = false;
                    while (!done) {
                        try (CsvRangeReader r = CsvRangeReader.open(f, CsvOptions.defaults(), columns,
                                new ByteRange(offset, range.end(), line), ReaderTuning.DEFAULT.withBuffer(64))) {
                            int n = r.read(acc, 2, bad::add);
                            acc = FileAccumulator.fromBytes(acc.toBytes());
                            offset = r.offset();
                            line = r.lineKnown() ? r.line() : -1; // as the step's
                                                                  // checkpoint keeps it
                            done = n == 0 || r.finished();
                        }
                    }
                    total.merge(FileAccumulator.fromBytes(acc.toBytes()));
                }
                assertSameStats(total.result(), whole);
                assertThat(bad).as("split " + splitSize + ", line numbers " + lineNumbers).isEqualTo(wholeBad);
            }
        }
    }

    @Test
    void tinySplitSizeGivesOneRangePerRow() throws Exception {
        String csv = "a,b\r\n1,\"x\r\ny\"\r\n\r\n2,\"p,q\"\r\n3,\"\"\"\"\r\n";
        Path f = write(dir, "t.csv", csv);
        List<ByteRange> ranges = CsvSplitter.split(f, CsvOptions.defaults(), 1);
        assertThat(ranges).hasSize(3);
        long header = "a,b\r\n".length();
        long row1 = "1,\"x\r\ny\"\r\n".length();
        assertThat(ranges.get(0)).isEqualTo(new ByteRange(header, header + row1, 2));
        assertThat(ranges.get(1).start()).isEqualTo(header + row1);
        assertThat(ranges.get(1).firstLine()).isEqualTo(4);
        assertThat(ranges.get(2).firstLine()).isEqualTo(6);
        assertThat(ranges.get(2).end()).isEqualTo(Long.MAX_VALUE);
        // no split point inside the quoted field
        assertThat(ranges).noneMatch(r -> r.start() == header + "1,\"x\r\n".length());
        assertSameStats(statsSplit(f, CsvOptions.defaults(), 1, new ArrayList<>()), stats(f));
    }

    @Test
    void smallFileIsOneRange() throws Exception {
        Path f = write(dir, "s.csv", "a\n1\n2\n");
        assertThat(CsvSplitter.split(f, CsvOptions.defaults(), 1 << 20))
            .containsExactly(new ByteRange(2, Long.MAX_VALUE, 2));
    }

    @Test
    void endOfFileInsideAQuoteFailsTheFileAcrossSplitsAndResumes() throws Exception {
        String tail = "999,1.5,\"never\nclosed,True,a\n1000,2,x,True,b\n";
        String csv = nastyCsv(100, 3, false) + tail;
        Path f = write(dir, "u.csv", csv);
        long lines = csv.chars().filter(c -> c == '\n').count()
                + csv.replace("\r\n", "").chars().filter(c -> c == '\r').count();
        String message = "line " + (lines - 2) + ": " + CsvRangeReader.EOF_IN_QUOTE; // three
                                                                                     // lines
                                                                                     // before
                                                                                     // the
                                                                                     // end
        long quotedRow = csv.substring(0, csv.length() - tail.length()).getBytes(StandardCharsets.UTF_8).length;
        for (CsvOptions options : List.of(CsvOptions.defaults(), StatsTestSupport.withPolicy(BadRowPolicy.FAIL_FILE))) {
            CsvHeader h = CsvHeader.read(f, options);
            assertThatThrownBy(() -> stats(f, options)).isInstanceOf(CsvFormatException.class).hasMessage(message);
            assertThatThrownBy(() -> statsResumed(f, options, 2, 32, new ArrayList<>()))
                .isInstanceOf(CsvFormatException.class)
                .hasMessage(message);
            for (long splitSize : new long[] { 1, 50, 300 }) {
                for (boolean lineNumbers : new boolean[] { true, false }) {
                    List<ByteRange> ranges = CsvSplitter.split(f, options, splitSize, lineNumbers);
                    assertThat(ranges.size()).isGreaterThan(2);
                    // every range but the last ends at its end; the last meets the end of
                    // the file inside the quote
                    for (int i = 0; i < ranges.size(); i++) {
                        ByteRange range = ranges.get(i);
                        List<BadRow> bad = new ArrayList<>();
                        try (CsvRangeReader r = CsvRangeReader.open(f, options, h.names().size(),
                                new ByteRange(range.start(), range.end(), range.firstLine()))) {
                            FileAccumulator acc = new FileAccumulator(h.names());
                            if (i < ranges.size() - 1) {
                                while (r.read(acc, 7, bad::add) > 0) {
                                    // keep reading
                                }
                                assertThat(r.finished()).isTrue();
                            }
                            else {
                                assertThat(range.start()).isLessThanOrEqualTo(quotedRow);
                                assertThatThrownBy(() -> {
                                    while (r.read(acc, 7, bad::add) > 0) {
                                        // keep reading
                                    }
                                }).isInstanceOf(CsvFormatException.class).hasMessage(message);
                            }
                        }
                        assertThat(bad).isEmpty();
                    }
                }
            }
            // a range that ends where the quoted row starts reads to its end, and one
            // that ends inside the quoted
            // field holds the row, which it reads to the end of the file
            long before = LineCounter.lineAt(f, options, quotedRow);
            try (CsvRangeReader r = CsvRangeReader.open(f, options, h.names().size(),
                    new ByteRange(h.dataStart(), quotedRow, h.dataStartLine()))) {
                FileAccumulator acc = new FileAccumulator(h.names());
                while (r.read(acc, 1000, null) > 0) {
                    // keep reading
                }
                assertThat(r.finished()).isTrue();
                assertThat(r.offset()).isEqualTo(quotedRow);
                assertThat(r.line()).isEqualTo(before);
                assertThat(acc.rows()).isEqualTo(100);
            }
            try (CsvRangeReader r = CsvRangeReader.open(f, options, h.names().size(),
                    new ByteRange(quotedRow, quotedRow + 12, -1))) {
                assertThatThrownBy(() -> r.read(new FileAccumulator(h.names()), 1000, null))
                    .isInstanceOf(CsvFormatException.class)
                    .hasMessage(message);
            }
        }
    }

    @Test
    void checkpointRoundTrip() throws Exception {
        Path f = write(dir, "c.csv", nastyCsv(300, 11, true) + "1,99999999999999999999,z,True,q\n");
        FileAccumulator acc = statsAcc(f, CsvOptions.defaults(), new ArrayList<>(), CsvRangeReader.DEFAULT_BUFFER);
        byte[] bytes = acc.toBytes();
        FileAccumulator back = FileAccumulator.fromBytes(bytes);
        assertThat(back.result()).isEqualTo(acc.result());
        assertThat(back.toBytes()).isEqualTo(bytes);
        assertThat(back.rows()).isEqualTo(acc.rows());
        assertThat(back.badRows()).isEqualTo(acc.badRows());
        // an empty accumulator round-trips too, and merging it changes nothing
        FileAccumulator empty = FileAccumulator.fromBytes(new FileAccumulator(back.columnNames()).toBytes());
        back.merge(empty);
        assertThat(back.result()).isEqualTo(acc.result());
        empty.merge(FileAccumulator.fromBytes(bytes));
        assertThat(empty.result()).isEqualTo(acc.result());
    }

    @Test
    void integerSumOverflowSurvivesCheckpointAndMerge() throws Exception {
        StringBuilder sb = new StringBuilder("v\n");
        for (int i = 0; i < 40; i++) {
            sb.append(i % 2 == 0 ? "9223372036854775807" : "9223372036854775806").append('\n');
        }
        Path f = write(dir, "o.csv", sb.toString());
        FileStats whole = stats(f);
        // mean of 20 x (2^63-1) and 20 x (2^63-2) = 2^63 - 1.5, as a double 2^63
        assertThat(whole.columnStats().get(0).type()).isEqualTo(ColumnType.INTEGER);
        assertThat(whole.columnStats().get(0).mean()).isEqualTo(9.223372036854775807E18);
        assertThat(statsSplit(f, CsvOptions.defaults(), 30, new ArrayList<>())).isEqualTo(whole);
        assertThat(statsResumed(f, CsvOptions.defaults(), 3, 64, new ArrayList<>())).isEqualTo(whole);
    }

    @Test
    void rangeEndingBeforeDataReadsNothing() throws Exception {
        Path f = write(dir, "r.csv", "a\n1\n2\n");
        FileAccumulator acc = new FileAccumulator(List.of("a"));
        try (CsvRangeReader r = CsvRangeReader.open(f, CsvOptions.defaults(), 1, new ByteRange(2, 2, 2))) {
            assertThat(r.read(acc, 10, null)).isZero();
            assertThat(r.finished()).isTrue();
        }
        assertThat(acc.rows()).isZero();
        assertThat(Files.size(f)).isEqualTo(6);
    }

}
