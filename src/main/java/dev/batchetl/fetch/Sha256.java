package dev.batchetl.fetch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 checksums as the fetch step records them: 64 lower-case hex digits.
 */
final class Sha256 {

    private static final int BUFFER_SIZE = 128 * 1024;

    private static final HexFormat HEX = HexFormat.of();

    private Sha256() {
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 not available", ex);
        }
    }

    /** The digest's value as 64 lower-case hex digits (and the digest reset). */
    static String hex(MessageDigest digest) {
        return HEX.formatHex(digest.digest());
    }

    /**
     * The SHA-256 of a file as 64 lower-case hex digits, or null when it cannot be read.
     */
    static String of(Path file) {
        MessageDigest digest = digest();
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
            while (in.read(buffer) >= 0) {
                buffer.flip();
                digest.update(buffer);
                buffer.clear();
            }
            return hex(digest);
        }
        catch (IOException ex) {
            return null;
        }
    }

}
