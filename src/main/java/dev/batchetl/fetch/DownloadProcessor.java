package dev.batchetl.fetch;

import java.net.URI;
import java.nio.file.Path;

import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Downloads one source: runs on the fetch step's task executor, many at once. An expected failure (HTTP error,
 * refused connection, short body, checksum mismatch) becomes a FAILED result, recorded by the writer with its reason,
 * so the other sources go on; only a defect escapes as an exception and fails the step.
 */
final class DownloadProcessor implements ItemProcessor<FetchItem, FetchResult> {

	private final Downloader downloader;

	private final Path dir;

	private final FetchProgress progress;

	private final FetchStepConfiguration.FailedSourcesLimit failedLimit;

	DownloadProcessor(Downloader downloader, Path dir, FetchProgress progress,
			FetchStepConfiguration.FailedSourcesLimit failedLimit) {
		this.downloader = downloader;
		this.dir = dir;
		this.progress = progress;
		this.failedLimit = failedLimit;
	}

	@Override
	public FetchResult process(FetchItem item) {
		long start = System.nanoTime();
		try {
			FetchOutcome outcome = this.downloader.fetch(URI.create(item.source()), item.expectedSha256(),
					this.dir.resolve(item.target()), item.previous());
			this.progress.done(item, outcome);
			return FetchResult.done(item, outcome);
		}
		catch (FetchException ex) {
			this.failedLimit.failed();
			this.progress.failed(item, ex.reason());
			return FetchResult.failed(item, ex.reason(), Math.max(1, ex.attempts()), (System.nanoTime() - start) / 1_000_000);
		}
	}

}
