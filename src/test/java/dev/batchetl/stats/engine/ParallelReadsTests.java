package dev.batchetl.stats.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;

import org.junit.jupiter.api.Test;

class ParallelReadsTests {

    @Test
    void resultsComeInIndexOrderFromThreadsOutsideTheCommonPool() throws Exception {
        // given reads that note the thread they run on
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        // when 50 of them run
        long[] out = ParallelReads.run(50, k -> {
            threads.add(Thread.currentThread());
            return k * 10L;
        });
        // then each result is at its index, and no read ran on the common ForkJoin pool
        for (int k = 0; k < 50; k++) {
            assertThat(out[k]).isEqualTo(k * 10L);
        }
        assertThat(threads)
            .noneMatch(t -> t instanceof ForkJoinWorkerThread w && w.getPool() == ForkJoinPool.commonPool());
        // and their threads are gone once the call returned
        for (Thread t : threads) {
            if (t != Thread.currentThread()) {
                t.join(5_000);
                assertThat(t.isAlive()).as(t.getName()).isFalse();
            }
        }
    }

    @Test
    void aFailingReadFailsTheCallWithItsIOException() throws Exception {
        assertThatThrownBy(() -> ParallelReads.run(8, k -> {
            if (k == 5) {
                throw new IOException("read " + k + " failed");
            }
            return k;
        })).isInstanceOf(IOException.class).hasMessage("read 5 failed");
        assertThat(ParallelReads.run(0, k -> 1L)).isEmpty();
    }

}
