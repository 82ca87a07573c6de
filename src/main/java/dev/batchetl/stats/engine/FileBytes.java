package dev.batchetl.stats.engine;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Positional reads of a file channel that read every byte asked for, or fail. */
final class FileBytes {

    private FileBytes() {
    }

    static byte readByte(FileChannel ch, long at) throws IOException {
        byte[] one = new byte[1];
        readFully(ch, one, 0, 1, at);
        return one[0];
    }

    static void readFully(FileChannel ch, byte[] b, int off, int len, long at) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
        while (buf.hasRemaining()) {
            if (ch.read(buf, at + buf.position() - off) < 0) {
                throw new EOFException("the file shrank while it was split");
            }
        }
    }

}
