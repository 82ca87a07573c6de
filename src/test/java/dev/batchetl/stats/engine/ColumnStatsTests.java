package dev.batchetl.stats.engine;

import static dev.batchetl.stats.engine.StatsTestSupport.col;
import static dev.batchetl.stats.engine.StatsTestSupport.fmt;
import static dev.batchetl.stats.engine.StatsTestSupport.stats;
import static dev.batchetl.stats.engine.StatsTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ColumnStatsTests {

    @TempDir
    Path dir;

    @Test
    void integerColumn() throws Exception {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sum of squared deviations 32, sample variance
        // 32/7
        FileStats s = stats(write(dir, "i.csv", "x\n2\n4\n4\n\" 4\"\n5\n5\n7\n9\n"));
        ColumnStats x = col(s, "x");
        assertThat(x.type()).isEqualTo(ColumnType.INTEGER);
        assertThat(x.type().label()).isEqualTo("integer");
        assertThat(x.count()).isEqualTo(8);
        assertThat(x.nulls()).isZero();
        assertThat(fmt(x.mean())).isEqualTo("5.0");
        assertThat(x.min()).isEqualTo("2");
        assertThat(x.max()).isEqualTo("9");
        assertThat(Double.parseDouble(fmt(x.variance()))).isCloseTo(32.0 / 7,
                org.assertj.core.data.Offset.offset(1e-15));
        assertThat(Double.parseDouble(fmt(x.std()))).isCloseTo(Math.sqrt(32.0 / 7),
                org.assertj.core.data.Offset.offset(1e-15));
        assertThat(x.minLength()).isEqualTo(1);
        assertThat(x.maxLength()).isEqualTo(2); // " 4"
    }

    @Test
    void integerWithNullBecomesFloat() throws Exception {
        FileStats s = stats(write(dir, "i.csv", "x,y\n1,-7\n,0\n3,42\n"));
        ColumnStats x = col(s, "x");
        assertThat(x.type()).isEqualTo(ColumnType.FLOAT);
        assertThat(x.count()).isEqualTo(2);
        assertThat(x.nulls()).isEqualTo(1);
        assertThat(fmt(x.mean())).isEqualTo("2.0");
        assertThat(x.min()).isEqualTo("1.0");
        assertThat(x.max()).isEqualTo("3.0");
        assertThat(fmt(x.variance())).isEqualTo("2.0");
        ColumnStats y = col(s, "y");
        assertThat(y.type()).isEqualTo(ColumnType.INTEGER);
        assertThat(y.min()).isEqualTo("-7");
        assertThat(y.max()).isEqualTo("42");
        assertThat(fmt(y.mean())).isEqualTo("11.666666666666666");
    }

    @Test
    void mixedIntegersAndFloats() throws Exception {
        FileStats s = stats(write(dir, "f.csv", "x\n1\n2.5\n1e-5\n-3\n"));
        ColumnStats x = col(s, "x");
        assertThat(x.type()).isEqualTo(ColumnType.FLOAT);
        assertThat(x.min()).isEqualTo("-3.0");
        assertThat(x.max()).isEqualTo("2.5");
        // (1 + 2.5 + 0.00001 - 3) / 4 = 0.1250025
        assertThat(fmt(x.mean())).isEqualTo("0.1250025");
    }

    @Test
    void smallAndLargeFloatsArePlainDecimals() throws Exception {
        FileStats s = stats(write(dir, "f.csv", "x\n1e-5\n1e20\n"));
        ColumnStats x = col(s, "x");
        assertThat(x.min()).isEqualTo("0.00001");
        assertThat(x.max()).isEqualTo("100000000000000000000.0");
        assertThat(ColumnAccumulator.format(0.1 + 0.2)).isEqualTo("0.30000000000000004");
        assertThat(ColumnAccumulator.format(-0.0)).isEqualTo("0.0");
        assertThat(ColumnAccumulator.format(1.5e-300)).doesNotContain("E").startsWith("0.000");
    }

    @Test
    void infinities() throws Exception {
        FileStats s = stats(write(dir, "f.csv", "x,y\ninf,1\n1,-Infinity\n2,inf\n"));
        ColumnStats x = col(s, "x");
        assertThat(x.type()).isEqualTo(ColumnType.FLOAT);
        assertThat(x.max()).isEqualTo("inf");
        assertThat(x.min()).isEqualTo("1.0");
        assertThat(fmt(x.mean())).isEqualTo("inf");
        ColumnStats y = col(s, "y");
        assertThat(y.min()).isEqualTo("-inf");
        assertThat(y.max()).isEqualTo("inf");
        assertThat(fmt(y.mean())).isNull(); // inf - inf is NaN
    }

    @Test
    void integersBeyondInt64FollowPandas() throws Exception {
        // x: uint64 values (pandas: uint64); y: int64 whose exact sum overflows; z:
        // beyond uint64 (pandas: object);
        // w: negative and beyond int64 (pandas: object); v: beyond int64 with a null
        // (pandas: float64)
        FileStats s = stats(write(dir, "b.csv",
                "x,y,z,w,v\n" + "18446744073709551615,9223372036854775807,18446744073709551616,-1,9223372036854775808\n"
                        + "1,9223372036854775807,2,9223372036854775808,\n"));
        ColumnStats x = col(s, "x");
        assertThat(x.type()).isEqualTo(ColumnType.INTEGER);
        assertThat(x.min()).isEqualTo("1");
        assertThat(x.max()).isEqualTo("18446744073709551615");
        assertThat(x.sum()).isEqualTo("18446744073709551616");
        assertThat(fmt(x.mean())).isEqualTo("9223372036854776000.0"); // 2^64 / 2 = 2^63
        ColumnStats y = col(s, "y");
        assertThat(y.type()).isEqualTo(ColumnType.INTEGER);
        assertThat(y.max()).isEqualTo("9223372036854775807");
        assertThat(y.sum()).isEqualTo("18446744073709551614");
        assertThat(fmt(y.mean())).isEqualTo("9223372036854776000.0"); // 2^63 - 1, rounded
        ColumnStats z = col(s, "z");
        assertThat(z.type()).isEqualTo(ColumnType.TEXT);
        assertThat(z.min()).isEqualTo("18446744073709551616");
        assertThat(z.max()).isEqualTo("2");
        assertThat(col(s, "w").type()).isEqualTo(ColumnType.TEXT);
        ColumnStats v = col(s, "v");
        assertThat(v.type()).isEqualTo(ColumnType.FLOAT);
        // 2^63 as a double, rendered from its shortest representation
        // 9.223372036854776E18
        assertThat(v.max()).isEqualTo("9223372036854776000.0");
    }

    @Test
    void invalidNumbersMakeTextColumns() throws Exception {
        FileStats s = stats(write(dir, "t.csv", "a,b,c,d,e\n1,1,1,1,1\n1d,0x10,1_000,\"1,5\",1e\n"));
        for (String name : new String[] { "a", "b", "c", "d", "e" }) {
            ColumnStats c = col(s, name);
            assertThat(c.type()).as(name).isEqualTo(ColumnType.TEXT);
            assertThat(fmt(c.mean())).as(name).isNull();
        }
        assertThat(col(s, "a").min()).isEqualTo("1");
        assertThat(col(s, "a").max()).isEqualTo("1d");
        assertThat(col(s, "b").min()).isEqualTo("0x10");
        assertThat(col(s, "b").max()).isEqualTo("1");
        assertThat(col(s, "d").max()).isEqualTo("1,5");
    }

    @Test
    void quotedNumbersAndNumbersWithSpaces() throws Exception {
        FileStats s = stats(write(dir, "n.csv", "x,y\n\"1\",\" 1.5\"\n 2 ,\t2.5\t\n"));
        assertThat(col(s, "x").type()).isEqualTo(ColumnType.INTEGER);
        assertThat(fmt(col(s, "x").mean())).isEqualTo("1.5");
        assertThat(col(s, "y").type()).isEqualTo(ColumnType.FLOAT);
        assertThat(fmt(col(s, "y").mean())).isEqualTo("2.0");
        assertThat(col(s, "y").maxLength()).isEqualTo(5);
    }

    @Test
    void booleans() throws Exception {
        FileStats s = stats(write(dir, "b.csv",
                "a,b,c,d,e\nTrue,true,True,True,True\nFALSE,TRUE,,1,x\nfalse,True,False,0,y\nTrue,true,true,1,z\n"));
        ColumnStats a = col(s, "a");
        assertThat(a.type()).isEqualTo(ColumnType.BOOLEAN);
        assertThat(a.type().label()).isEqualTo("boolean");
        assertThat(fmt(a.mean())).isEqualTo("0.5");
        assertThat(a.min()).isEqualTo("False");
        assertThat(a.max()).isEqualTo("True");
        // 0/1 values 1,0,0,1: variance 1/3
        assertThat(fmt(a.variance())).isEqualTo("0.3333333333333333");
        ColumnStats b = col(s, "b");
        assertThat(b.type()).isEqualTo(ColumnType.BOOLEAN);
        assertThat(fmt(b.mean())).isEqualTo("1.0");
        assertThat(b.min()).isEqualTo("True");
        assertThat(b.max()).isEqualTo("True");
        assertThat(fmt(b.variance())).isEqualTo("0.0");
        // booleans with a null: object in pandas -> text with raw min/max
        ColumnStats c = col(s, "c");
        assertThat(c.type()).isEqualTo(ColumnType.TEXT);
        assertThat(c.min()).isEqualTo("False");
        assertThat(c.max()).isEqualTo("true");
        assertThat(col(s, "d").type()).isEqualTo(ColumnType.TEXT);
        assertThat(col(s, "e").type()).isEqualTo(ColumnType.TEXT);
    }

    @Test
    void meanMatchesHighPrecisionComputation() throws Exception {
        StringBuilder sb = new StringBuilder("x,i\n");
        BigDecimal sum = BigDecimal.ZERO;
        BigDecimal isum = BigDecimal.ZERO;
        java.util.Random rnd = new java.util.Random(42);
        int n = 20_000;
        for (int k = 0; k < n; k++) {
            // large offset with small variations: a naive double sum loses digits
            String v = (1_000_000 + rnd.nextInt(1000)) + "." + String.format("%06d", rnd.nextInt(1_000_000));
            long iv = rnd.nextLong() / 4;
            sb.append(v).append(',').append(iv).append('\n');
            sum = sum.add(new BigDecimal(new BigDecimal(v).doubleValue())); // the parsed
                                                                            // double
                                                                            // values
            isum = isum.add(BigDecimal.valueOf(iv));
        }
        FileStats s = stats(write(dir, "m.csv", sb.toString()));
        double expected = sum.divide(BigDecimal.valueOf(n), MathContext.DECIMAL128).doubleValue();
        double actual = Double.parseDouble(fmt(col(s, "x").mean()));
        assertThat(Math.abs(actual - expected) / Math.abs(expected)).isLessThan(1e-12);
        double iexpected = isum.divide(BigDecimal.valueOf(n), MathContext.DECIMAL128).doubleValue();
        assertThat(Double.parseDouble(fmt(col(s, "i").mean()))).isEqualTo(iexpected);
    }

    @Test
    void textMinMaxMatchBruteForce() throws Exception {
        java.util.Random rnd = new java.util.Random(9);
        String[] atoms = { "a", "b", "ab", "\u00e9", "\uFFFD", "\uD83D\uDE00", "1", " ", "Z", "note " };
        java.util.List<String> values = new java.util.ArrayList<>();
        StringBuilder sb = new StringBuilder("t\n");
        for (int i = 0; i < 3000; i++) {
            StringBuilder v = new StringBuilder();
            int parts = 1 + rnd.nextInt(6);
            for (int k = 0; k < parts; k++) {
                v.append(atoms[rnd.nextInt(atoms.length)]);
            }
            String value = v.toString();
            if (value.isBlank()) {
                continue; // a whitespace-only line is a blank line
            }
            values.add(value);
            sb.append('"').append(value).append("\"\n");
        }
        java.util.Comparator<String> byCodePoint = (x, y) -> java.util.Arrays.compare(x.codePoints().toArray(),
                y.codePoints().toArray());
        FileStats s = stats(write(dir, "t.csv", sb.toString()));
        ColumnStats t = col(s, "t");
        assertThat(t.count()).isEqualTo(values.size());
        assertThat(t.min()).isEqualTo(values.stream().min(byCodePoint).orElseThrow());
        assertThat(t.max()).isEqualTo(values.stream().max(byCodePoint).orElseThrow());
        assertThat(t.minLength())
            .isEqualTo(values.stream().mapToInt(v -> v.codePointCount(0, v.length())).min().orElseThrow());
        assertThat(t.maxLength())
            .isEqualTo(values.stream().mapToInt(v -> v.codePointCount(0, v.length())).max().orElseThrow());
    }

    @Test
    void varianceWithOneValueIsNull() throws Exception {
        FileStats s = stats(write(dir, "v.csv", "x,y\n3.5,1\n,\n"));
        assertThat(fmt(col(s, "x").variance())).isNull();
        assertThat(fmt(col(s, "x").std())).isNull();
        assertThat(fmt(col(s, "x").mean())).isEqualTo("3.5");
        assertThat(fmt(col(s, "y").variance())).isNull();
    }

    @Test
    void varianceOfKnownFloats() throws Exception {
        // 0.1, 0.2, 0.3, 0.4: mean 0.25, squared deviations sum 0.05, sample variance
        // 0.05/3
        FileStats s = stats(write(dir, "v.csv", "x\n0.1\n0.2\n0.3\n0.4\n"));
        ColumnStats x = col(s, "x");
        assertThat(Double.parseDouble(fmt(x.mean()))).isEqualTo(0.25);
        assertThat(Double.parseDouble(fmt(x.variance()))).isCloseTo(0.05 / 3,
                org.assertj.core.data.Offset.offset(1e-17));
        assertThat(Double.parseDouble(fmt(x.std()))).isCloseTo(Math.sqrt(0.05 / 3),
                org.assertj.core.data.Offset.offset(1e-16));
    }

    @Test
    void varianceMatchesAnExactComputation() throws Exception {
        // a large offset with small variations, an outlier first, and enough values for
        // many blocks of moments
        StringBuilder sb = new StringBuilder("x\n1e9\n");
        List<BigDecimal> values = new ArrayList<>(List.of(new BigDecimal("1e9")));
        java.util.Random rnd = new java.util.Random(7);
        for (int k = 0; k < 10_000; k++) {
            String v = (1_000_000 + rnd.nextInt(1000)) + "." + String.format("%04d", rnd.nextInt(10_000));
            sb.append(v).append('\n');
            values.add(new BigDecimal(new BigDecimal(v).doubleValue())); // the parsed
                                                                         // double values
        }
        BigDecimal n = BigDecimal.valueOf(values.size());
        BigDecimal mean = values.stream().reduce(BigDecimal.ZERO, BigDecimal::add).divide(n, MathContext.DECIMAL128);
        BigDecimal squares = values.stream().map(v -> v.subtract(mean).pow(2)).reduce(BigDecimal.ZERO, BigDecimal::add);
        double expected = squares.divide(n.subtract(BigDecimal.ONE), MathContext.DECIMAL128).doubleValue();
        double actual = Double.parseDouble(fmt(col(stats(write(dir, "var.csv", sb.toString())), "x").variance()));
        assertThat(Math.abs(actual - expected) / expected).isLessThan(1e-12);
        // values whose sum overflows a double: no exception, the variance is infinite as
        // in pandas
        ColumnStats huge = col(stats(write(dir, "huge.csv", "x\n1e308\n1.5e308\n-1e308\n1e308\n")), "x");
        assertThat(huge.max()).isEqualTo("15" + "0".repeat(307) + ".0");
        assertThat(huge.variance()).isEqualTo(Double.POSITIVE_INFINITY);
    }

}
