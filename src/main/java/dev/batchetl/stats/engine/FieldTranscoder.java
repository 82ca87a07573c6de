package dev.batchetl.stats.engine;

import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Turns the bytes of a field that holds non-ASCII bytes into valid UTF-8: from the file's
 * encoding, or in a UTF-8 file with every invalid sequence replaced by U+FFFD; the
 * replacements are counted in the file's accumulator.
 */
final class FieldTranscoder {

    private final Charset encoding;

    private final boolean latin1;

    private final boolean replaceInvalid;

    private FieldDecoder decoder;

    /** The last field transcoded, valid until the next call. */
    byte[] out = new byte[256];

    FieldTranscoder(Charset encoding, boolean replaceInvalid) {
        this.encoding = encoding;
        this.latin1 = encoding.equals(StandardCharsets.ISO_8859_1);
        this.replaceInvalid = replaceInvalid;
    }

    /**
     * Copies the UTF-8 bytes a[s, e) into {@link #out} with every invalid sequence
     * (maximal subpart) replaced by U+FFFD, counting the replacements; returns the
     * length.
     */
    int replaceInvalidUtf8(FileAccumulator acc, byte[] a, int s, int e) {
        int need = (e - s) * 3;
        if (out.length < need) {
            out = new byte[Math.max(need, out.length * 2)];
        }
        final byte[] o = out;
        int n = 0;
        int p = s;
        while (p < e) {
            if (a[p] >= 0) {
                o[n++] = a[p++];
                continue;
            }
            // a field is complete: a sequence cut by its end is invalid
            int len = Utf8.sequenceLength(a, p, e, true);
            if (len > 0) {
                System.arraycopy(a, p, o, n, len);
                n += len;
                p += len;
            }
            else {
                o[n++] = (byte) 0xEF;
                o[n++] = (byte) 0xBF;
                o[n++] = (byte) 0xBD;
                acc.invalidBytes++;
                p += Math.max(1, -len);
            }
        }
        return n;
    }

    /**
     * Transcodes a[s, e) from the file's encoding to UTF-8 into {@link #out}; returns the
     * length, or -1 when the encoding rejects the bytes and they are not to be replaced.
     */
    int toUtf8(FileAccumulator acc, byte[] a, int s, int e) {
        if (latin1) {
            int need = (e - s) * 2;
            if (out.length < need) {
                out = new byte[Math.max(need, out.length * 2)];
            }
            int o = 0;
            for (int i = s; i < e; i++) {
                int c = a[i] & 0xFF;
                if (c < 0x80) {
                    out[o++] = (byte) c;
                }
                else {
                    out[o++] = (byte) (0xC0 | (c >> 6));
                    out[o++] = (byte) (0x80 | (c & 0x3F));
                }
            }
            return o;
        }
        if (decoder == null) {
            decoder = new FieldDecoder(encoding, replaceInvalid);
        }
        CharBuffer chars = decoder.decode(a, s, e);
        if (chars == null) {
            return -1;
        }
        acc.invalidBytes += decoder.replaced();
        byte[] u = chars.toString().getBytes(StandardCharsets.UTF_8);
        if (out.length < u.length) {
            out = new byte[Math.max(u.length, out.length * 2)];
        }
        System.arraycopy(u, 0, out, 0, u.length);
        return u.length;
    }

}
