package dev.batchetl.fetch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Arrays;

/**
 * A file's user-defined extended attributes ({@code user.*} on Linux): small records that
 * belong to the file's inode, so they go with it through a rename, go away with it, and
 * are made durable by the file's own force. Where the file system holds none (or none
 * that big), {@link #write} says so and the caller keeps the record in a file beside it.
 */
final class UserAttributes {

    /**
     * Larger than any record of ours, and than what most file systems hold per attribute.
     */
    private static final int MAX_VALUE = 16 * 1024;

    private UserAttributes() {
    }

    /**
     * Sets the attribute; false when the file system does not hold it (the file then has
     * no such attribute).
     */
    static boolean write(Path file, String name, byte[] value) {
        UserDefinedFileAttributeView view = view(file);
        if (view == null || value.length > MAX_VALUE) {
            return false;
        }
        try {
            view.write(name, ByteBuffer.wrap(value));
            return true;
        }
        catch (IOException | UnsupportedOperationException ex) {
            return false;
        }
    }

    /**
     * The attribute's value, or null when the file has no such attribute (or no file is
     * there).
     */
    static byte[] read(Path file, String name) {
        UserDefinedFileAttributeView view = view(file);
        if (view == null) {
            return null;
        }
        ByteBuffer value = ByteBuffer.allocate(MAX_VALUE);
        try {
            view.read(name, value);
        }
        catch (IOException | UnsupportedOperationException ex) {
            return null;
        }
        return Arrays.copyOf(value.array(), value.position());
    }

    /** Removes the attribute, if the file has it. */
    static void remove(Path file, String name) {
        UserDefinedFileAttributeView view = view(file);
        if (view == null) {
            return;
        }
        try {
            view.delete(name);
        }
        catch (IOException | UnsupportedOperationException ex) {
            // none there, or none possible
        }
    }

    private static UserDefinedFileAttributeView view(Path file) {
        return Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
    }

}
