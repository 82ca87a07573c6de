package dev.batchetl.fetch;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Decodes a gzip-encoded body into a part file: the stored file, its length and its
 * SHA-256 are the decoded content, while Content-Length counts the encoded bytes. Never
 * resumed (the ranges would be of encoded bytes).
 */
final class GzipBody {

    private final Duration idleTimeout;

    private final RateLimiter rate;

    /**
     * @param idleTimeout longest wait for the next bytes of the body
     * @param rate the overall rate limit, null for none
     */
    GzipBody(Duration idleTimeout, RateLimiter rate) {
        this.idleTimeout = idleTimeout;
        this.rate = rate;
    }

    /** Decodes the body of a 200 into {@code writer}, a new part file. */
    Received receive(HttpTransport.Exchange response, long deadline, int status, PartFile writer)
            throws FetchException {
        OptionalLong declared = HttpDownload.contentLength(response);
        WireStream wire = new WireStream(response, deadline, declared);
        byte[] buffer = new byte[PartFile.BUFFER_SIZE];
        try (InputStream in = new GZIPInputStream(wire, PartFile.BUFFER_SIZE)) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                writer.accept(ByteBuffer.wrap(buffer, 0, n));
            }
        }
        catch (WireFailure e) {
            throw e.failure;
        }
        catch (EOFException e) {
            throw new FetchException("short body: gzip stream ended early after " + wire.count + " bytes", true, e);
        }
        catch (ZipException e) {
            throw new FetchException("corrupt gzip body: " + FailureReasons.describe(e), false, e);
        }
        catch (IOException e) {
            throw new FetchException("I/O error after " + wire.count + " bytes: " + FailureReasons.describe(e), true,
                    e);
        }
        if (declared.isPresent() && wire.count != declared.getAsLong()) {
            throw new FetchException((wire.count < declared.getAsLong() ? "short" : "long") + " body: " + wire.count
                    + " of " + declared.getAsLong() + " encoded bytes", true, null);
        }
        writer.finish();
        return new Received(writer.bytes(), writer.sha256(), status, response.firstValue("ETag").orElse(null),
                response.firstValue("Last-Modified").orElse(null), false);
    }

    /** A failure of the body, carried through the decoder. */
    private static final class WireFailure extends IOException {

        private static final long serialVersionUID = 1L;

        final transient FetchException failure;

        WireFailure(FetchException failure) {
            super(failure.reason());
            this.failure = failure;
        }

    }

    /**
     * The encoded bytes of a body as a stream, with the same timeouts and rate limit as a
     * plain body.
     */
    private final class WireStream extends InputStream {

        private final HttpTransport.Exchange body;

        private final long deadline;

        private final OptionalLong declared;

        private ByteBuffer current = ByteBuffer.allocate(0);

        private List<ByteBuffer> pending = List.of();

        private int index;

        private boolean ended;

        long count;

        WireStream(HttpTransport.Exchange body, long deadline, OptionalLong declared) {
            this.body = body;
            this.deadline = deadline;
            this.declared = declared;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (!current.hasRemaining()) {
                if (index < pending.size()) {
                    current = pending.get(index++);
                    continue;
                }
                if (ended) {
                    return -1;
                }
                try {
                    List<ByteBuffer> chunk = HttpDownload.nextChunk(body, deadline, idleTimeout, declared, count);
                    if (chunk == null) {
                        ended = true;
                    }
                    else {
                        pending = chunk;
                        index = 0;
                        long size = chunk.stream().mapToLong(ByteBuffer::remaining).sum();
                        count += size;
                        if (rate != null) {
                            rate.acquire(size);
                        }
                    }
                }
                catch (FetchException e) {
                    throw new WireFailure(e);
                }
            }
            int n = Math.min(len, current.remaining());
            current.get(b, off, n);
            return n;
        }

    }

}
