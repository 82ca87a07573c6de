package dev.batchetl.storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What the application's tables can hold of a text: any length, any character but U+0000
 * (PostgreSQL's text has none), and in key columns no more than an index entry can
 * (PostgreSQL: about 2.7 kB).
 */
public final class StoredText {

    /** The longest file path, in UTF-8 bytes, that a key column holds as it is. */
    public static final int MAX_KEY_BYTES = 2000;

    private StoredText() {
    }

    /** The text with each U+0000 replaced by U+FFFD; null stays null. */
    public static String text(String value) {
        return value == null || value.indexOf('\0') < 0 ? value : value.replace('\0', '\uFFFD');
    }

    /**
     * A file path as key columns store it: as it is up to {@link #MAX_KEY_BYTES} bytes,
     * otherwise its first 1,980 bytes (whole characters), an ellipsis and 16 hex digits
     * of its SHA-256, so distinct paths stay distinct.
     */
    public static String key(String path) {
        String text = text(path);
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= MAX_KEY_BYTES) {
            return text;
        }
        int end = MAX_KEY_BYTES - 20;
        while ((utf8[end] & 0xC0) == 0x80) { // not inside a character
            end--;
        }
        return new String(utf8, 0, end, StandardCharsets.UTF_8) + "\u2026"
                + HexFormat.of().formatHex(sha256(utf8), 0, 8);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
