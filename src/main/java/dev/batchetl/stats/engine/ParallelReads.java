package dev.batchetl.stats.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs n blocking file reads f(0), ..., f(n - 1) on threads of its own, at most one per
 * processor, that are shut down when the reads are done: not on the common ForkJoin pool,
 * whose few threads blocking on the disk would stall every other user of it.
 */
final class ParallelReads {

    interface IndexedRead {

        long apply(int k) throws IOException;

    }

    private ParallelReads() {
    }

    /** f(0), ..., f(n - 1); the first failure, in index order, is thrown. */
    static long[] run(int n, IndexedRead f) throws IOException {
        long[] out = new long[n];
        int threads = Math.min(n, Runtime.getRuntime().availableProcessors());
        if (threads <= 1) {
            for (int k = 0; k < n; k++) {
                out[k] = f.apply(k);
            }
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "csv-split-read");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Long>> results = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                int index = k;
                results.add(pool.submit(() -> f.apply(index)));
            }
            for (int k = 0; k < n; k++) {
                out[k] = await(results.get(k));
            }
            return out;
        }
        finally {
            pool.shutdownNow();
        }
    }

    private static long await(Future<Long> result) throws IOException {
        try {
            return result.get();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while reading in parallel");
        }
        catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

}
