package dev.batchetl.job;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

import dev.batchetl.EtlCli;
import dev.batchetl.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The statistics keys ({@code na-values}, {@code encoding}, {@code invalid-bytes},
 * {@code delimiter}, {@code quote}, {@code escape}, {@code header}) and {@code .csv.gz}
 * input through the whole job, from the command line, on PostgreSQL: runs over a folder
 * without a source list, checked in {@code etl_file_stats}, {@code etl_column_stats} and
 * results.csv against values computed here from the fixtures' cells.
 */
class StatsKeysFunctionalTests {

    @TempDir
    Path work;

    private final JdbcTemplate jdbc = TestDatabase.jdbc();

    private final String run = "keys-" + UUID.randomUUID();

    @Test
    void aGzippedFileGivesTheSameStatisticsAsItsPlainTwin() throws Exception {
        CsvFixture fixture = CsvFixture.orders(11, 400);
        Path data = Files.createDirectories(this.work.resolve("data"));
        Files.write(data.resolve("orders.csv"), fixture.bytes());
        Files.write(data.resolve("packed.csv.gz"), gzip(fixture.bytes()));

        // small checkpoints: the compressed file is read in several chunks too
        EtlCli.Result result = run(data, "gz", "commit-rows=64");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        long execution = result.executionId();
        List<Map<String, Object>> files = RunRecords.fileStats(execution);
        assertThat(files).extracting(row -> row.get("file")).containsExactly("orders.csv", "packed.csv.gz");
        for (Map<String, Object> file : files) {
            assertThat(file).containsEntry("rows_count", 400L)
                .containsEntry("columns_count", 4)
                .containsEntry("bad_rows", 0L)
                .containsEntry("invalid_bytes", 0L)
                .containsEntry("error", null);
        }
        // every column statistic of the compressed file equals its twin's
        List<Map<String, Object>> columns = RunRecords.columnStats(execution);
        assertThat(columns).hasSize(8);
        for (int c = 0; c < 4; c++) {
            Map<String, Object> plain = new java.util.HashMap<>(columns.get(c));
            Map<String, Object> packed = new java.util.HashMap<>(columns.get(4 + c));
            assertThat(plain.remove("file")).isEqualTo("orders.csv");
            assertThat(packed.remove("file")).isEqualTo("packed.csv.gz");
            assertThat(packed).isEqualTo(plain);
        }
        // and both are right
        List<String[]> csv = EtlJobFunctionalTests.readCsv(this.work.resolve("gz.csv"));
        assertThat(csv).hasSize(1 + 8);
        for (int c = 0; c < 4; c++) {
            ExpectedStats.Column expected = ExpectedStats.of(fixture.column(c));
            String name = fixture.header.get(c);
            assertColumn(column(execution, "orders.csv", name), row(csv, "orders.csv", name), expected);
            assertColumn(column(execution, "packed.csv.gz", name), row(csv, "packed.csv.gz", name), expected);
            assertThat(Arrays.copyOfRange(row(csv, "packed.csv.gz", name), 1, csv.get(0).length))
                .containsExactly(Arrays.copyOfRange(row(csv, "orders.csv", name), 1, csv.get(0).length));
        }
    }

    @Test
    void naValuesDecideWhichCellsAreNull() throws Exception {
        List<String> header = List.of("id", "a", "b");
        List<List<String>> rows = List.of(List.of("1", "5", "x"), List.of("2", "-", "NA"), List.of("3", "", "n.a."),
                List.of("4", "n.a.", ""), List.of("5", "7", "y"));
        Path data = Files.createDirectories(this.work.resolve("data"));
        StringBuilder text = new StringBuilder(String.join(",", header)).append('\n');
        rows.forEach(row -> text.append(String.join(",", row)).append('\n'));
        Files.writeString(data.resolve("na.csv"), text);

        // pandas' defaults; a set of our own (the empty field, "-" and "n.a.", not
        // pandas' NA); pandas' defaults and
        // more; no null values at all
        Map<String, Set<String>> runs = new java.util.LinkedHashMap<>();
        runs.put("pandas", ExpectedStats.NA);
        runs.put(",-,n.a.", Set.of("", "-", "n.a."));
        Set<String> more = new HashSet<>(ExpectedStats.NA);
        more.addAll(Set.of("-", "n.a."));
        runs.put("pandas,-,n.a.", more);
        runs.put("none", Set.of());

        int n = 0;
        for (Map.Entry<String, Set<String>> naRun : runs.entrySet()) {
            String name = "na" + (++n);
            EtlCli.Result result = run(data, name, "na-values=" + naRun.getKey());
            assertThat(result.exitCode()).as(result.toString()).isZero();
            long execution = result.executionId();
            List<String[]> csv = EtlJobFunctionalTests.readCsv(this.work.resolve(name + ".csv"));
            for (int c = 0; c < header.size(); c++) {
                int index = c;
                ExpectedStats.Column expected = ExpectedStats.of(rows.stream().map(row -> row.get(index)).toList(),
                        naRun.getValue());
                assertColumn(column(execution, "na.csv", header.get(c)), row(csv, "na.csv", header.get(c)), expected);
            }
        }
        // what the expectations above say, in the terms of the fixture
        assertThat(ExpectedStats.of(List.of("5", "-", "", "n.a.", "7")).nulls()).isEqualTo(1);
        ExpectedStats.Column numbers = ExpectedStats.of(List.of("5", "-", "", "n.a.", "7"), Set.of("", "-", "n.a."));
        assertThat(numbers.type()).isEqualTo("float");
        assertThat(numbers.nulls()).isEqualTo(3);
        assertThat(numbers.mean()).isEqualByComparingTo("6");
        assertThat(ExpectedStats.of(List.of("x", "NA", "n.a.", "", "y"), Set.of("", "-", "n.a.")))
            .isEqualTo(new ExpectedStats.Column("text", 3, 2, null, "NA", "y"));
        assertThat(ExpectedStats.of(List.of("x", "NA", "n.a.", "", "y"), Set.of()).nulls()).isZero();
    }

    @Test
    void aLatin1FileIsReadWithItsEncodingFailsUnderUtf8OrHasItsInvalidBytesReplacedAndCounted() throws Exception {
        // every non-ASCII character is one Latin-1 byte followed by an ASCII one: each is
        // one invalid UTF-8 sequence
        String latin1Text = """
                name,city,n
                Bob,Paris,0
                Zo\u00eb,K\u00f6ln,1
                caf\u00e9,Gen\u00e8ve,2
                \u00ffann,Z\u00fcrich,3
                \u00c6r\u00f8,\u00c5rhus,4
                """;
        byte[] latin1 = latin1Text.getBytes(StandardCharsets.ISO_8859_1);
        Path data = Files.createDirectories(this.work.resolve("data"));
        Files.write(data.resolve("latin1.csv"), latin1);
        CsvFixture good = CsvFixture.orders(12, 60);
        Files.write(data.resolve("good.csv"), good.bytes());
        List<String> header = List.of("name", "city", "n");

        // read as ISO-8859-1: the characters as written; a null value with a non-ASCII
        // character matches too
        EtlCli.Result decoded = run(data, "decoded", "encoding=ISO-8859-1", "na-values=pandas,K\u00f6ln");
        assertThat(decoded.exitCode()).as(decoded.toString()).isZero();
        List<List<String>> cells = cells(latin1Text);
        Set<String> na = new HashSet<>(ExpectedStats.NA);
        na.add("K\u00f6ln");
        assertFile(decoded.executionId(), "latin1.csv", 5, 0);
        List<String[]> decodedCsv = EtlJobFunctionalTests.readCsv(this.work.resolve("decoded.csv"));
        for (int c = 0; c < header.size(); c++) {
            assertColumn(column(decoded.executionId(), "latin1.csv", header.get(c)),
                    row(decodedCsv, "latin1.csv", header.get(c)), ExpectedStats.of(column(cells, c), na));
        }
        assertThat(column(decoded.executionId(), "latin1.csv", "city")).containsEntry("null_count", 1L)
            .containsEntry("max_value", "\u00c5rhus")
            .containsEntry("min_value", "Gen\u00e8ve")
            .containsEntry("max_length", 6);
        assertThat(column(decoded.executionId(), "latin1.csv", "name")).containsEntry("min_value", "Bob")
            .containsEntry("max_value", "\u00ffann");

        // read as UTF-8, failing on invalid bytes (the default): the file fails naming
        // its line, the other completes
        EtlCli.Result failed = run(data, "strict", "invalid-bytes=fail-file");
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(3);
        assertThat(failed.out()).contains("files: 1 read, 1 failed")
            .contains("latin1.csv: line 3: invalid UTF-8 byte sequence");
        assertThat(this.jdbc.queryForObject(
                "SELECT error FROM etl_file_stats WHERE job_execution_id = ? AND file = 'latin1.csv'", String.class,
                failed.executionId()))
            .isEqualTo("line 3: invalid UTF-8 byte sequence");
        assertThat(this.jdbc.queryForObject(
                "SELECT COUNT(*) FROM etl_column_stats WHERE job_execution_id = ? AND file = 'latin1.csv'",
                Integer.class, failed.executionId()))
            .isZero();
        assertFile(failed.executionId(), "good.csv", 60, 0);
        List<String[]> failedCsv = EtlJobFunctionalTests.readCsv(this.work.resolve("strict.csv"));
        assertThat(failedCsv).anySatisfy(row -> {
            assertThat(row[0]).isEqualTo("latin1.csv");
            assertThat(row[row.length - 1]).isEqualTo("line 3: invalid UTF-8 byte sequence");
        });
        for (int c = 0; c < good.header.size(); c++) {
            assertColumn(column(failed.executionId(), "good.csv", good.header.get(c)),
                    row(failedCsv, "good.csv", good.header.get(c)), ExpectedStats.of(good.column(c)));
        }

        // read as UTF-8, replacing invalid bytes: U+FFFD in their place, counted
        EtlCli.Result replaced = run(data, "replace", "invalid-bytes=replace");
        assertThat(replaced.exitCode()).as(replaced.toString()).isZero();
        String asUtf8 = new String(latin1, StandardCharsets.UTF_8); // the JDK's decoder
                                                                    // replaces the same
                                                                    // way
        long invalid = asUtf8.chars().filter(ch -> ch == '\uFFFD').count();
        long nonAscii = 0;
        for (byte b : latin1) {
            nonAscii += b < 0 ? 1 : 0;
        }
        assertThat(invalid).isEqualTo(nonAscii).isEqualTo(9);
        assertFile(replaced.executionId(), "latin1.csv", 5, invalid);
        assertFile(replaced.executionId(), "good.csv", 60, 0);
        List<String[]> replacedCsv = EtlJobFunctionalTests.readCsv(this.work.resolve("replace.csv"));
        List<List<String>> replacedCells = cells(asUtf8);
        for (int c = 0; c < header.size(); c++) {
            String[] csvRow = row(replacedCsv, "latin1.csv", header.get(c));
            assertColumn(column(replaced.executionId(), "latin1.csv", header.get(c)), csvRow,
                    ExpectedStats.of(column(replacedCells, c)));
            assertThat(csvRow[22]).isEqualTo(Long.toString(invalid)); // invalid_bytes
        }
        assertThat(column(replaced.executionId(), "latin1.csv", "name")).containsEntry("max_value", "\uFFFDr\uFFFD");
    }

    @Test
    void filesFailNamingTheLineOfAQuoteOpenAtTheEndOrOfAByteTheirEncodingLacks() throws Exception {
        Path data = Files.createDirectories(this.work.resolve("data"));
        // split into ranges under bad-rows=skip: a bad row, set aside, and a quote the
        // end of the file finds open
        StringBuilder open = new StringBuilder("id,note\n");
        long line = 2;
        for (int i = 0; i < 2000; i++) {
            open.append(i).append(i % 7 == 0 ? ",\"two\nlines\"\n" : ",plain\n");
            line += i % 7 == 0 ? 2 : 1;
        }
        open.append("1,2,3\n2000,\"never\nclosed\n");
        long quoteLine = line + 1;
        Files.writeString(data.resolve("open.csv"), open);
        // windows-1252, split too, 0x81 (which it lacks) on line 300, in the third
        // checkpoint of 100 rows
        ByteArrayOutputStream cp1252 = new ByteArrayOutputStream();
        cp1252.writeBytes("id,text\n".getBytes(StandardCharsets.US_ASCII));
        for (int i = 2; i <= 600; i++) {
            cp1252.writeBytes((i + ",caf").getBytes(StandardCharsets.US_ASCII));
            cp1252.write(i == 300 ? 0x81 : 0xE9);
            cp1252.write('\n');
        }
        Files.write(data.resolve("cp1252.csv"), cp1252.toByteArray());
        Files.write(data.resolve("good.csv"), new byte[] { 'n', ',', 'x', '\n', '1', ',', 'c', 'a', 'f', (byte) 0xE9,
                '\n', '2', ',', 't', 'e', 'a', '\n' });

        EtlCli.Result result = run(data, "lines", "encoding=windows-1252", "split-size=4KB", "commit-rows=100");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
        String eof = "line " + quoteLine + ": end of file inside a quoted field that opened here";
        String undefined = "line 300: invalid windows-1252 byte sequence";
        assertThat(result.out()).contains("files: 1 read, 2 failed")
            .contains("open.csv: " + eof)
            .contains("cp1252.csv: " + undefined);
        long execution = result.executionId();
        assertThat(this.jdbc
            .queryForList("SELECT file, error FROM etl_file_stats WHERE job_execution_id = ? ORDER BY file", execution))
            .extracting(row -> row.get("file") + ": " + row.get("error"))
            .containsExactly("cp1252.csv: " + undefined, "good.csv: null", "open.csv: " + eof);
        // the last range of the split file met the end of the file; the others read to
        // their ends
        List<Map<String, Object>> ranges = this.jdbc.queryForList(
                "SELECT range_index, error FROM etl_partition_result WHERE job_execution_id = ? AND file = 'open.csv'"
                        + " ORDER BY range_index",
                execution);
        assertThat(ranges).hasSizeGreaterThan(2);
        assertThat(ranges.subList(0, ranges.size() - 1)).allSatisfy(range -> assertThat(range.get("error")).isNull());
        assertThat(ranges.get(ranges.size() - 1).get("error")).isEqualTo(eof);
        assertFile(execution, "good.csv", 2, 0);
        assertThat(column(execution, "good.csv", "x")).containsEntry("min_value", "caf\u00e9");
    }

    @Test
    void anEucJpFileIsReadAsWrittenAndAShiftJisOneIsRefusedBeforeAnythingRuns() throws Exception {
        // in Shift_JIS \u30dd (po) is 0x83 0x7C, and 0x7C is the delimiter: the scanner
        // would see three fields
        String text = """
                \u540d\u524d|\u90fd\u5e02|n
                \u30dd|\u6771\u4eac|1
                \u30a2\u30a4|\u5927\u962a|2
                "\u30bd|\u8868"|\u5341|3
                """;
        Path eucJp = Files.createDirectories(this.work.resolve("euc-jp"));
        Files.write(eucJp.resolve("cities.csv"), text.getBytes("EUC-JP"));
        Path shiftJis = Files.createDirectories(this.work.resolve("shift-jis"));
        Files.write(shiftJis.resolve("cities.csv"), text.getBytes("Shift_JIS"));
        assertThat(new String(text.getBytes("Shift_JIS"), StandardCharsets.ISO_8859_1)).contains("\u0083|");

        EtlCli.Result read = run(eucJp, "euc-jp", "encoding=EUC-JP", "delimiter=|", "bad-rows=fail-file");

        assertThat(read.exitCode()).as(read.toString()).isZero();
        assertFile(read.executionId(), "cities.csv", 3, 0);
        assertThat(column(read.executionId(), "cities.csv", "\u540d\u524d")).containsEntry("column_type", "text")
            .containsEntry("min_value", "\u30a2\u30a4")
            .containsEntry("max_value", "\u30dd")
            .containsEntry("min_length", 1)
            .containsEntry("max_length", 3);
        assertThat(column(read.executionId(), "cities.csv", "\u90fd\u5e02")).containsEntry("min_value", "\u5341")
            .containsEntry("max_value", "\u6771\u4eac");
        assertThat(column(read.executionId(), "cities.csv", "n")).containsEntry("column_type", "integer");

        EtlCli.Result refused = run(shiftJis, "shift-jis", "encoding=Shift_JIS", "delimiter=|");

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.err())
            .startsWith("error: encoding: Shift_JIS is not supported: its multi-byte characters"
                    + " can contain ASCII bytes such as the delimiter; use UTF-8, US-ASCII, ISO-8859-1..16,")
            .endsWith(", or convert the files first\n")
            .hasLineCount(1);
        assertThat(refused.out()).isEmpty();
        assertThat(RunRecords.executions(this.run + "-shift-jis")).isEmpty();
        assertThat(this.work.resolve("shift-jis.csv")).doesNotExist();
    }

    @Test
    void aSemicolonFileWithoutHeaderWithItsOwnQuoteAndEscape() throws Exception {
        Path data = Files.createDirectories(this.work.resolve("data"));
        // quoted with ', \ escapes: the third column holds x, a;b, it's, y
        Files.writeString(data.resolve("semi.csv"), """
                1;2.5;'x'
                2;;'a;b'
                3;4.5;'it\\'s'
                10;-1;y
                """);
        List<List<String>> cells = List.of(List.of("1", "2.5", "x"), List.of("2", "", "a;b"),
                List.of("3", "4.5", "it's"), List.of("10", "-1", "y"));

        EtlCli.Result result = run(data, "semicolon", "delimiter=;", "header=false", "quote='", "escape=\\");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        long execution = result.executionId();
        // no header: the first row is data, the columns are named by position as pandas
        // does (header=None)
        assertFile(execution, "semi.csv", 4, 0);
        assertThat(RunRecords.columnStats(execution)).extracting(row -> row.get("column_name"))
            .containsExactly("0", "1", "2");
        List<String[]> csv = EtlJobFunctionalTests.readCsv(this.work.resolve("semicolon.csv"));
        for (int c = 0; c < 3; c++) {
            assertColumn(column(execution, "semi.csv", Integer.toString(c)), row(csv, "semi.csv", Integer.toString(c)),
                    ExpectedStats.of(column(cells, c)));
        }
        ExpectedStats.Column second = ExpectedStats.of(column(cells, 1));
        assertThat(second.type()).isEqualTo("float");
        assertThat(second.nulls()).isEqualTo(1);
        assertThat(second.mean()).isEqualByComparingTo("2");
        assertThat(column(execution, "semi.csv", "2")).containsEntry("min_value", "a;b")
            .containsEntry("max_value", "y")
            .containsEntry("min_length", 1)
            .containsEntry("max_length", 4);
        assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM etl_bad_row WHERE job_execution_id = ?",
                Integer.class, execution))
            .isZero();
    }

    // -----------------------------------------------------------------------------------------------------------

    /**
     * Runs the job over {@code data} alone, results in {@code NAME.csv}, with a run key
     * of its own.
     */
    private EtlCli.Result run(Path data, String name, String... keys) {
        List<String> args = new ArrayList<>(List.of("run", "dir=" + data, "output=" + this.work.resolve(name + ".csv"),
                "run=" + this.run + "-" + name));
        args.addAll(List.of(keys));
        return EtlCli.run(args.toArray(String[]::new));
    }

    private void assertFile(long execution, String file, long rows, long invalidBytes) {
        Map<String, Object> stats = this.jdbc.queryForMap(
                "SELECT rows_count, bad_rows, invalid_bytes, error FROM etl_file_stats WHERE job_execution_id = ? AND file = ?",
                execution, file);
        assertThat(stats).as(file)
            .containsEntry("rows_count", rows)
            .containsEntry("bad_rows", 0L)
            .containsEntry("invalid_bytes", invalidBytes)
            .containsEntry("error", null);
    }

    private Map<String, Object> column(long execution, String file, String name) {
        return this.jdbc.queryForMap(
                "SELECT * FROM etl_column_stats WHERE job_execution_id = ? AND file = ? AND column_name = ?", execution,
                file, name);
    }

    private static String[] row(List<String[]> csv, String file, String column) {
        return csv.stream()
            .filter(r -> r[0].equals(file) && r[3].equals(column))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no row for " + file + " " + column));
    }

    /**
     * The table row and the results.csv row of a column against the expected statistics.
     */
    private static void assertColumn(Map<String, Object> table, String[] csv, ExpectedStats.Column expected) {
        String what = table.get("file") + " " + table.get("column_name");
        assertThat(table.get("column_type")).as(what).isEqualTo(expected.type());
        assertThat(table.get("non_null_count")).as(what).isEqualTo(expected.count());
        assertThat(table.get("null_count")).as(what).isEqualTo(expected.nulls());
        assertThat(csv[4]).as(what).isEqualTo(expected.type());
        assertThat(csv[5]).as(what).isEqualTo(Long.toString(expected.count()));
        assertThat(csv[6]).as(what).isEqualTo(Long.toString(expected.nulls()));
        if (expected.mean() == null) {
            assertThat(table.get("mean")).as(what).isNull();
            assertThat(table.get("min_value")).as(what).isEqualTo(expected.min());
            assertThat(table.get("max_value")).as(what).isEqualTo(expected.max());
            assertThat(csv[7]).as(what).isEmpty();
            assertThat(csv[8]).as(what).isEqualTo(expected.min());
            assertThat(csv[9]).as(what).isEqualTo(expected.max());
            return;
        }
        double mean = expected.mean().doubleValue();
        assertThat(((Number) table.get("mean")).doubleValue()).as(what).isCloseTo(mean, within(Math.abs(mean) * 1e-12));
        assertThat(new BigDecimal((String) table.get("min_value"))).as(what).isEqualByComparingTo(expected.min());
        assertThat(new BigDecimal((String) table.get("max_value"))).as(what).isEqualByComparingTo(expected.max());
        assertThat(Double.parseDouble(csv[7])).as(what).isCloseTo(mean, within(Math.abs(mean) * 1e-12));
        assertThat(new BigDecimal(csv[8])).as(what).isEqualByComparingTo(expected.min());
        assertThat(new BigDecimal(csv[9])).as(what).isEqualByComparingTo(expected.max());
    }

    /** The data cells of a small CSV text without quotes: header line left out. */
    private static List<List<String>> cells(String text) {
        return text.lines().skip(1).map(line -> List.of(line.split(",", -1))).toList();
    }

    private static List<String> column(List<List<String>> cells, int index) {
        return cells.stream().map(row -> row.get(index)).toList();
    }

    private static byte[] gzip(byte[] bytes) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

}
