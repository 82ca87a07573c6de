package dev.batchetl.stats.engine;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * The bytes of a CSV file: read in place, or decompressed on the fly for {@code .gz}
 * files. Offsets are those of the (decompressed) CSV text. A gzip source reads forwards
 * only: opening it at an offset decompresses and skips the bytes before it, which is how
 * a checkpoint inside a compressed file is resumed.
 */
public abstract class ByteSource implements Closeable {

    ByteSource() { // the two kinds below
    }

    /** Reads into dst at the given offset; -1 at the end. */
    abstract int read(ByteBuffer dst, long position) throws IOException;

    public static boolean isGzip(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz");
    }

    static ByteSource open(Path file, long start) throws IOException {
        if (isGzip(file)) {
            return new Gzip(file, start);
        }
        return new Plain(FileChannel.open(file, StandardOpenOption.READ));
    }

    private static final class Plain extends ByteSource {

        private final FileChannel channel;

        Plain(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        int read(ByteBuffer dst, long position) throws IOException {
            return channel.read(dst, position);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }

    }

    private static final class Gzip extends ByteSource {

        private final InputStream in;

        private long position;

        Gzip(Path file, long start) throws IOException {
            InputStream raw = Files.newInputStream(file);
            InputStream gz;
            try {
                gz = new GZIPInputStream(raw, 1 << 16);
            }
            catch (IOException | RuntimeException e) {
                raw.close();
                throw e;
            }
            this.in = gz;
            try {
                byte[] skip = new byte[1 << 16];
                while (position < start) {
                    int n = gz.read(skip, 0, (int) Math.min(skip.length, start - position));
                    if (n < 0) {
                        break;
                    }
                    position += n;
                }
            }
            catch (IOException | RuntimeException e) {
                gz.close();
                throw e;
            }
        }

        @Override
        int read(ByteBuffer dst, long at) throws IOException {
            if (at != position) {
                throw new IllegalStateException("gzip source read at " + at + ", positioned at " + position);
            }
            int n = in.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
            if (n > 0) {
                dst.position(dst.position() + n);
                position += n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }

    }

}
