package dev.batchetl.stats.engine;

/** UTF-8 checks on bytes: the length of a multi-byte sequence, a count of code points. */
final class Utf8 {

    private Utf8() {
    }

    /**
     * Length of the (valid) multi-byte character at b[p]; 0 when it is cut by lim and
     * more data may follow (not at eof); -k when invalid, k being the length of the
     * maximal invalid subpart (as Unicode's and Python's replacing decoders count it).
     */
    static int sequenceLength(byte[] b, int p, int lim, boolean eof) {
        int c = b[p] & 0xFF;
        int n;
        int lo = 0x80;
        int hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 2;
        }
        else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            if (c == 0xE0) {
                lo = 0xA0;
            }
            else if (c == 0xED) {
                hi = 0x9F;
            }
        }
        else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            if (c == 0xF0) {
                lo = 0x90;
            }
            else if (c == 0xF4) {
                hi = 0x8F;
            }
        }
        else {
            return -1;
        }
        for (int i = 1; i < n; i++) {
            if (p + i >= lim) {
                return eof ? -i : 0;
            }
            int d = b[p + i] & 0xFF;
            if (i == 1 ? (d < lo || d > hi) : (d < 0x80 || d > 0xBF)) {
                return -i; // the maximal invalid subpart: the lead byte and the valid
                           // continuation bytes before d
            }
        }
        return n;
    }

    /** The number of code points of the UTF-8 bytes a[s, e). */
    static int codePoints(byte[] a, int s, int e) {
        int n = 0;
        for (int i = s; i < e; i++) {
            if ((a[i] & 0xC0) != 0x80) {
                n++;
            }
        }
        return n;
    }

}
