package dev.batchetl.cli;

import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.batchetl.job.UsageException;
import dev.batchetl.EtlCli;
import dev.batchetl.stats.engine.CsvEncoding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Usage errors end before any database is touched: one line on standard error, exit code
 * 2.
 */
class CliTests {

    @TempDir
    Path work;

    @Test
    void anUnknownKeyIsAUsageError() {
        EtlCli.Result result = EtlCli.runWithout("run", "dir=" + this.work, "thread=4");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("error: unknown key 'thread'\n");
    }

    @Test
    void aValueOfTheWrongTypeIsAUsageError() {
        EtlCli.Result result = EtlCli.runWithout("run", "threads=many");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("error: threads: expected a whole number from 1 to 1024, got 'many'\n");
        assertThat(EtlCli.runWithout("run", "split-size=big").exitCode()).isEqualTo(2);
        assertThat(EtlCli.runWithout("run", "bad-rows=ignore").exitCode()).isEqualTo(2);
        assertThat(EtlCli.runWithout("run", "run=../x").exitCode()).isEqualTo(2);
    }

    /**
     * Every key that takes a number, a size or a duration, with a value past what it
     * accepts.
     */
    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`',
            textBlock = """
                    threads            | 99999999999          | a whole number from 1 to 1024
                    partitions         | 2147483648           | a whole number from 1 to 1024
                    fetch-attempts     | 101                  | a whole number from 1 to 100
                    max-redirects      | -1                   | a whole number from 1 to 50
                    per-host           | 0                    | a whole number from 1 to 1024
                    fetch-chunk        | 99999999999999999999 | a whole number from 1 to 10000
                    commit-rows        | 100000001            | a whole number from 1 to 100000000
                    connect-timeout    | 99999999999999999h   | a duration from 1ms to 8760h (365 days)
                    timeout            | 9999999999999999s    | a duration from 1ms to 8760h (365 days)
                    read-timeout       | 99999999999999999999 | a duration from 1ms to 8760h (365 days)
                    fetch-backoff      | 9223372036854775807m | a duration from 1ms to 8760h (365 days)
                    fetch-max-backoff  | 0ms                  | a duration from 1ms to 8760h (365 days)
                    partition-timeout  | 8761h                | a duration from 1ms to 8760h (365 days)
                    partition-pickup-timeout | 0         | a duration from 1ms to 8760h (365 days)
                    max-file-size      | 9999999999999GB      | a size from 1B to 1048576GB (1 PiB)
                    split-size         | 9223372036854775807K | a size from 1B to 1048576GB (1 PiB)
                    rate-limit         | 99999999999999999999 | a size from 1B to 1048576GB (1 PiB)
                    max-file-size      | 0                    | a size from 1B to 1048576GB (1 PiB)
                    max-failed-sources | 99999999999          | a count from 0 to 999999999, a percentage from 0% to 100%, or none
                    max-failed-sources | 101%                 | a count from 0 to 999999999, a percentage from 0% to 100%, or none
                    delimiter          | \u00a7               | an ASCII character (the tokenizer works on bytes)
                    quote              | \u00ab               | an ASCII character (the tokenizer works on bytes)
                    escape             | \u00e9               | an ASCII character (the tokenizer works on bytes)
                    """)
    void aValueThatDoesNotFitIsAUsageErrorNamingKeyValueAndRange(String key, String value, String accepted) {
        // keys are checked in the order given: were the value taken, the missing source
        // list would be the error, and
        // nothing would run
        EtlCli.Result result = EtlCli.runWithout("run", key + "=" + value, "sources=" + this.work.resolve("none.txt"));
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("error: " + key + ": expected " + accepted + ", got '" + value + "'\n");
    }

    /**
     * Encodings whose ASCII bytes are not always ASCII characters, which the byte scanner
     * would split wrongly.
     */
    @ParameterizedTest(name = "encoding={0}")
    @CsvSource(delimiter = '|', textBlock = """
            Shift_JIS      | its multi-byte characters can contain ASCII bytes such as the delimiter
            sjis           | its multi-byte characters can contain ASCII bytes such as the delimiter
            windows-31j    | its multi-byte characters can contain ASCII bytes such as the delimiter
            GBK            | its multi-byte characters can contain ASCII bytes such as the delimiter
            GB18030        | its multi-byte characters can contain ASCII bytes such as the delimiter
            Big5           | its multi-byte characters can contain ASCII bytes such as the delimiter
            Big5-HKSCS     | its multi-byte characters can contain ASCII bytes such as the delimiter
            ISO-2022-JP    | its bytes 0x00 to 0x7F are not always the ASCII characters of the same value
            UTF-16         | its bytes 0x00 to 0x7F are not always the ASCII characters of the same value
            IBM037         | its bytes 0x00 to 0x7F are not always the ASCII characters of the same value
            """)
    void anEncodingTheScannerCannotReadIsAUsageError(String encoding, String reason) {
        String name = Charset.forName(encoding).name();
        // a database of its own, should the encoding be taken and the job run
        EtlCli.Result result = EtlCli.runWithout("run", "dir=" + this.work, "output=" + this.work,
                "encoding=" + encoding, "--spring.datasource.url=jdbc:h2:mem:encoding");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("error: encoding: " + name + " is not supported: " + reason + "; use "
                + CsvEncoding.SUPPORTED + ", or convert the files first\n");
        assertThat(CsvEncoding.SUPPORTED).startsWith("UTF-8, US-ASCII, ISO-8859-1..16, windows-1250..1258, ")
            .contains("EUC-JP");
    }

    @Test
    void aDelimiterEqualToTheQuoteIsAUsageError() {
        // a database of its own, should the keys be taken and the job run
        EtlCli.Result result = EtlCli.runWithout("run", "dir=" + this.work, "output=" + this.work, "delimiter=\"",
                "--spring.datasource.url=jdbc:h2:mem:delimiter-quote");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("error: delimiter and quote must differ, both are '\"'\n");
    }

    @Test
    void aMissingFileIsAUsageError() {
        EtlCli.Result sources = EtlCli.runWithout("run", "sources=" + this.work.resolve("nope.txt"));
        assertThat(sources.exitCode()).isEqualTo(2);
        assertThat(sources.err()).startsWith("error: sources: no such file: ").contains("nope.txt");
        EtlCli.Result definition = EtlCli.runWithout("run", this.work.resolve("jobs/missing.properties").toString());
        assertThat(definition.exitCode()).isEqualTo(2);
        assertThat(definition.err()).startsWith("error: job definition not found: ");
    }

    @Test
    void runsThatWouldSurpriseAreRefusedBeforeAnythingRuns() throws Exception {
        // an empty source list would report whatever an earlier run left in dir
        Path empty = Files.writeString(this.work.resolve("empty.txt"), "# nothing yet\n\n");
        EtlCli.Result noSources = EtlCli.runWithout("run", "sources=" + empty, "dir=" + this.work.resolve("data"));
        assertThat(noSources.exitCode()).isEqualTo(2);
        assertThat(noSources.err())
            .isEqualTo("error: sources: " + empty + " lists no source (blank lines and #" + " comments only)\n");

        // results.csv inside dir would be read as input by the next run
        Path data = Files.createDirectories(this.work.resolve("data"));
        EtlCli.Result inside = EtlCli.runWithout("run", "dir=" + data, "output=" + data.resolve("out/results.csv"));
        assertThat(inside.exitCode()).isEqualTo(2);
        assertThat(inside.err()).isEqualTo("error: output: " + data.resolve("out/results.csv") + " is inside dir "
                + data + ", so the next run would read it as input; write it outside dir\n");

        // a bare run would read ./data and write ./results.csv of wherever it was typed
        EtlCli.Result bare = EtlCli.runWithout("run");
        assertThat(bare.exitCode()).isEqualTo(2);
        assertThat(bare.err()).startsWith("error: run needs a job definition, sources=FILE or dir=FOLDER");
    }

    @Test
    void placesTheRunCannotWriteAreUsageErrorsBeforeAnythingRuns() throws Exception {
        Path file = Files.writeString(this.work.resolve("a-file"), "x");
        EtlCli.Result dirIsAFile = EtlCli.runWithout("run", "dir=" + file);
        assertThat(dirIsAFile.exitCode()).isEqualTo(2);
        assertThat(dirIsAFile.err()).isEqualTo("error: dir: " + file + " is a file, not a folder\n");

        EtlCli.Result underAFile = EtlCli.runWithout("run", "dir=" + this.work.resolve("data"),
                "output=" + file.resolve("results.csv"));
        assertThat(underAFile.exitCode()).isEqualTo(2);
        assertThat(underAFile.err()).isEqualTo("error: output: cannot write " + file.resolve("results.csv") + ": "
                + file + " is a file, not a folder\n");

        // /proc takes no new file, whatever the permissions say (root included)
        EtlCli.Result proc = EtlCli.runWithout("run", "dir=" + this.work.resolve("data"), "output=/proc/x.csv");
        assertThat(proc.exitCode()).isEqualTo(2);
        assertThat(proc.err()).startsWith("error: output: cannot write /proc/x.csv: ").doesNotContain("\n\t");
        assertThat(proc.err().lines()).hasSize(1);

        Path folder = Files.createDirectories(this.work.resolve("a-folder"));
        EtlCli.Result sourcesIsAFolder = EtlCli.runWithout("run", "dir=" + this.work.resolve("data"),
                "sources=" + folder);
        assertThat(sourcesIsAFolder.exitCode()).isEqualTo(2);
        assertThat(sourcesIsAFolder.err()).isEqualTo("error: sources: " + folder + " is a folder; expected a file\n");
        // and no check leaves a file behind
        try (var left = Files.list(this.work)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("a-file", "a-folder");
        }
    }

    @Test
    void aDefinitionFileIsCheckedLikeTheCommandLine() throws Exception {
        Path definition = Files.writeString(this.work.resolve("nightly.properties"), "dir=data\npartitions=0\n");
        EtlCli.Result result = EtlCli.runWithout("run", definition.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("error: partitions: expected a whole number")
            .contains("nightly.properties");
    }

    @Test
    void aBadSourceListIsAUsageErrorNamingItsLine() throws Exception {
        Path list = Files.writeString(this.work.resolve("urls.txt"), "# list\nhttp://127.0.0.1/a.csv\nftp://x/b.csv\n");
        EtlCli.Result result = EtlCli.runWithout("run", "sources=" + list);
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("error: ").contains("urls.txt:3: ");
        assertThat(result.err().lines()).hasSize(1);
    }

    @Test
    void unknownCommandsAndRestartWithoutIdAreUsageErrors() {
        assertThat(EtlCli.runWithout("launch").exitCode()).isEqualTo(2);
        assertThat(EtlCli.runWithout().exitCode()).isEqualTo(2);
        assertThat(EtlCli.runWithout("restart").exitCode()).isEqualTo(2);
        assertThat(EtlCli.runWithout("restart", "x1").err()).contains("positive whole number");
    }

    @Test
    void anH2UrlOfTheUserGetsTheSettingsTheApplicationNeedsWhereItDoesNotSetThem() {
        assertThat(Launcher.withH2Compatibility("jdbc:h2:file:/data/etl"))
            .isEqualTo("jdbc:h2:file:/data/etl;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        assertThat(Launcher.withH2Compatibility("jdbc:h2:file:/data/etl;mode=PostgreSQL;AUTO_SERVER=TRUE"))
            .isEqualTo("jdbc:h2:file:/data/etl;mode=PostgreSQL;AUTO_SERVER=TRUE;DATABASE_TO_LOWER=TRUE"
                    + ";DEFAULT_NULL_ORDERING=HIGH");
        String complete = "jdbc:h2:file:./.batch-etl/repository;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE"
                + ";DEFAULT_NULL_ORDERING=HIGH;AUTO_SERVER=TRUE";
        assertThat(Launcher.withH2Compatibility(complete)).isEqualTo(complete);
        assertThat(Launcher.withH2Compatibility("jdbc:postgresql://db/etl")).isEqualTo("jdbc:postgresql://db/etl");
        assertThat(Launcher.withH2Compatibility(null)).isNull();
    }

    @Test
    void aDatabaseUrlOfAnotherKindIsRefusedNamingOnlyItsScheme() {
        Launcher.checkDatabaseUrl("jdbc:postgresql://db.example.org:5432/etl");
        Launcher.checkDatabaseUrl("jdbc:h2:file:./.batch-etl/repository;MODE=PostgreSQL");
        Launcher.checkDatabaseUrl("JDBC:PostgreSQL://db/etl");
        Launcher.checkDatabaseUrl("");
        assertThatThrownBy(() -> Launcher.checkDatabaseUrl("jdbc:sqlserver://db;user=etl;password=secret"))
            .isInstanceOf(UsageException.class)
            .hasMessageStartingWith("spring.datasource.url is a jdbc:sqlserver: URL, which batch-etl does not support")
            .message()
            .doesNotContain("secret");
        assertThatThrownBy(() -> Launcher.checkDatabaseUrl("postgresql://db/etl"))
            .hasMessageStartingWith("spring.datasource.url is a postgresql: URL");
    }

    @Test
    void helpListsTheCommandsAndEveryKey() {
        EtlCli.Result result = EtlCli.runWithout("help");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("run [DEFINITION]", "restart EXECUTION_ID", "sources", "partitions",
                "split-size", "bad-rows");
    }

}
