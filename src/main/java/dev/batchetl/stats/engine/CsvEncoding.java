package dev.batchetl.stats.engine;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which encodings the CSV reader reads correctly. It finds delimiters, quotes, escapes
 * and line ends as ASCII bytes and decodes the bytes between them, field by field; so
 * every byte 0x00 to 0x7F must be its ASCII character wherever it stands, never part of a
 * multi-byte character or of an escape sequence. That holds for UTF-8, US-ASCII, the
 * ASCII-compatible single-byte charsets and the EUC family (EUC-JP, EUC-KR, GB2312,
 * EUC-TW), and not for Shift_JIS, GBK, GB18030, Big5, UHC or Johab (ASCII bytes as
 * trailing bytes), the ISO-2022 family (escape sequences), UTF-16 or EBCDIC. Each charset
 * is probed, once, rather than looked up in a list.
 */
public final class CsvEncoding {

    /** What to use instead, for the messages. */
    public static final String SUPPORTED = "UTF-8, US-ASCII, ISO-8859-1..16, windows-1250..1258, KOI8-R, KOI8-U,"
            + " IBM437, IBM850 and the other single-byte DOS, Mac and Thai ones, or EUC-JP, EUC-KR, GB2312, x-EUC-TW";

    private static final String MULTI_BYTE = "its multi-byte characters can contain ASCII bytes such as the delimiter";

    private static final String NOT_ASCII = "its bytes 0x00 to 0x7F are not always the ASCII characters of the same"
            + " value";

    private static final String DECODE_ONLY = "it only decodes, so it cannot be checked";

    /**
     * The verdict of each charset probed: the reason it is refused, or "" when it is read
     * correctly.
     */
    private static final Map<Charset, String> VERDICTS = new ConcurrentHashMap<>();

    private CsvEncoding() {
    }

    /** Why the reader cannot read files in this encoding, or null when it can. */
    public static String problem(Charset charset) {
        if (charset.equals(StandardCharsets.UTF_8) || charset.equals(StandardCharsets.US_ASCII)
                || charset.equals(StandardCharsets.ISO_8859_1)) {
            return null;
        }
        String verdict = VERDICTS.computeIfAbsent(charset, c -> {
            try {
                return probe(c);
            }
            catch (RuntimeException ex) {
                return "its decoder failed when checked (" + ex + ")";
            }
        });
        return verdict.isEmpty() ? null : verdict;
    }

    /** The one-line refusal of an encoding the reader cannot read, naming what it can. */
    public static String refusal(Charset charset) {
        return charset.name() + " is not supported: " + problem(charset) + "; use " + SUPPORTED
                + ", or convert the files first";
    }

    private static String probe(Charset charset) {
        if (!charset.canEncode()) {
            return DECODE_ONLY;
        }
        FieldDecoder decoder = new FieldDecoder(charset, true);
        CharsetEncoder encoder = charset.newEncoder();
        // every ASCII byte alone decodes to its character, every ASCII character encodes
        // to its byte, and all of them
        // in one string too (no byte order mark, no escape sequence)
        byte[] ascii = new byte[128];
        for (int b = 0; b < 128; b++) {
            ascii[b] = (byte) b;
            if (!String.valueOf((char) b).equals(decoder.decode(ascii, b, b + 1).toString())) {
                return NOT_ASCII;
            }
        }
        String text = new String(ascii, StandardCharsets.US_ASCII);
        if (!text.equals(decoder.decode(ascii, 0, 128).toString()) || !Arrays.equals(encode(encoder, text), ascii)) {
            return NOT_ASCII;
        }
        // a byte 0x80 to 0xFF followed by an ASCII byte: the ASCII byte stays its own
        // character (Shift_JIS, GBK,
        // Big5, UHC and Johab take it as the second byte of a character)
        byte[] pair = new byte[2];
        for (int high = 0x80; high < 0x100; high++) {
            pair[0] = (byte) high;
            String alone = decoder.decode(pair, 0, 1).toString();
            for (int b = 0; b < 128; b++) {
                pair[1] = (byte) b;
                if (!(alone + (char) b).equals(decoder.decode(pair, 0, 2).toString())) {
                    return MULTI_BYTE;
                }
            }
        }
        if (encoder.maxBytesPerChar() <= 1) {
            return "";
        }
        // every character of the Basic Multilingual Plane that the charset holds
        // (encodes, and decodes back) is bytes
        // 0x80 to 0xFF only: GB18030's four-byte characters, for one, have ASCII digits
        // as second and fourth bytes
        FieldDecoder strict = new FieldDecoder(charset, false);
        ByteBuffer bytes = ByteBuffer.allocate(16);
        char[] one = new char[1];
        for (char c = 0x80; c < 0xFFFF; c++) {
            if (Character.isSurrogate(c)) {
                continue;
            }
            one[0] = c;
            bytes.clear();
            encoder.reset();
            CoderResult result = encoder.encode(CharBuffer.wrap(one), bytes, true);
            if (result.isUnderflow()) {
                result = encoder.flush(bytes);
            }
            if (!result.isUnderflow() || !anyAscii(bytes.flip())) {
                continue;
            }
            CharBuffer back = strict.decode(bytes.array(), 0, bytes.limit());
            if (back != null && back.length() == 1 && back.charAt(0) == c) {
                return MULTI_BYTE;
            }
        }
        return "";
    }

    private static boolean anyAscii(ByteBuffer bytes) {
        for (int i = bytes.position(); i < bytes.limit(); i++) {
            if (bytes.get(i) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static byte[] encode(CharsetEncoder encoder, String text) {
        try {
            ByteBuffer buffer = encoder.reset().encode(CharBuffer.wrap(text));
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        }
        catch (CharacterCodingException ex) {
            return null;
        }
    }

}
