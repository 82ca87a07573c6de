package dev.batchetl.stats.engine;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How a CSV file is read. The delimiter, quote and escape characters must be ASCII (the
 * tokenizer works on bytes), and the encoding one whose ASCII bytes are always ASCII
 * characters (UTF-8, ISO-8859-1, windows-125x, EUC-JP, ...; see {@link CsvEncoding}).
 *
 * @param escape escape character, {@code null} for none
 * @param naValues field values (after unquoting, compared exactly) that are null
 * @param invalidBytes what to do with bytes that are invalid in the encoding
 */
public record CsvOptions(char delimiter, char quote, Character escape, boolean header, Charset encoding,
        Set<String> naValues, BadRowPolicy badRows, InvalidBytePolicy invalidBytes) {

    public CsvOptions(char delimiter, char quote, Character escape, boolean header, Charset encoding,
            Set<String> naValues, BadRowPolicy badRows) {
        this(delimiter, quote, escape, header, encoding, naValues, badRows, InvalidBytePolicy.FAIL_FILE);
    }

    private static final Set<String> PANDAS_NA = Collections
        .unmodifiableSet(new LinkedHashSet<>(List.of("", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN",
                "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null")));

    public CsvOptions {
        checkAscii("delimiter", delimiter);
        checkAscii("quote", quote);
        if (escape != null) {
            checkAscii("escape", escape);
        }
        if (delimiter == quote) {
            throw new IllegalArgumentException("delimiter and quote must differ");
        }
        if (encoding == null) {
            encoding = StandardCharsets.UTF_8;
        }
        if (CsvEncoding.problem(encoding) != null) {
            throw new IllegalArgumentException("encoding " + CsvEncoding.refusal(encoding));
        }
        naValues = naValues == null ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(naValues));
        if (badRows == null) {
            badRows = BadRowPolicy.SKIP;
        }
        if (invalidBytes == null) {
            invalidBytes = InvalidBytePolicy.FAIL_FILE;
        }
    }

    /** The same options with another invalid-bytes policy. */
    public CsvOptions withInvalidBytes(InvalidBytePolicy policy) {
        return new CsvOptions(delimiter, quote, escape, header, encoding, naValues, badRows, policy);
    }

    /** The same options with other NA values. */
    public CsvOptions withNaValues(Set<String> values) {
        return new CsvOptions(delimiter, quote, escape, header, encoding, values, badRows, invalidBytes);
    }

    /**
     * Parses the {@code na-values} key: comma-separated tokens, {@code pandas} standing
     * for pandas' default set, an empty item for the empty field, {@code none} alone for
     * no NA values at all; {@code \,} is a literal comma and {@code \\} a literal
     * backslash.
     */
    public static Set<String> parseNaValues(String spec) {
        if (spec.equals("none")) {
            return Set.of();
        }
        Set<String> out = new LinkedHashSet<>();
        StringBuilder item = new StringBuilder();
        for (int i = 0; i <= spec.length(); i++) {
            char c = i < spec.length() ? spec.charAt(i) : ',';
            if (c == '\\' && i + 1 < spec.length()) {
                item.append(spec.charAt(++i));
            }
            else if (c == ',') {
                String token = item.toString();
                if (token.equals("pandas")) {
                    out.addAll(PANDAS_NA);
                }
                else {
                    out.add(token);
                }
                item.setLength(0);
            }
            else {
                item.append(c);
            }
        }
        return out;
    }

    private static void checkAscii(String what, char c) {
        if (c >= 0x80 || c == '\n' || c == '\r') {
            throw new IllegalArgumentException(what + " must be an ASCII character other than CR and LF: " + (int) c);
        }
    }

    /**
     * ',' '"', no escape, header row, UTF-8, pandas' default NA values, skip bad rows,
     * fail on invalid bytes.
     */
    public static CsvOptions defaults() {
        return new CsvOptions(',', '"', null, true, StandardCharsets.UTF_8, PANDAS_NA, BadRowPolicy.SKIP);
    }

    /** The values {@code pandas.read_csv} treats as NA by default. */
    public static Set<String> pandasNaValues() {
        return PANDAS_NA;
    }
}
