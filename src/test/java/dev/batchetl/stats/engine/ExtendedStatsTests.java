package dev.batchetl.stats.engine;

import static dev.batchetl.stats.engine.StatsTestSupport.col;
import static dev.batchetl.stats.engine.StatsTestSupport.fmt;
import static dev.batchetl.stats.engine.StatsTestSupport.stats;
import static dev.batchetl.stats.engine.StatsTestSupport.statsResumed;
import static dev.batchetl.stats.engine.StatsTestSupport.statsSplit;
import static dev.batchetl.stats.engine.StatsTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sums, distinct counts, quartiles, dates, NA values, invalid bytes and gzip, checked
 * against values computed independently (BigDecimal, sorted lists, hash sets) or by hand.
 */
class ExtendedStatsTests {

    private static final MathContext MC = new MathContext(40);

    @TempDir
    Path dir;

    // ----- independent computations
    // --------------------------------------------------------------------------------

    /** pandas' quantile(q), linear interpolation, in BigDecimal. */
    static BigDecimal quantile(List<BigDecimal> sorted, double q) {
        BigDecimal h = BigDecimal.valueOf(sorted.size() - 1).multiply(BigDecimal.valueOf(q));
        int lo = h.intValue();
        BigDecimal frac = h.subtract(BigDecimal.valueOf(lo));
        BigDecimal a = sorted.get(lo);
        if (frac.signum() == 0) {
            return a;
        }
        BigDecimal b = sorted.get(Math.min(lo + 1, sorted.size() - 1));
        return a.add(b.subtract(a).multiply(frac));
    }

    static BigDecimal sampleVariance(List<BigDecimal> values) {
        BigDecimal mean = values.stream()
            .reduce(BigDecimal.ZERO, BigDecimal::add)
            .divide(BigDecimal.valueOf(values.size()), MC);
        BigDecimal ss = BigDecimal.ZERO;
        for (BigDecimal v : values) {
            BigDecimal d = v.subtract(mean);
            ss = ss.add(d.multiply(d));
        }
        return ss.divide(BigDecimal.valueOf(values.size() - 1), MC);
    }

    static void assertRelative(String actual, BigDecimal expected, double tolerance, String what) {
        assertThat(actual).as(what).isNotNull();
        BigDecimal a = new BigDecimal(actual);
        if (expected.signum() == 0) {
            assertThat(a.abs().doubleValue()).as(what).isLessThanOrEqualTo(tolerance);
            return;
        }
        double rel = a.subtract(expected).abs().divide(expected.abs(), MC).doubleValue();
        assertThat(rel).as(what + ": " + actual + " vs " + expected.toPlainString()).isLessThanOrEqualTo(tolerance);
    }

    // ----- statistics
    // ----------------------------------------------------------------------------------------------

    @Test
    void fewDistinctValuesGiveExactStatistics() throws Exception {
        Random rnd = new Random(3);
        StringBuilder sb = new StringBuilder("f,i,t\n");
        List<BigDecimal> floats = new ArrayList<>();
        List<BigDecimal> ints = new ArrayList<>();
        Set<String> texts = new HashSet<>();
        for (int r = 0; r < 5000; r++) {
            String f = (rnd.nextInt(60) - 30) + "." + rnd.nextInt(10);
            String i = Integer.toString(rnd.nextInt(900) - 100);
            String t = "w" + rnd.nextInt(700);
            floats.add(new BigDecimal(f));
            ints.add(new BigDecimal(i));
            texts.add(t);
            sb.append(f).append(',').append(i).append(',').append(t).append('\n');
        }
        FileStats s = stats(write(dir, "few.csv", sb.toString()));
        for (String name : List.of("f", "i")) {
            List<BigDecimal> values = name.equals("f") ? floats : ints;
            ColumnStats c = col(s, name);
            List<BigDecimal> sorted = new ArrayList<>(values);
            sorted.sort(null);
            BigDecimal sum = values.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
            assertRelative(c.sum(), sum, 1e-12, name + " sum");
            assertRelative(fmt(c.mean()), sum.divide(BigDecimal.valueOf(values.size()), MC), 1e-12, name + " mean");
            BigDecimal var = sampleVariance(values);
            assertRelative(fmt(c.variance()), var, 1e-9, name + " variance");
            assertRelative(fmt(c.std()), var.sqrt(MC), 1e-9, name + " std");
            assertThat(c.quantilesExact()).isTrue();
            assertRelative(fmt(c.q1()), quantile(sorted, 0.25), 1e-12, name + " q1");
            assertRelative(fmt(c.median()), quantile(sorted, 0.5), 1e-12, name + " median");
            assertRelative(fmt(c.q3()), quantile(sorted, 0.75), 1e-12, name + " q3");
            Set<BigDecimal> distinct = new HashSet<>();
            values.forEach(v -> distinct.add(v.stripTrailingZeros()));
            assertThat(c.distinct()).as(name).isEqualTo(distinct.size());
            assertThat(c.distinctExact()).isTrue();
        }
        assertThat(col(s, "i").sum()).isEqualTo(ints.stream().reduce(BigDecimal.ZERO, BigDecimal::add).toString());
        ColumnStats t = col(s, "t");
        assertThat(t.distinct()).isEqualTo(texts.size());
        assertThat(fmt(t.q1())).isNull();
        assertThat(t.sum()).isNull();
    }

    @Test
    void medianOfEvenCountInterpolates() throws Exception {
        FileStats s = stats(write(dir, "m.csv", "x,b\n1,True\n2,false\n10,TRUE\n4,True\n"));
        ColumnStats x = col(s, "x");
        assertThat(fmt(x.median())).isEqualTo("3.0"); // (2 + 4) / 2
        assertThat(fmt(x.q1())).isEqualTo("1.75"); // 1 + 0.75 * (2 - 1)
        assertThat(fmt(x.q3())).isEqualTo("5.5"); // 4 + 0.25 * (10 - 4)
        assertThat(x.sum()).isEqualTo("17");
        ColumnStats b = col(s, "b");
        assertThat(b.sum()).isEqualTo("3");
        assertThat(b.distinct()).isEqualTo(2); // True, true and TRUE are one value
    }

    @Test
    void numericDistinctIsByValueTextDistinctByText() throws Exception {
        FileStats s = stats(write(dir, "d.csv", "n,t\n1,1\n1.0,1.0\n01,01\n2,x\n"));
        assertThat(col(s, "n").distinct()).isEqualTo(2); // 1 == 1.0 == 01
        assertThat(col(s, "t").distinct()).isEqualTo(4); // text: four different strings
    }

    @Test
    void numbersWrittenSeveralWaysCountOnceAsValuesAndApartAsTexts() throws Exception {
        // the same values spelt the canonical way and others; column t turns text at its
        // last row
        List<String> spellings = List.of("5", "5.0", "5.00", "+5", "05", "5e0", " 5", "-0", "0", "0.0", "-0.0", "1.5",
                "1.50", "-1.5", "0.25", ".25", "0.250", "2.5E-1", "123456789012345", "1234567890.12345",
                "1234567890.123456", "TRUE", "True", "true", "False");
        StringBuilder sb = new StringBuilder("n,t\n");
        for (String v : spellings.subList(0, 21)) {
            sb.append('"').append(v).append("\",\"").append(v).append("\"\n");
        }
        sb.append("1,x\n");
        FileStats s = stats(write(dir, "spellings.csv", sb.toString()));
        // by value: 5, 0, 1.5, -1.5, 0.25, 123456789012345, 1234567890.12345,
        // 1234567890.123456 and 1
        assertThat(col(s, "n").distinct()).isEqualTo(9);
        // by text: the 21 spellings and x
        assertThat(col(s, "t").distinct()).isEqualTo(22);
        ColumnStats b = col(stats(write(dir, "b.csv", "b\n" + String.join("\n", spellings.subList(21, 25)) + "\n")),
                "b");
        assertThat(b.distinct()).isEqualTo(2);
        // many values, estimated: each value twice, once with a trailing zero; the text
        // column ends with a word
        StringBuilder many = new StringBuilder("n,t\n");
        for (int i = 1; i <= 30_000; i++) {
            String v = i + "." + (1 + i % 9);
            many.append(v).append(',').append(v).append('\n').append(v).append("0,").append(v).append("0\n");
        }
        many.append("1.1,x\n");
        assertEstimatedSplitAndResumed("many-spellings.csv", many, "n", 30_000, "t", 60_001, 50_000, 3_333);
    }

    /**
     * The file's typed column has about typedDistinct distinct values and its text column
     * about textDistinct, both estimated (within 6.5%); split and resumed reads give the
     * same statistics.
     */
    private void assertEstimatedSplitAndResumed(String name, CharSequence csv, String typed, long typedDistinct,
            String text, long textDistinct, long splitSize, int every) throws Exception {
        Path f = write(dir, name, csv.toString());
        FileStats m = stats(f);
        assertThat(col(m, typed).distinctExact()).isFalse();
        assertThat((double) col(m, typed).distinct()).isCloseTo(typedDistinct,
                org.assertj.core.data.Offset.offset(typedDistinct * 0.065));
        assertThat((double) col(m, text).distinct()).isCloseTo(textDistinct,
                org.assertj.core.data.Offset.offset(textDistinct * 0.065));
        SplitResumeTests.assertSameStats(statsSplit(f, CsvOptions.defaults(), splitSize, new ArrayList<>()), m);
        SplitResumeTests.assertSameStats(statsResumed(f, CsvOptions.defaults(), every, 4096, new ArrayList<>()), m);
    }

    @Test
    void datesWrittenSeveralWaysCountOnceAsValuesAndApartAsTexts() throws Exception {
        // a date as YYYY-MM-DD and as a date-time at midnight: one value, two texts;
        // column t turns text at its end
        StringBuilder sb = new StringBuilder("d,t\n");
        for (String v : List.of("2024-01-02", "2024-01-02T00:00:00", "2024-01-02 00:00:00", "2024-01-03",
                "2024-01-03T00:00:00.000", "2024-01-02")) {
            sb.append(v).append(',').append(v).append('\n');
        }
        sb.append("2024-01-04,x\n");
        FileStats s = stats(write(dir, "date-spellings.csv", sb.toString()));
        assertThat(col(s, "d").type()).isEqualTo(ColumnType.DATETIME);
        assertThat(col(s, "d").distinct()).isEqualTo(3); // 2 January, 3 January, 4
                                                         // January
        assertThat(col(s, "d").distinctExact()).isTrue();
        assertThat(col(s, "t").type()).isEqualTo(ColumnType.TEXT);
        assertThat(col(s, "t").distinct()).isEqualTo(6); // five texts and x
        // a date-shaped text that is no date stays a text; a text column counts dates by
        // text, whatever came first
        FileStats w = stats(write(dir, "words-first.csv", "w\nx\n2023-02-29\n2024-02-29\n2024-02-29\ny\n"));
        assertThat(col(w, "w").distinct()).isEqualTo(4);
        // many dates, estimated: each as a date and as a date-time; the text column ends
        // with a word
        StringBuilder many = new StringBuilder("d,t\n");
        java.time.LocalDate day = java.time.LocalDate.of(1990, 1, 1);
        for (int i = 0; i < 6_000; i++, day = day.plusDays(1)) {
            many.append(day)
                .append(',')
                .append(day)
                .append('\n')
                .append(day)
                .append("T00:00:00,")
                .append(day)
                .append("T00:00:00\n");
        }
        many.append(day).append(",x\n");
        assertEstimatedSplitAndResumed("many-dates.csv", many, "d", 6_001, "t", 12_001, 20_000, 777);
    }

    @Test
    void manyDistinctValuesAreEstimatedWithinTheStatedBounds() throws Exception {
        Random rnd = new Random(11);
        StringBuilder sb = new StringBuilder("x,id\n");
        List<BigDecimal> values = new ArrayList<>();
        for (int r = 0; r < 50_000; r++) {
            double v = Math.exp(rnd.nextGaussian() * 2) * 100;
            String text = String.format("%.4f", v);
            values.add(new BigDecimal(text));
            sb.append(text).append(',').append(r).append('\n');
        }
        Path f = write(dir, "many.csv", sb.toString());
        FileStats s = stats(f);
        ColumnStats x = col(s, "x");
        List<BigDecimal> sorted = new ArrayList<>(values);
        sorted.sort(null);
        assertThat(x.quantilesExact()).isFalse();
        assertRelative(fmt(x.q1()), quantile(sorted, 0.25), LogHistogram.ALPHA, "q1");
        assertRelative(fmt(x.median()), quantile(sorted, 0.5), LogHistogram.ALPHA, "median");
        assertRelative(fmt(x.q3()), quantile(sorted, 0.75), LogHistogram.ALPHA, "q3");
        // exact statistics stay exact
        BigDecimal sum = values.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        assertRelative(x.sum(), sum, 1e-12, "sum");
        ColumnStats id = col(s, "id");
        assertThat(id.distinctExact()).isFalse();
        // HLL lgK=12: relative standard error 1.6%; 4 standard errors
        assertThat((double) id.distinct()).isCloseTo(50_000, org.assertj.core.data.Offset.offset(50_000 * 0.065));
        assertThat(fmt(id.median())).isNotNull();
        // split into many ranges and resumed from checkpoints: identical, estimates
        // included
        SplitResumeTests.assertSameStats(statsSplit(f, CsvOptions.defaults(), 20_000, new ArrayList<>()), s);
        SplitResumeTests.assertSameStats(statsResumed(f, CsvOptions.defaults(), 777, 4096, new ArrayList<>()), s);
    }

    @Test
    void quotedNewlinesSplitAtTinySizeEqualTheWholeFile() throws Exception {
        StringBuilder sb = new StringBuilder("id,note,v\n");
        Random rnd = new Random(5);
        for (int r = 0; r < 3000; r++) {
            sb.append(r).append(",\"line one\nline, two\r\n\"\"three\"\"\n\",").append(rnd.nextInt(5000)).append('\n');
        }
        Path f = write(dir, "nl.csv", sb.toString());
        FileStats whole = stats(f);
        assertThat(whole.rows()).isEqualTo(3000);
        assertThat(whole.badRows()).isZero();
        SplitResumeTests.assertSameStats(statsSplit(f, CsvOptions.defaults(), 64, new ArrayList<>()), whole);
    }

    // ----- types
    // ---------------------------------------------------------------------------------------------------

    @Test
    void datesAndDateTimes() throws Exception {
        FileStats s = stats(write(dir, "dt.csv", "d,t,z,mixed,bad,num\n"
                + "2024-02-29,2024-01-01T10:00:00,2024-01-01T10:00:00Z,2024-01-01,2023-02-29,2024\n"
                + "1999-12-31,2024-01-01 09:59:59.5,2024-01-01T12:00:00+02:00,2024-01-01T00:00:00Z,2023-01-01,5\n"
                + ",2023-06-30,NA,,2023-01-02,7\n"));
        ColumnStats d = col(s, "d");
        assertThat(d.type()).isEqualTo(ColumnType.DATE);
        assertThat(d.min()).isEqualTo("1999-12-31");
        assertThat(d.max()).isEqualTo("2024-02-29");
        assertThat(d.nulls()).isEqualTo(1);
        ColumnStats t = col(s, "t");
        assertThat(t.type()).isEqualTo(ColumnType.DATETIME);
        assertThat(t.min()).isEqualTo("2023-06-30 00:00:00");
        assertThat(t.max()).isEqualTo("2024-01-01 10:00:00");
        ColumnStats z = col(s, "z");
        assertThat(z.type()).isEqualTo(ColumnType.DATETIME);
        assertThat(z.min()).isEqualTo("2024-01-01 10:00:00+00:00");
        assertThat(z.max()).isEqualTo("2024-01-01 10:00:00+00:00");
        assertThat(z.distinct()).isEqualTo(1); // the same instant twice
        assertThat(col(s, "mixed").type()).isEqualTo(ColumnType.TEXT); // naive and zoned:
                                                                       // pandas refuses
                                                                       // to mix
        assertThat(col(s, "bad").type()).isEqualTo(ColumnType.TEXT); // 2023-02-29 is no
                                                                     // date
        assertThat(col(s, "num").type()).isEqualTo(ColumnType.INTEGER);
    }

    // ----- dialect: NA values, invalid bytes, gzip
    // -----------------------------------------------------------------

    @Test
    void naValuesKey() throws Exception {
        assertThat(CsvOptions.parseNaValues("pandas")).isEqualTo(CsvOptions.pandasNaValues());
        assertThat(CsvOptions.parseNaValues("none")).isEmpty();
        assertThat(CsvOptions.parseNaValues(",-,n\\,a")).containsExactly("", "-", "n,a");
        Path f = write(dir, "na.csv", "a,b\n-,\nNA,1\n3,2\n");
        FileStats custom = stats(f, CsvOptions.defaults().withNaValues(CsvOptions.parseNaValues("-")));
        assertThat(col(custom, "a").type()).isEqualTo(ColumnType.TEXT); // NA is a string
                                                                        // now
        assertThat(col(custom, "a").nulls()).isEqualTo(1);
        assertThat(col(custom, "b").type()).isEqualTo(ColumnType.TEXT); // the empty field
                                                                        // is a string too
        FileStats none = stats(f, CsvOptions.defaults().withNaValues(CsvOptions.parseNaValues("none")));
        assertThat(col(none, "b").nulls()).isZero();
        assertThat(col(none, "b").minLength()).isZero();
    }

    @Test
    void invalidBytesFailTheFileOrAreReplacedAndCounted() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("name,n\nok,1\n".getBytes(StandardCharsets.UTF_8));
        b.writeBytes(new byte[] { 'a', (byte) 0xFF, 'b', ',', '2', '\n' });
        b.writeBytes(new byte[] { '"', (byte) 0xE2, (byte) 0x82, '"', ',', '3', '\n' }); // cut
                                                                                         // 3-byte
                                                                                         // sequence
        b.writeBytes("caf\u00e9,4\n".getBytes(StandardCharsets.UTF_8));
        Path f = write(dir, "bad.csv", b.toByteArray());
        assertThatThrownBy(() -> stats(f)).isInstanceOf(CsvFormatException.class)
            .hasMessage("line 3: invalid UTF-8 byte sequence");
        CsvOptions replace = CsvOptions.defaults().withInvalidBytes(InvalidBytePolicy.REPLACE);
        FileStats s = stats(f, replace);
        assertThat(s.rows()).isEqualTo(4);
        assertThat(s.invalidBytes()).isEqualTo(2);
        ColumnStats name = col(s, "name");
        assertThat(name.max()).isEqualTo("\uFFFD"); // U+FFFD sorts after the other values
        assertThat(name.min()).isEqualTo("a\uFFFDb");
        SplitResumeTests.assertSameStats(statsResumed(f, replace, 1, 16, new ArrayList<>()), s);
    }

    @Test
    void gzipIsReadTransparentlyAndResumes() throws Exception {
        String text = SplitResumeTests.nastyCsv(2000, 9, true);
        Path plain = write(dir, "n.csv", text);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        Path packed = write(dir, "n.csv.gz", gz.toByteArray());
        FileStats expected = stats(plain);
        SplitResumeTests.assertSameStats(stats(packed), expected);
        // resumed from checkpoints: the file is decompressed again and the bytes before
        // the checkpoint skipped
        SplitResumeTests.assertSameStats(statsResumed(packed, CsvOptions.defaults(), 97, 1024, new ArrayList<>()),
                expected);
        // never split
        assertThat(CsvSplitter.split(packed, CsvOptions.defaults(), 100)).hasSize(1);
    }

}
