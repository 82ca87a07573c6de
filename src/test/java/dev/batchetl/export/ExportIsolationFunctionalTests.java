package dev.batchetl.export;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.opencsv.CSVReader;
import dev.batchetl.EtlCli;
import dev.batchetl.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each file's results are exported on their own: what one file holds (extreme numbers,
 * values of any length, odd names) is computed and stored, or recorded as that file's
 * failure, and every other file's results are kept; a fault of the database itself fails
 * the step, and the restart completes once it is gone. The database's refusals are real
 * ones, raised by PostgreSQL triggers that this test installs for its own file names and
 * removes afterwards.
 */
class ExportIsolationFunctionalTests {

    private static final int ERROR = ResultsCsv.HEADER.length - 1;

    @TempDir
    Path work;

    private final JdbcTemplate jdbc = TestDatabase.jdbc();

    private final String tag = UUID.randomUUID().toString().substring(0, 8);

    private final String trigger = "etl_test_refuse_" + this.tag;

    @AfterEach
    void dropTriggers() {
        for (String table : List.of("etl_column_stats", "etl_file_stats", "etl_partition_result")) {
            this.jdbc.execute("DROP TRIGGER IF EXISTS " + this.trigger + " ON " + table);
        }
        this.jdbc.execute("DROP FUNCTION IF EXISTS " + this.trigger + "()");
    }

    @Test
    void aFileWhoseResultsTheDatabaseRefusesIsRecordedAsFailedAndTheOthersAreExported() throws Exception {
        // given: two ordinary files, and the database refusing the column rows of one of
        // them as data
        Path dir = Files.createDirectories(this.work.resolve("data"));
        Files.writeString(dir.resolve("good.csv"), "a,b\n1,x\n2,y\n");
        String poison = "poison-" + this.tag + ".csv";
        Files.writeString(dir.resolve(poison), "a,b\n3,z\n");
        refuse("etl_column_stats", "NEW.file = '" + poison + "'", "22023", "value refused for the test");

        // when
        EtlCli.Result result = run(dir, "run=" + this.tag);

        // then: exit 3; the refused file is failed with the database's reason, in
        // results.csv and the tables
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
        long execution = result.executionId();
        List<String[]> csv = results();
        assertThat(csv).extracting(row -> row[0]).containsExactly("good.csv", "good.csv", poison);
        assertThat(csv.get(0)[4]).isEqualTo("integer");
        assertThat(csv.get(0)[7]).isEqualTo("1.5");
        assertThat(csv.get(2)[ERROR]).isEqualTo("cannot store the statistics: value refused for the test");
        assertThat(fileRows(execution)).containsExactly(Map.of("file", "good.csv", "error", "-"),
                Map.of("file", poison, "error", "cannot store the statistics: value refused for the test"));
        assertThat(this.jdbc.queryForList("SELECT file FROM etl_column_stats WHERE job_execution_id = ?", String.class,
                execution))
            .containsExactly("good.csv", "good.csv");
    }

    @Test
    void aFileWhosePartitionsCannotBeMergedIsRecordedAsFailed() throws Exception {
        // given: the statistics of one file stored corrupt (as a bug or a bad disk could
        // leave them)
        Path dir = Files.createDirectories(this.work.resolve("data"));
        Files.writeString(dir.resolve("good.csv"), "a\n1\n2\n");
        String broken = "broken-" + this.tag + ".csv";
        Files.writeString(dir.resolve(broken), "a\n3\n");
        trigger("etl_partition_result", "NEW.file = '" + broken + "'", "NEW.state := '\\x0102'::bytea; RETURN NEW;");

        // when
        EtlCli.Result result = run(dir, "run=" + this.tag);

        // then
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
        List<String[]> csv = results();
        assertThat(csv).extracting(row -> row[0]).containsExactly(broken, "good.csv");
        assertThat(csv.get(0)[ERROR]).startsWith("cannot compute the statistics: ");
        assertThat(csv.get(1)[7]).isEqualTo("1.5");
    }

    @Test
    void aFaultOfTheDatabaseFailsTheStepAndTheRestartExportsEverything() throws Exception {
        // given: the database failing as if its disk were full while the results are
        // stored
        Path dir = Files.createDirectories(this.work.resolve("data"));
        String file = "full-" + this.tag + ".csv";
        Files.writeString(dir.resolve(file), "a\n1\n2\n");
        Files.writeString(dir.resolve("other.csv"), "a\n5\n");
        refuse("etl_file_stats", "NEW.file = '" + file + "'", "53100",
                "could not extend file: No space left on device");

        // when
        EtlCli.Result failed = run(dir, "run=" + this.tag);

        // then: the run fails (exit 1) and nothing of the export is kept
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);
        assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM etl_file_stats WHERE job_execution_id = ?",
                Long.class, failed.executionId()))
            .isZero();

        // when: the fault is gone, the same run again
        dropTriggers();
        EtlCli.Result restarted = run(dir, "run=" + this.tag);

        // then: every file is exported
        assertThat(restarted.exitCode()).as(restarted.toString()).isEqualTo(0);
        assertThat(fileRows(restarted.executionId())).containsExactly(Map.of("file", file, "error", "-"),
                Map.of("file", "other.csv", "error", "-"));
    }

    @Test
    void valuesOfAnyLengthAndOddNamesAreStoredWhole() throws Exception {
        // given: a 70 kB column name, a 1 MB text value with a NUL in it, extreme
        // numbers, and a file 12 folders deep
        // whose path (over 2,000 bytes) has spaces, commas, quotes, semicolons and
        // non-ASCII letters
        Path dir = Files.createDirectories(this.work.resolve("data"));
        String longName = "n".repeat(70_000);
        String longValue = "\u00e9".repeat(500_000) + "\0" + "z";
        Path deep = dir;
        for (int level = 0; level < 12; level++) {
            deep = deep.resolve("d\u00e9j\u00e0 vu, \"q\"; " + level + "-" + "x".repeat(160));
        }
        Files.createDirectories(deep);
        Path odd = deep.resolve("\u00fcber, \"sales\"; 2026.csv");
        Files.writeString(odd, "\"" + longName + "\",b,c\n\"" + longValue + "\",1.7e308,inf\nA,1.7e308,1\n",
                StandardCharsets.UTF_8);
        String relative = dir.relativize(odd).toString();
        assertThat(relative.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(2000);

        // when
        EtlCli.Result result = run(dir, "run=" + this.tag);

        // then: exit 0; results.csv holds everything whole
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(0);
        List<String[]> csv = results();
        assertThat(csv).hasSize(3);
        assertThat(csv).extracting(row -> row[0]).containsOnly(relative);
        assertThat(csv.get(0)[3]).isEqualTo(longName);
        assertThat(csv.get(0)[8]).isEqualTo("A");
        assertThat(csv.get(0)[9]).isEqualTo(longValue);
        assertThat(csv.get(1)[7]).isEqualTo(ColumnStatsText.of(1.7e308)); // the exact
                                                                          // mean, not inf
        assertThat(csv.get(1)[10]).isEqualTo("inf"); // the sum is beyond the double range
        assertThat(csv.get(2)[7]).isEqualTo("inf");
        assertThat(csv.get(2)[11]).isEmpty(); // the variance of a column with an infinity
                                              // is NaN in pandas

        // the tables: every column row; the long values whole, U+0000 as U+FFFD; the long
        // path shortened in keys
        List<Map<String, Object>> columns = this.jdbc.queryForList("""
                SELECT file, column_name, min_value, max_value, mean, sum_value, variance FROM etl_column_stats
                WHERE job_execution_id = ? ORDER BY column_index""", result.executionId());
        assertThat(columns).hasSize(3);
        String key = columns.get(0).get("file").toString();
        assertThat(key).startsWith(relative.substring(0, 1000)).endsWith(key.substring(key.length() - 16));
        assertThat(key.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(2000);
        assertThat(columns.get(0).get("column_name")).isEqualTo(longName);
        assertThat(columns.get(0).get("max_value")).isEqualTo(longValue.replace('\0', '\uFFFD'));
        assertThat(columns.get(1).get("mean")).isEqualTo(1.7e308);
        assertThat(columns.get(1).get("sum_value")).isEqualTo("inf");
        assertThat(columns.get(2).get("mean")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(columns.get(2).get("variance")).isNull();
        assertThat(fileRows(result.executionId())).containsExactly(Map.of("file", key, "error", "-"));
    }

    private EtlCli.Result run(Path dir, String... keys) {
        String[] args = new String[3 + keys.length];
        args[0] = "run";
        args[1] = "dir=" + dir;
        args[2] = "output=" + this.work.resolve("out/results.csv");
        System.arraycopy(keys, 0, args, 3, keys.length);
        return EtlCli.run(args);
    }

    /**
     * A trigger that makes PostgreSQL refuse rows of the table matching the condition,
     * with that SQLSTATE.
     */
    private void refuse(String table, String condition, String state, String message) {
        trigger(table, condition, "RAISE EXCEPTION '" + message + "' USING ERRCODE = '" + state + "';");
    }

    /**
     * A trigger running the PL/pgSQL body before each insert into the table of a row
     * matching the condition.
     */
    private void trigger(String table, String condition, String body) {
        this.jdbc.execute("CREATE FUNCTION " + this.trigger + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN " + body
                + " END $$");
        this.jdbc.execute("CREATE TRIGGER " + this.trigger + " BEFORE INSERT ON " + table + " FOR EACH ROW WHEN ("
                + condition + ") EXECUTE FUNCTION " + this.trigger + "()");
    }

    private List<Map<String, Object>> fileRows(long execution) {
        return this.jdbc.queryForList("""
                SELECT file, COALESCE(error, '-') AS error FROM etl_file_stats WHERE job_execution_id = ?
                ORDER BY file""", execution);
    }

    private List<String[]> results() throws Exception {
        try (Reader in = Files.newBufferedReader(this.work.resolve("out/results.csv"));
                CSVReader csv = new CSVReader(in)) {
            List<String[]> rows = csv.readAll();
            return rows.subList(1, rows.size());
        }
    }

    /**
     * How results.csv writes a double, spelled out independently of the code under test.
     */
    private static final class ColumnStatsText {

        static String of(double x) {
            return new java.math.BigDecimal(Double.toString(x)).toPlainString() + ".0";
        }

    }

}
