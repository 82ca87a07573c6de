package dev.batchetl.fetch;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.concurrent.atomic.LongAdder;

/**
 * The hidden part file a download is written to ({@code "." + name + ".part"}), its
 * SHA-256 computed on the way, forced to disk and moved over the target atomically once
 * complete.
 *
 * <p>
 * An instance writes one body through a staging buffer; {@link #bytes()} counts the bytes
 * of the whole file, including any that were in the part file before a resume. The static
 * methods are the file operations around it: forcing, the atomic move, removal.
 */
final class PartFile implements AutoCloseable {

    static final int BUFFER_SIZE = 128 * 1024;

    /**
     * A body is forced to disk every this many bytes while it arrives, so that its last
     * force has little left.
     */
    private static final long SYNC_EVERY = 8L << 20;

    private final FileChannel out;

    private final Path part;

    private final long maxFileSize;

    private final LongAdder received;

    private final MessageDigest digest = Sha256.digest();

    private final ByteBuffer staging = ByteBuffer.allocate(BUFFER_SIZE);

    private long bytes;

    private long synced;

    private PartFile(FileChannel out, Path part, long maxFileSize, LongAdder received) {
        this.out = out;
        this.part = part;
        this.maxFileSize = maxFileSize;
        this.received = received;
    }

    /** The part file of {@code target}. */
    static Path of(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".part");
    }

    /**
     * An empty part file (made durable by {@link #durable()} before a sidecar may
     * describe it). Bytes above {@code maxFileSize} abandon it; every byte counts into
     * {@code received}.
     */
    static PartFile create(Path part, long maxFileSize, LongAdder received) throws FetchException {
        return new PartFile(openEmpty(part), part, maxFileSize, received);
    }

    /**
     * The part file's first {@code offset} bytes, read back into the checksum; new bytes
     * are appended.
     */
    static PartFile resume(Path part, long offset, long maxFileSize, LongAdder received) throws FetchException {
        FileChannel channel;
        try {
            channel = FileChannel.open(part, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
        catch (IOException e) {
            throw new FetchException("cannot open " + part + ": " + FailureReasons.describe(e), false, e);
        }
        PartFile writer = new PartFile(channel, part, maxFileSize, received);
        try {
            ByteBuffer buffer = writer.staging;
            channel.position(0);
            while (writer.bytes < offset) {
                buffer.clear();
                buffer.limit((int) Math.min(buffer.capacity(), offset - writer.bytes));
                int n = channel.read(buffer);
                if (n < 0) {
                    throw new FetchException(
                            "cannot resume " + part.getFileName() + ": it shrank to " + writer.bytes + " bytes", false,
                            null);
                }
                buffer.flip();
                writer.digest.update(buffer);
                writer.bytes += n;
            }
            buffer.clear();
            channel.truncate(offset);
            channel.position(offset);
            writer.synced = offset;
            return writer;
        }
        catch (IOException e) {
            writer.close();
            throw new FetchException("cannot read " + part + ": " + FailureReasons.describe(e), false, e);
        }
        catch (FetchException | RuntimeException e) {
            writer.close();
            throw e;
        }
    }

    /** Bytes of the whole file so far. */
    long bytes() {
        return bytes;
    }

    /** The SHA-256 of the whole file, once {@link #finish()}ed. */
    String sha256() {
        return Sha256.hex(digest);
    }

    /**
     * Forces the part file, still empty, to disk: a sidecar written after this never
     * describes older bytes.
     */
    void durable() throws FetchException {
        force(out, part);
    }

    /**
     * Adds decoded bytes to the file and its checksum; a file above max-file-size is
     * abandoned.
     */
    void accept(ByteBuffer buffer) throws FetchException {
        if (bytes + buffer.remaining() > maxFileSize) {
            throw FailureReasons.tooLarge(maxFileSize);
        }
        bytes += buffer.remaining();
        received.add(buffer.remaining());
        digest.update(buffer.duplicate());
        stage(buffer);
        if (bytes - synced >= SYNC_EVERY) {
            // the disk writes while the body is still arriving, instead of all at once
            // when it ends
            flush(staging, out, part);
            forceData(out, part);
            synced = bytes;
        }
    }

    /**
     * Puts the last bytes into the file; it is forced once complete
     * ({@link #forceWhole}), with its records.
     */
    void finish() throws FetchException {
        flush(staging, out, part);
    }

    /**
     * Puts what arrived on disk, so that a resume can start after it; best effort.
     */
    void saveQuietly() {
        try {
            flush(staging, out, part);
            force(out, part);
        }
        catch (FetchException e) {
            // the resume data still holds; a resume starts after whatever made it to disk
        }
    }

    private void stage(ByteBuffer buffer) throws FetchException {
        if (staging.position() == 0 && buffer.remaining() >= staging.capacity() / 2) {
            writeFully(buffer, out, part); // a large read goes to the file as it is,
                                           // without a copy
            return;
        }
        while (buffer.hasRemaining()) {
            if (!staging.hasRemaining()) {
                flush(staging, out, part);
            }
            int n = Math.min(staging.remaining(), buffer.remaining());
            ByteBuffer slice = buffer.slice();
            slice.limit(n);
            staging.put(slice);
            buffer.position(buffer.position() + n);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        }
        catch (IOException e) {
            // everything that matters was forced to disk already, or the attempt fails
            // anyway
        }
    }

    /**
     * A new, empty part file: the one of an earlier response goes first, with its
     * attributes, so that an attribute of this part file only ever describes this
     * response's bytes.
     */
    static FileChannel openEmpty(Path part) throws FetchException {
        try {
            Files.deleteIfExists(part);
            return FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        }
        catch (IOException e) {
            throw new FetchException("cannot create " + part + ": " + FailureReasons.describe(e), false, e);
        }
    }

    static void writeFully(ByteBuffer buffer, FileChannel out, Path part) throws FetchException {
        try {
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
        }
        catch (IOException e) {
            throw new FetchException("cannot write " + part + ": " + FailureReasons.describe(e), false, e);
        }
    }

    private static void flush(ByteBuffer staging, FileChannel out, Path part) throws FetchException {
        staging.flip();
        writeFully(staging, out, part);
        staging.clear();
    }

    private static void forceData(FileChannel out, Path part) throws FetchException {
        try {
            out.force(false);
        }
        catch (IOException e) {
            throw new FetchException("cannot sync " + part + ": " + FailureReasons.describe(e), false, e);
        }
    }

    private static void force(FileChannel out, Path part) throws FetchException {
        try {
            out.force(true);
        }
        catch (IOException e) {
            throw new FetchException("cannot sync " + part + ": " + FailureReasons.describe(e), false, e);
        }
    }

    /**
     * Forces a complete part file to disk (bytes, length and attributes), through a
     * channel of its own.
     */
    static void forceWhole(Path part) throws FetchException {
        try (FileChannel channel = FileChannel.open(part, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        catch (IOException e) {
            throw new FetchException("cannot sync " + part + ": " + FailureReasons.describe(e), false, e);
        }
    }

    /** Renames the part file over the target atomically, and makes the rename durable. */
    static void moveIntoPlace(Path part, Path target) throws FetchException {
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (AtomicMoveNotSupportedException e) {
            throw new FetchException("cannot move into place atomically: " + target, false, e);
        }
        catch (IOException e) {
            throw new FetchException("cannot move into place " + target + ": " + FailureReasons.describe(e), false, e);
        }
        syncFolder(target.getParent());
    }

    /**
     * Makes the rename durable where the platform allows syncing a directory (not on
     * Windows).
     */
    private static void syncFolder(Path folder) {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        }
        catch (IOException | RuntimeException e) {
            // best effort only
        }
    }

    /**
     * Makes a complete part file ready to go into place: its resume data goes, and for a
     * {@code claim} its completion record comes, as the part file's attribute (made
     * durable by the part file's last force, and taken along by the rename), or where the
     * file system holds none, as a file beside the target, forced to disk. With
     * {@code attributes} false, always as that file.
     */
    static void seal(Path part, Path target, URI uri, String claim, Received result, boolean attributes) {
        if (attributes) {
            Resume.detach(part);
        }
        if (claim == null) {
            return;
        }
        Completion completion = new Completion(result.bytes(), result.sha256(), result.httpStatus(), result.etag(),
                result.lastModified());
        if (attributes && Completion.attach(part, claim, uri, completion)) {
            return;
        }
        try {
            Completion.write(Completion.of(target), claim, uri, completion);
        }
        catch (IOException e) {
            // only a kill before the record would cost more
            deleteQuietly(Completion.of(target));
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        }
        catch (IOException e) {
            // nothing more we can do; the next attempt truncates it
        }
    }

}
