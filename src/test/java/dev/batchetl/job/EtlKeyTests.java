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
