package dev.batchetl.job;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Every key against values that do not fit: each is taken or refused with a one-line
 * reason, nothing else.
 */
class EtlKeyTests {

    /**
     * Values past the range of a long, of a long once scaled by a unit, of an int, and
     * zero and negative ones.
     */
    private static final List<String> HOSTILE = List.of("99999999999999999999", "9223372036854775807",
            "9223372036854775808", "-9223372036854775808", "2147483648", "4294967296", "99999999999", "0", "-0", "-1",
            "+1", "1e9", "9999999999999GB", "8589934592GB", "9223372036854775807KB", "99999999999999999h",
            "9999999999999999s", "9223372036854775807ms", "153722867280912931m", "99999999999999999999ms",
            "99999999999999999d", "999999999%", "9999999999%", "101%", "-1%", "", " ", "\u00e9", "\u00e9\u00e9",
            "\u0000", "none");

    @Test
    void everyKeyTakesOrRefusesEveryHostileValueWithOneLine() {
        Path base = Path.of("").toAbsolutePath();
        for (EtlKey key : EtlKey.values()) {
            for (String value : HOSTILE) {
                String what = key.key() + "=" + value;
                String canonical;
                try {
                    canonical = key.canonical(value, base);
                }
                catch (IllegalArgumentException ex) {
                    assertThat(ex.getMessage()).as(what).isNotBlank().doesNotContain("\n").doesNotContain("For input");
                    continue;
                }
                catch (RuntimeException ex) {
                    throw new AssertionError(what + ": " + ex, ex);
                }
                // what the job parameters hold is read again on every start and restart
                assertThat(key.canonical(canonical, base)).as(what).isEqualTo(canonical);
            }
        }
    }

    @Test
    void sizesAndDurationsAreTakenUpToTheirLimits() {
        Path base = Path.of("");
        assertThat(EtlKey.MAX_FILE_SIZE.canonical("1048576GB", base)).isEqualTo(Long.toString(1L << 50));
        assertThat(EtlKey.RATE_LIMIT.canonical("1125899906842624", base)).isEqualTo(Long.toString(1L << 50));
        assertThat(EtlKey.SPLIT_SIZE.canonical("1B", base)).isEqualTo("1");
        assertThat(EtlKey.TIMEOUT.canonical("8760h", base)).isEqualTo("31536000000ms");
        assertThat(EtlKey.PARTITION_TIMEOUT.canonical("525600m", base)).isEqualTo("31536000000ms");
        assertThat(EtlKey.CONNECT_TIMEOUT.canonical("1ms", base)).isEqualTo("1ms");
        assertThat(EtlKey.MAX_FAILED_SOURCES.canonical("999999999", base)).isEqualTo("999999999");
        // the syntax of jobs/README.md, unchanged
        assertThat(EtlKey.MAX_FILE_SIZE.canonical("64GB", base)).isEqualTo(Long.toString(64L << 30));
        assertThat(EtlKey.SPLIT_SIZE.canonical("512 kb", base)).isEqualTo(Long.toString(512L << 10));
        assertThat(EtlKey.RATE_LIMIT.canonical("20M", base)).isEqualTo(Long.toString(20L << 20));
        assertThat(EtlKey.FETCH_BACKOFF.canonical("500ms", base)).isEqualTo("500ms");
        assertThat(EtlKey.TIMEOUT.canonical("5m", base)).isEqualTo("300000ms");
        assertThat(EtlKey.READ_TIMEOUT.canonical("30", base)).isEqualTo("30000ms");
        assertThat(EtlKey.PARTITION_TIMEOUT.canonical("24H", base)).isEqualTo("86400000ms");
    }

    @Test
    void oneMoreThanALimitIsRefusedNamingTheLimit() {
        Path base = Path.of("");
        assertThat(catchThrowable(() -> EtlKey.MAX_FILE_SIZE.canonical("1048577GB", base)))
            .hasMessage("expected a size from 1B to 1048576GB (1 PiB), got '1048577GB'");
        assertThat(catchThrowable(() -> EtlKey.RATE_LIMIT.canonical("1125899906842625", base)))
            .hasMessage("expected a size from 1B to 1048576GB (1 PiB), got '1125899906842625'");
        assertThat(catchThrowable(() -> EtlKey.TIMEOUT.canonical("31536000001ms", base)))
            .hasMessage("expected a duration from 1ms to 8760h (365 days), got '31536000001ms'");
        assertThat(catchThrowable(() -> EtlKey.MAX_FAILED_SOURCES.canonical("1000000000", base)))
            .hasMessageStartingWith("expected a count from 0 to 999999999");
    }

    @Test
    void everySpellingUsersWriteIsTakenAndStoredAsBefore() {
        Path base = Path.of("/srv/etl/run");
        assertThat(EtlKey.TIMEOUT.canonical("5 m", base)).isEqualTo("300000ms");
        assertThat(EtlKey.TIMEOUT.canonical(" 10S ", base)).isEqualTo("10000ms");
        assertThat(EtlKey.FETCH_BACKOFF.canonical("250MS", base)).isEqualTo("250ms");
        assertThat(EtlKey.SPLIT_SIZE.canonical("2g", base)).isEqualTo(Long.toString(2L << 30));
        assertThat(EtlKey.SPLIT_SIZE.canonical("7b", base)).isEqualTo("7");
        assertThat(EtlKey.SPLIT_SIZE.canonical("3 K", base)).isEqualTo(Long.toString(3L << 10));
        assertThat(EtlKey.RATE_LIMIT.canonical("NONE", base)).isEqualTo("none");
        assertThat(EtlKey.DELIMITER.canonical("\\t", base)).isEqualTo("\t");
        assertThat(EtlKey.DELIMITER.canonical("TAB", base)).isEqualTo("\t");
        assertThat(EtlKey.DELIMITER.canonical(" ", base)).isEqualTo(" ");
        assertThat(EtlKey.ESCAPE.canonical("None", base)).isEqualTo("none");
        assertThat(EtlKey.ESCAPE.canonical("\\", base)).isEqualTo("\\");
        assertThat(EtlKey.HEADER.canonical("YES", base)).isEqualTo("true");
        assertThat(EtlKey.HEADER.canonical("no", base)).isEqualTo("false");
        assertThat(EtlKey.ENCODING.canonical("utf8", base)).isEqualTo("UTF-8");
        assertThat(EtlKey.ENCODING.canonical("latin1", base)).isEqualTo("ISO-8859-1");
        assertThat(EtlKey.ALLOWED_HOSTS.canonical("*", base)).isEqualTo("any");
        assertThat(EtlKey.ALLOWED_HOSTS.canonical("Example.ORG, *.cdn.example.net,[::1]", base))
            .isEqualTo("example.org,*.cdn.example.net,[::1]");
        assertThat(EtlKey.MAX_FAILED_SOURCES.canonical("007", base)).isEqualTo("7");
        assertThat(EtlKey.MAX_FAILED_SOURCES.canonical("100%", base)).isEqualTo("100%");
        assertThat(EtlKey.NA_VALUES.canonical(" NA, ,null", base)).isEqualTo(" NA, ,null");
        assertThat(EtlKey.FILE_ROOTS.canonical("a, ../b/./c", base)).isEqualTo("/srv/etl/run/a,/srv/etl/b/c");
        assertThat(EtlKey.DIR.canonical(" data ", base)).isEqualTo("/srv/etl/run/data");
        assertThat(EtlKey.REPORT.canonical(" out/page.html ", base)).isEqualTo("/srv/etl/run/out/page.html");
        assertThat(EtlKey.REPORT.canonical("None", base)).isEqualTo("none");
        assertThat(EtlKey.RUN.canonical(" nightly-2024.01:1+x ", base)).isEqualTo("nightly-2024.01:1+x");
        assertThat(EtlKey.THREADS.canonical(" 08 ", base)).isEqualTo("8");
    }

    @Test
    void spellingsOutsideTheSyntaxAreRefusedWithTheirReason() {
        Path base = Path.of("");
        assertThat(catchThrowable(() -> EtlKey.TIMEOUT.canonical("1d", base)))
            .hasMessage("expected a duration such as 500ms, 10s, 5m or 1h, got '1d'");
        assertThat(catchThrowable(() -> EtlKey.TIMEOUT.canonical("PT5M", base)))
            .hasMessage("expected a duration such as 500ms, 10s, 5m or 1h, got 'PT5M'");
        assertThat(catchThrowable(() -> EtlKey.SPLIT_SIZE.canonical("1TB", base)))
            .hasMessage("expected a size such as 64MB, 512KB or 1GB, got '1TB'");
        assertThat(catchThrowable(() -> EtlKey.BAD_ROWS.canonical("SKIP", base)))
            .hasMessage("expected skip or fail-file, got 'SKIP'");
        assertThat(catchThrowable(() -> EtlKey.PARTITIONING.canonical("both", base)))
            .hasMessage("expected local or remote, got 'both'");
        assertThat(catchThrowable(() -> EtlKey.RETRY_OF.canonical("0", base)))
            .hasMessage("expected a job execution id (see: batch-etl list), got '0'");
        assertThat(catchThrowable(() -> EtlKey.RUN.canonical("-x", base)))
            .hasMessage("expected 1 to 100 of A-Z a-z 0-9 . _ : + - (starting with a letter or digit), got '-x'");
        assertThat(catchThrowable(() -> EtlKey.SOURCES.canonical(" ", base)))
            .hasMessage("expected a path, got nothing");
    }

    @Test
    void storedDurationsAndSizesAreShownInTheirLargestExactUnit() {
        assertThat(EtlKey.TIMEOUT.display("300000ms")).isEqualTo("5m");
        assertThat(EtlKey.PARTITION_TIMEOUT.display("86400000ms")).isEqualTo("24h");
        assertThat(EtlKey.FETCH_BACKOFF.display("1500ms")).isEqualTo("1500ms");
        assertThat(EtlKey.READ_TIMEOUT.display("30000ms")).isEqualTo("30s");
        assertThat(EtlKey.MAX_FILE_SIZE.display(Long.toString(64L << 30))).isEqualTo("64GB");
        assertThat(EtlKey.SPLIT_SIZE.display(Long.toString(3L << 20))).isEqualTo("3MB");
        assertThat(EtlKey.SPLIT_SIZE.display("1536")).isEqualTo("1536B");
        assertThat(EtlKey.RATE_LIMIT.display("none")).isEqualTo("none");
        assertThat(EtlKey.TIMEOUT.display("5m")).as("not written by this version").isEqualTo("5m");
        assertThat(EtlKey.THREADS.display("8")).isEqualTo("8");
        assertThat(EtlKey.THREADS.display(null)).isNull();
    }

    @Test
    void theReadmeListsTheKeysARestartMayChangeAsTheCodeHasThem() throws Exception {
        String readme = java.nio.file.Files.readString(Path.of("README.md")).replaceAll("\\s+", " ");
        var matcher = java.util.regex.Pattern.compile("say where its results go – (.*?) – may change").matcher(readme);
        assertThat(matcher.find()).as("the README's list of keys a restart may change").isTrue();
        List<String> listed = java.util.Arrays.stream(matcher.group(1).split(","))
            .map(key -> key.strip().replace("`", ""))
            .toList();
        List<String> tuning = java.util.Arrays.stream(EtlKey.values()).filter(EtlKey::tuning).map(EtlKey::key).toList();
        assertThat(listed).containsExactlyInAnyOrderElementsOf(tuning);
    }

}
