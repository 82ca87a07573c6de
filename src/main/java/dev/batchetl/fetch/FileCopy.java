package dev.batchetl.fetch;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Copies {@code file:} sources into a part file, always from the start, and only from
 * inside the folders they may be read from (file-roots, links resolved).
 */
final class FileCopy {

    private final List<Path> fileRoots;

    private final long maxFileSize;

    private final LongAdder received;

    /**
     * @param fileRoots folders a source must lie in, empty for anywhere
     * @param maxFileSize largest file copied; a larger one is abandoned
     * @param received counts the bytes copied
     */
    FileCopy(List<Path> fileRoots, long maxFileSize, LongAdder received) {
        this.fileRoots = fileRoots.stream().map(FileCopy::realPath).toList();
        this.maxFileSize = maxFileSize;
        this.received = received;
    }

    /** Copies the file {@code uri} names into a new {@code part} file. */
    Received copy(URI uri, Path part) throws FetchException {
        Path source = source(uri);
        MessageDigest digest = Sha256.digest();
        long bytes = 0;
        try (FileChannel out = PartFile.openEmpty(part)) {
            try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
                ByteBuffer buffer = ByteBuffer.allocate(PartFile.BUFFER_SIZE);
                while (in.read(buffer) >= 0) {
                    buffer.flip();
                    bytes += buffer.remaining();
                    this.received.add(buffer.remaining());
                    if (bytes > this.maxFileSize) {
                        throw FailureReasons.tooLarge(this.maxFileSize);
                    }
                    digest.update(buffer.duplicate());
                    PartFile.writeFully(buffer, out, part);
                    buffer.clear();
                }
            }
            catch (NoSuchFileException e) {
                throw new FetchException("no such file: " + source, false, e);
            }
            catch (IOException e) {
                throw new FetchException("cannot read " + source + ": " + FailureReasons.describe(e), true, e);
            }
        }
        catch (IOException e) {
            throw new FetchException("cannot write " + part.getFileName() + ": " + FailureReasons.describe(e), false,
                    e);
        }
        return new Received(bytes, Sha256.hex(digest), null, null, null, false);
    }

    /** The regular file a {@code file:} URI names, inside the file roots. */
    private Path source(URI uri) throws FetchException {
        Path source;
        try {
            source = Path.of(uri);
        }
        catch (IllegalArgumentException | FileSystemNotFoundException e) {
            throw new FetchException("invalid file URL: " + e.getMessage(), false, e);
        }
        if (!Files.exists(source)) {
            throw new FetchException("no such file: " + source, false, null);
        }
        if (!this.fileRoots.isEmpty()) {
            Path real = realPath(source);
            if (this.fileRoots.stream().noneMatch(real::startsWith)) {
                throw new FetchException("outside the folders file: sources may read (file-roots): " + source, false,
                        null);
            }
        }
        if (!Files.isRegularFile(source)) {
            throw new FetchException("not a regular file: " + source, false, null);
        }
        return source;
    }

    /**
     * The path with links resolved as far as it exists (a root that does not exist yet
     * stays as written).
     */
    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        }
        catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }

}
