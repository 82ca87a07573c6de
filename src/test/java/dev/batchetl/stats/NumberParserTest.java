package dev.batchetl.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NumberParserTest {

    private final NumberParser p = new NumberParser();

    private int parse(String s) {
        byte[] b = ("##" + s + "##").getBytes(StandardCharsets.UTF_8);
        return p.parse(b, 2, b.length - 2);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0|0", "42|42", "-7|-7", "+5|5", "007|7", "' 12'|12", "'12\t'|12", "'\t -3  '|-3", "-0|0",
            "9223372036854775807|9223372036854775807", "-9223372036854775808|-9223372036854775808"})
    void integers(String text, long value) {
        assertThat(parse(text)).isEqualTo(NumberParser.INT);
        assertThat(p.longValue).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5", ".5", "5.", "-.5", "+1e5", "1E-5", "1e+05", " 2.25 ", "0.1", "3.141592653589793",
            "1.7976931348623157e308", "4.9e-324", "2.2250738585072014E-308",
            "0.30000000000000004", "1.00000000000000000000000001", "9007199254740993.0",
            "1e22", "1e23", "8.41e21", "0.000001", "12345678901234567e-20"})
    void floatsAreCorrectlyRounded(String text) {
        assertThat(parse(text)).isEqualTo(NumberParser.FLOAT);
        assertThat(p.doubleValue).isEqualTo(Double.parseDouble(text.trim()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"123456789012345678901234567890", "9223372036854775808", "-9223372036854775809",
            "18446744073709551616", "+18446744073709551615"})
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
            } else if (!isFloat) {
                java.math.BigInteger big = new java.math.BigInteger(text);
                if (big.bitLength() < 64) {
                    assertThat(r).as(text).isEqualTo(NumberParser.INT);
                    assertThat(p.longValue).as(text).isEqualTo(big.longValue());
                } else {
                    assertThat(r).as(text).isEqualTo(NumberParser.BIGINT);
                    assertThat(p.bigValue).as(text).isEqualTo(big);
                    assertThat(p.doubleValue).as(text).isEqualTo(Double.parseDouble(text));
                }
            } else {
                assertThat(r).as(text).isEqualTo(NumberParser.FLOAT);
                assertThat(p.doubleValue).as(text).isEqualTo(Double.parseDouble(text));
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"inf,Infinity", "INF,Infinity", "-inf,-Infinity", "+Infinity,Infinity", "-INFINITY,-Infinity",
            "iNf,Infinity"})
    void infinities(String text, double value) {
        assertThat(parse(text)).isEqualTo(NumberParser.FLOAT);
        assertThat(p.doubleValue).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", ".", "-", "+", "1d", "1f", "1D", "1.0f", "0x10", "1_000", "1,5", "1e", "1e+",
            "e5", "1.2.3", "--1", "1-", "1 2", "NaN", "nan", "infinit", "abc", "1e5.5", "١"})
    void notNumbers(String text) {
        assertThat(parse(text)).isEqualTo(NumberParser.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"True", "TRUE", "true", "tRUe"})
    void trueValues(String text) {
        assertThat(parse(text)).isEqualTo(NumberParser.TRUE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"False", "FALSE", "false"})
    void falseValues(String text) {
        assertThat(parse(text)).isEqualTo(NumberParser.FALSE);
    }

    @ParameterizedTest
    @ValueSource(strings = {" True", "True ", "T", "yes", "1true", "-true"})
    void notBooleans(String text) {
        assertThat(parse(text)).isEqualTo(NumberParser.NONE);
    }
}
