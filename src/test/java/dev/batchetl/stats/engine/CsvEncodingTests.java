package dev.batchetl.stats.engine;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.batchetl.stats.engine.StatsTestSupport.col;
import static dev.batchetl.stats.engine.StatsTestSupport.stats;
import static dev.batchetl.stats.engine.StatsTestSupport.statsSplit;
import static dev.batchetl.stats.engine.StatsTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Which encodings the byte scanner reads correctly (ASCII bytes always ASCII characters),
 * checked by probing each charset of the JDK, and an accepted multi-byte one (EUC-JP)
 * read through the reader.
 */
class CsvEncodingTests {

    private static final String MULTI_BYTE = "its multi-byte characters can contain ASCII bytes such as the delimiter";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = { "UTF-8", "US-ASCII", "ISO-8859-1", "ISO-8859-2", "ISO-8859-5", "ISO-8859-7", "ISO-8859-9",
            "ISO-8859-13", "ISO-8859-15", "ISO-8859-16", "windows-1250", "windows-1251", "windows-1252", "windows-1253",
            "windows-1254", "windows-1255", "windows-1256", "windows-1257", "windows-1258", "KOI8-R", "KOI8-U",
            "IBM437", "IBM850", "IBM866", "x-MacRoman", "TIS-620", "x-windows-874", "EUC-JP", "EUC-KR", "GB2312",
            "x-EUC-TW", "CESU-8" })
    void encodingsWhoseAsciiBytesAreAlwaysAsciiAreAccepted(String name) {
        assumeThat(Charset.isSupported(name)).as(name + " in this JDK").isTrue();
        assertThat(CsvEncoding.problem(Charset.forName(name))).as(name).isNull();
    }

    /**
     * An ASCII byte can be the second byte of a character: in Shift_JIS, U+30DD (po) is
     * 0x83 0x7C, and 0x7C is '|'.
     */
    @ParameterizedTest
    @ValueSource(strings = { "Shift_JIS", "windows-31j", "x-SJIS_0213", "GBK", "GB18030", "Big5", "Big5-HKSCS",
            "x-windows-950", "x-windows-949", "x-Johab", "x-ISCII91" })
    void encodingsWithAsciiBytesInsideCharactersAreRefused(String name) {
        assumeThat(Charset.isSupported(name)).as(name + " in this JDK").isTrue();
        Charset charset = Charset.forName(name);
        assertThat(CsvEncoding.problem(charset)).as(name).isEqualTo(MULTI_BYTE);
        assertThatThrownBy(
                () -> new CsvOptions('|', '"', null, true, charset, CsvOptions.pandasNaValues(), BadRowPolicy.SKIP))
            .hasMessage("encoding " + charset.name() + " is not supported: " + MULTI_BYTE + "; use "
                    + CsvEncoding.SUPPORTED + ", or convert the files first");
    }

    /**
     * Escape sequences (ISO-2022), two or four bytes a character (UTF-16, UTF-32),
     * another code for ASCII (EBCDIC).
     */
    @ParameterizedTest
    @ValueSource(strings = { "ISO-2022-JP", "ISO-2022-JP-2", "ISO-2022-KR", "x-windows-iso2022jp", "UTF-7", "UTF-16",
            "UTF-16LE", "UTF-32BE", "IBM037", "IBM1047", "x-JISAutoDetect", "ISO-2022-CN" })
    void encodingsWhoseAsciiBytesAreNotAlwaysAsciiAreRefused(String name) {
        assumeThat(Charset.isSupported(name)).as(name + " in this JDK").isTrue();
        assertThat(CsvEncoding.problem(Charset.forName(name))).as(name).isNotNull().isNotEqualTo(MULTI_BYTE);
    }

    /**
     * What the probe at key validation checks quickly (a high byte and an ASCII byte; the
     * characters of the Basic Multilingual Plane), checked here further for every
     * multi-byte charset it accepts: no character of planes 0 to 3 holds an ASCII byte,
     * and no three-byte start (two bytes the decoder waits on, then an ASCII byte) takes
     * one in.
     */
    @Test
    void everyAcceptedMultiByteEncodingKeepsAsciiBytesOutOfItsCharacters() {
        List<String> checked = new ArrayList<>();
        for (Charset charset : Charset.availableCharsets().values()) {
            if (CsvEncoding.problem(charset) != null || charset.newEncoder().maxBytesPerChar() <= 1
                    || charset.name().matches("UTF-8|CESU-8")) {
                continue; // single-byte, or Unicode's own forms: every byte of a
                          // character from 0x80 up
            }
            checked.add(charset.name());
            assertNoCharacterHoldsAnAsciiByte(charset);
            assertNoThreeByteStartTakesAnAsciiByte(charset);
        }
        assertThat(checked).contains("EUC-JP", "EUC-KR", "GB2312", "x-EUC-TW");
    }

    @Test
    void aValidEucJpFileIsReadAsWritten() throws Exception {
        Charset eucJp = Charset.forName("EUC-JP");
        // a quoted field with a delimiter inside; split in ranges of 12 bytes too
        String text = "\u540d\u524d|\u90fd\u5e02\n" + "\u30dd|\u6771\u4eac\n" + "\u30a2\u30a4|\u5927\u962a\n"
                + "\"\u30bd|\u8868\"|\u5341\n";
        Path file = write(this.dir, "jp.csv", text.getBytes(eucJp));
        CsvOptions options = new CsvOptions('|', '"', null, true, eucJp, CsvOptions.pandasNaValues(),
                BadRowPolicy.FAIL_FILE);

        for (FileStats stats : List.of(stats(file, options), statsSplit(file, options, 12, new ArrayList<>()))) {
            assertThat(stats.rows()).isEqualTo(3);
            assertThat(stats.badRows()).isZero();
            assertThat(stats.invalidBytes()).isZero();
            assertThat(stats.columnStats()).extracting(ColumnStats::name)
                .containsExactly("\u540d\u524d", "\u90fd\u5e02");
            ColumnStats names = col(stats, "\u540d\u524d");
            assertThat(names.type()).isEqualTo(ColumnType.TEXT);
            // by code point
            assertThat(names.min()).isEqualTo("\u30a2\u30a4");
            assertThat(names.max()).isEqualTo("\u30dd");
            assertThat(names.minLength()).isEqualTo(1);
            assertThat(names.maxLength()).isEqualTo(3);
            ColumnStats cities = col(stats, "\u90fd\u5e02");
            assertThat(cities.min()).isEqualTo("\u5341");
            assertThat(cities.max()).isEqualTo("\u6771\u4eac");
            assertThat(cities.maxLength()).isEqualTo(2);
        }
    }

    /**
     * EUC-JP's decoder takes 0xA5 0x41 as one invalid sequence; the A stays a character
     * of its own, as in Python.
     */
    @Test
    void anInvalidEucJpByteFailsTheFileAtItsLineOrIsReplacedWithoutTheAsciiByteAfterIt() throws Exception {
        Charset eucJp = Charset.forName("EUC-JP");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("a|b\n1|".getBytes(eucJp));
        bytes.write(0xA5);
        bytes.writeBytes("AB\u6771\n2|z\n".getBytes(eucJp));
        Path file = write(this.dir, "invalid.csv", bytes.toByteArray());
        CsvOptions options = new CsvOptions('|', '"', null, true, eucJp, CsvOptions.pandasNaValues(),
                BadRowPolicy.SKIP);

        // the line of the row, not the line of the last row staged with it
        assertThatThrownBy(() -> stats(file, options)).isInstanceOf(CsvFormatException.class)
            .hasMessage("line 2: invalid EUC-JP byte sequence");
        FileStats replaced = stats(file, options.withInvalidBytes(InvalidBytePolicy.REPLACE));
        assertThat(replaced.invalidBytes()).isEqualTo(1);
        assertThat(col(replaced, "b").max()).isEqualTo("\uFFFDAB\u6771");
        assertThat(col(replaced, "b").maxLength()).isEqualTo(4);
        assertThat(col(replaced, "b").min()).isEqualTo("z");
    }

    private static void assertNoCharacterHoldsAnAsciiByte(Charset charset) {
        CharsetEncoder encoder = charset.newEncoder();
        CharsetDecoder decoder = charset.newDecoder();
        ByteBuffer bytes = ByteBuffer.allocate(16);
        CharBuffer back = CharBuffer.allocate(4);
        char[] chars = new char[2];
        // up to plane 3: the legacy charsets hold nothing beyond the CJK extensions of
        // planes 2 and 3
        for (int c = 0x80; c < 0x40000; c++) {
            if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
                continue;
            }
            int n = Character.toChars(c, chars, 0);
            bytes.clear();
            encoder.reset();
            if (!encoder.encode(CharBuffer.wrap(chars, 0, n), bytes, true).isUnderflow()
                    || !encoder.flush(bytes).isUnderflow()) {
                continue;
            }
            bytes.flip();
            back.clear();
            decoder.reset();
            CoderResult result = decoder.decode(bytes.duplicate(), back, true);
            if (result.isError() || back.flip().length() != n || Character.codePointAt(back, 0) != c) {
                continue;
            }
            for (int i = 0; i < bytes.limit(); i++) {
                if (bytes.get(i) >= 0) {
                    throw new AssertionError(
                            String.format("%s: U+%04X holds the ASCII byte %02X", charset, c, bytes.get(i)));
                }
            }
        }
    }

    private static void assertNoThreeByteStartTakesAnAsciiByte(Charset charset) {
        CharsetDecoder decoder = charset.newDecoder();
        FieldDecoder fields = new FieldDecoder(charset, true);
        CharBuffer out = CharBuffer.allocate(8);
        byte[] three = new byte[3];
        for (int first = 0x80; first < 0x100; first++) {
            for (int second = 0x80; second < 0x100; second++) {
                three[0] = (byte) first;
                three[1] = (byte) second;
                ByteBuffer in = ByteBuffer.wrap(three, 0, 2);
                decoder.reset();
                out.clear();
                if (!decoder.decode(in, out, false).isUnderflow() || in.position() != 0) {
                    continue; // decoded or invalid: not waiting for more
                }
                String start = fields.decode(three, 0, 2).toString();
                for (int b = 0; b < 0x80; b++) {
                    three[2] = (byte) b;
                    if (!fields.decode(three, 0, 3).toString().equals(start + (char) b)) {
                        throw new AssertionError(
                                String.format("%s: %02X %02X %02X takes the ASCII byte in", charset, first, second, b));
                    }
                }
            }
        }
    }

}
