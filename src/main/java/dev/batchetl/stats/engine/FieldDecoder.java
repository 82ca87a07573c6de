package dev.batchetl.stats.engine;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;

/**
 * Decodes one field's bytes in a charset other than UTF-8. An invalid sequence is
 * replaced with U+FFFD and counted, or refused. The sequence replaced ends before the
 * first ASCII byte in it: some decoders (EUC-JP's, EUC-TW's) take the byte after an
 * invalid lead byte into the invalid sequence, ASCII or not, so that {@code A5 41} would
 * lose its {@code A}; here it stays a character of its own (as Python's decoders keep
 * it).
 */
final class FieldDecoder {

    private final CharsetDecoder decoder;

    private final boolean replace;

    private CharBuffer out = CharBuffer.allocate(64);

    private int replaced;

    FieldDecoder(Charset charset, boolean replace) {
        this.decoder = charset.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
        this.replace = replace;
    }

    /**
     * The characters of a[s, e), valid until the next call; null when they hold an
     * invalid sequence and invalid sequences are not replaced.
     */
    CharBuffer decode(byte[] a, int s, int e) {
        this.replaced = 0;
        ByteBuffer in = ByteBuffer.wrap(a, s, e - s);
        CharBuffer chars = this.out;
        chars.clear();
        this.decoder.reset();
        for (;;) {
            CoderResult result = this.decoder.decode(in, chars, true);
            if (result.isUnderflow()) {
                result = this.decoder.flush(chars);
                if (result.isUnderflow()) {
                    break;
                }
            }
            if (result.isOverflow()) {
                chars = grow(chars);
                continue;
            }
            if (!this.replace) {
                return null;
            }
            int p = in.position();
            int n = 1;
            while (n < result.length() && a[p + n] < 0) {
                n++;
            }
            if (!chars.hasRemaining()) {
                chars = grow(chars);
            }
            chars.put('\uFFFD');
            this.replaced++;
            in.position(p + n);
        }
        this.out = chars;
        return chars.flip();
    }

    /** How many invalid sequences the last {@link #decode} replaced. */
    int replaced() {
        return this.replaced;
    }

    private static CharBuffer grow(CharBuffer chars) {
        CharBuffer bigger = CharBuffer.allocate(chars.capacity() * 2);
        return bigger.put(chars.flip());
    }

}
