package dev.batchetl.fetch;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * The fetch step's writer. Each source's result is already recorded, DONE or FAILED, by
 * its download as it ended ({@link DownloadAhead}), so that a finished download is
 * durable at once and not only at the end of its chunk; the chunk's commit adds the
 * step's read and write counts.
 */
final class FetchResultWriter implements ItemWriter<FetchResult> {

    @Override
    public void write(Chunk<? extends FetchResult> chunk) {
        // recorded by the downloads (DownloadAhead.record)
    }

}
