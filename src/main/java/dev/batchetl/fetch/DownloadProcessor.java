package dev.batchetl.fetch;

import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Collects one source's download, which runs on the threads of {@link DownloadAhead}
 * (started when the source was read, or now). An expected failure (HTTP error, refused
 * connection, short body, checksum mismatch) is a FAILED result, recorded with its reason
 * as the download ends, so the other sources go on; a source that was not attempted
 * (max-failed-sources was passed first) is filtered out and stays PENDING; only a defect
 * escapes as an exception and fails the step.
 */
final class DownloadProcessor implements ItemProcessor<FetchItem, FetchResult> {

    private final DownloadAhead downloads;

    DownloadProcessor(DownloadAhead downloads) {
        this.downloads = downloads;
    }

    @Override
    public FetchResult process(FetchItem item) throws InterruptedException {
        return this.downloads.take(item);
    }

}
