package dev.batchetl.stats.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NumberParserTests {

    private final NumberParser p = new NumberParser();

    private int parse(String s) {
        byte[] b = ("##" + s + "##").getBytes(StandardCharsets.UTF_8);
        return p.parse(b, 2, b.length - 2);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|',
            value = { "0|0", "42|42", "-7|-7", "+5|5", "007|7", "' 12'|12", "'12\t'|12", "'\t -3  '|-3", "-0|0",
                    "9223372036854775807|9223372036854775807", "-9223372036854775808|-9223372036854775808" })
    void integers(String text, long value) {
        assertThat(parse(text)).isEqualTo(NumberParser.INT);
        assertThat(p.longValue).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = { "1.5", ".5", "5.", "-.5", "+1e5", "1E-5", "1e+05", " 2.25 ", "0.1", "3.141592653589793",
            "1.7976931348623157e308", "4.9e-324", "2.2250738585072014E-308", "0.30000000000000004",
            "1.00000000000000000000000001", "9007199254740993.0", "1e22", "1e23", "8.41e21", "0.000001",
            "12345678901234567e-20" })
    void floatsAreCorrectlyRounded(String text) {
        assertThat(parse(text)).isEqualTo(NumberParser.FLOAT);
        assertThat(p.doubleValue).isEqualTo(Double.parseDouble(text.trim()));
    }

    @ParameterizedTest
    @ValueSource(strings = { "123456789012345678901234567890", "9223372036854775808", "-9223372036854775809",
            "18446744073709551616", "+18446744073709551615" })
    void integersBeyondInt64AreExact(String text) {
        assertThat(parse(text)).isEqualTo(NumberParser.BIGINT);
        assertThat(p.bigValue).isEqualTo(new java.math.BigInteger(text));
        assertThat(p.doubleValue).isEqualTo(Double.parseDouble(text));
    }

    @org.junit.jupiter.api.Test
    void randomNumbersAgreeWithTheJdk() {
        java.util.Random rnd = new java.util.Random(5);
        String digits = "0123456789";
        for (int i = 0; i < 200_000; i++) {
            StringBuilder sb = new StringBuilder();
            if (rnd.nextInt(4) == 0) {
                sb.append(rnd.nextBoolean() ? '-' : '+');
            }
            int intLen = rnd.nextInt(rnd.nextInt(4) == 0 ? 25 : 10);
            for (int k = 0; k < intLen; k++) {
                sb.append(digits.charAt(rnd.nextInt(10)));
            }
            boolean isFloat = false;
            if (rnd.nextInt(3) > 0) {
                sb.append('.');
                int fracLen = rnd.nextInt(rnd.nextInt(4) == 0 ? 25 : 10);
                for (int k = 0; k < fracLen; k++) {
                    sb.append(digits.charAt(rnd.nextInt(10)));
                }
                isFloat = true;
            }
            if (rnd.nextInt(5) == 0) {
                sb.append(rnd.nextBoolean() ? 'e' : 'E').append(rnd.nextInt(3) == 0 ? "-" : "").append(rnd.nextInt(40));
                isFloat = true;
            }
            String text = sb.toString();
            // the field sits in a larger array with digits around it, as in a real buffer
            byte[] b = ("12345678" + text + "98765432").getBytes(StandardCharsets.US_ASCII);
            int r = p.parse(b, 8, b.length - 8);
            String body = text.replaceFirst("^[+-]", "");
            boolean hasDigits = body.replaceAll("[eE].*", "").matches(".*[0-9].*");
            if (!hasDigits) {
                assertThat(r).as(text).isEqualTo(NumberParser.NONE);
            }
            else if (!isFloat) {
                java.math.BigInteger big = new java.math.BigInteger(text);
                if (big.bitLength() < 64) {
                    assertThat(r).as(text).isEqualTo(NumberParser.INT);
                    assertThat(p.longValue).as(text).isEqualTo(big.longValue());
                }
                else {
                    assertThat(r).as(text).isEqualTo(NumberParser.BIGINT);
                    assertThat(p.bigValue).as(text).isEqualTo(big);
                    assertThat(p.doubleValue).as(text).isEqualTo(Double.parseDouble(text));
                }
            }
            else {
                assertThat(r).as(text).isEqualTo(NumberParser.FLOAT);
                assertThat(p.doubleValue).as(text).isEqualTo(Double.parseDouble(text));
            }
        }
    }

    @ParameterizedTest
    @CsvSource({ "inf,Infinity", "INF,Infinity", "-inf,-Infinity", "+Infinity,Infinity", "-INFINITY,-Infinity",
            "iNf,Infinity" })
    void infinities(String text, double value) {
        assertThat(parse(text)).isEqualTo(NumberParser.FLOAT);
        assertThat(p.doubleValue).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", " ", ".", "-", "+", "1d", "1f", "1D", "1.0f", "0x10", "1_000", "1,5", "1e", "1e+",
            "e5", "1.2.3", "--1", "1-", "1 2", "NaN", "nan", "infinit", "abc", "1e5.5", "١" })
    void notNumbers(String text) {
        assertThat(parse(text)).isEqualTo(NumberParser.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = { "True", "TRUE", "true", "tRUe" })
    void trueValues(String text) {
        assertThat(parse(text)).isEqualTo(NumberParser.TRUE);
    }

    @ParameterizedTest
    @ValueSource(strings = { "False", "FALSE", "false" })
    void falseValues(String text) {
        assertThat(parse(text)).isEqualTo(NumberParser.FALSE);
    }

    @ParameterizedTest
    @ValueSource(strings = { " True", "True ", "T", "yes", "1true", "-true" })
    void notBooleans(String text) {
        assertThat(parse(text)).isEqualTo(NumberParser.NONE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|',
            value = { "0|true", "5|true", "-5|true", "123456789012345678|true", "1.5|true", "-0.25|true", "0.001|true",
                    "123456789012.345|true", "-0|false", "+5|false", "05|false", "00|false", "' 5'|false", "'5 '|false",
                    "1234567890123456789|false", "1.50|false", "0.0|false", "-0.0|false", "1.|false", ".5|false",
                    "01.5|false", "+1.5|false", "1.5e0|false", "1e3|false", "1234567890.123456|false",
                    "0.1234567890123456|false" })
    void canonicalNumbers(String text, boolean canonical) {
        NumberParser p = new NumberParser();
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        int kind = p.parse(b, 0, b.length);
        assertThat(kind == NumberParser.INT || kind == NumberParser.FLOAT).isTrue();
        assertThat(p.canonical).as(text).isEqualTo(canonical);
    }

    @Test
    void canonicalNumbersHaveDistinctValues() {
        // every text of up to 5 characters over digits, '-' and '.': the canonical ones,
        // and the value each parses to
        NumberParser p = new NumberParser();
        java.util.Map<Double, String> seen = new java.util.HashMap<>();
        char[] alphabet = "0123456789-.".toCharArray();
        int canonical = 0;
        for (int n = 1; n <= 5; n++) {
            for (long code = 0; code < Math.pow(alphabet.length, n); code++) {
                long c = code;
                StringBuilder t = new StringBuilder();
                for (int i = 0; i < n; i++) {
                    t.append(alphabet[(int) (c % alphabet.length)]);
                    c /= alphabet.length;
                }
                // in a buffer with room after the text (the one-read path for short
                // decimals) and without (the
                // general path): the same result
                Parsed parsed = Parsed.bothWays(p, t.toString());
                int kind = parsed.kind();
                if ((kind == NumberParser.INT || kind == NumberParser.FLOAT) && parsed.canonical()) {
                    canonical++;
                    String before = seen.putIfAbsent(parsed.value(), t.toString());
                    assertThat(before).as(t + " has the value of " + before).isNull();
                }
            }
        }
        assertThat(canonical).isGreaterThan(100_000);
    }

    /** What parse() left: the kind, the value (as a double), the canonical flag. */
    record Parsed(int kind, long longValue, long doubleBits, boolean canonical) {

        double value() {
            return kind == NumberParser.INT ? longValue : Double.longBitsToDouble(doubleBits);
        }

        /**
         * The text followed by 16 bytes of digits: room for the 8-byte reads of the
         * plain-decimal paths.
         */
        static byte[] roomy(String text) {
            byte[] b = text.getBytes(StandardCharsets.US_ASCII);
            byte[] roomy = java.util.Arrays.copyOf(b, b.length + 16);
            java.util.Arrays.fill(roomy, b.length, roomy.length, (byte) '7');
            return roomy;
        }

        private static Parsed of(NumberParser p, byte[] a, int length) {
            int kind = p.parse(a, 0, length);
            return new Parsed(kind, kind == NumberParser.INT ? p.longValue : 0,
                    kind == NumberParser.FLOAT ? Double.doubleToLongBits(p.doubleValue) : 0, p.canonical);
        }

        /**
         * The text parsed with room after it and at the very end of its array (the
         * general path): the same.
         */
        static Parsed bothWays(NumberParser p, String text) {
            Parsed fast = of(p, roomy(text), text.length());
            Parsed general = of(p, text.getBytes(StandardCharsets.US_ASCII), text.length());
            assertThat(fast).as(text + ": the two paths").isEqualTo(general);
            return fast;
        }
    }

    @Test
    void decimalsOfNineToSixteenBytesReadFromTwoWordsAsTheGeneralPathReadsThem() {
        // random texts of 9 to 17 bytes, mostly digits with a sign and points here and
        // there, and decimals of every
        // split between integer and fraction digits: in a buffer with room after the text
        // (the two-read path) and
        // without (the general path), the same kind, value and canonical flag
        NumberParser p = new NumberParser();
        java.util.Random rnd = new java.util.Random(3);
        String alphabet = "0123456789012345678900.-+e ";
        java.util.Map<Double, String> seen = new java.util.HashMap<>();
        int twoWord = 0;
        for (int i = 0; i < 400_000; i++) {
            StringBuilder t = new StringBuilder();
            int n = 9 + rnd.nextInt(9);
            if (i % 2 == 0) {
                for (int j = 0; j < n; j++) {
                    t.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
                }
            }
            else {
                if (rnd.nextInt(3) == 0) {
                    t.append(rnd.nextBoolean() ? '-' : '+');
                }
                int digits = n - 1;
                int point = rnd.nextInt(digits + 1);
                for (int j = 0; j < digits; j++) {
                    if (j == point && j > 0) {
                        t.append('.');
                    }
                    t.append((char) ('0' + (j == 0 && rnd.nextInt(5) == 0 ? 0 : rnd.nextInt(10))));
                }
            }
            String text = t.toString();
            Parsed parsed = Parsed.bothWays(p, text);
            int kind = parsed.kind();
            if (kind == NumberParser.FLOAT) {
                assertThat(parsed.value()).as(text).isEqualTo(Double.parseDouble(text));
            }
            if (p.plainDecimal(Parsed.roomy(text), 0, text.length()) != NumberParser.UNHANDLED && text.length() > 9) {
                twoWord++;
            }
            if ((kind == NumberParser.INT || kind == NumberParser.FLOAT) && parsed.canonical()) {
                String before = seen.putIfAbsent(parsed.value(), text);
                assertThat(before == null || before.equals(text)).as(text + " has the value of " + before).isTrue();
            }
        }
        assertThat(twoWord).isGreaterThan(100_000);
    }

}
