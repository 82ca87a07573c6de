package dev.batchetl.fetch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.batchetl.job.EtlKey;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Steps {@code fetch-plan} and {@code fetch}. The fetch step is a multi-threaded chunk step: in Spring Batch 6 the
 * reader and writer run on the step's thread and the processor, which does the download, on a task executor of
 * {@code threads} threads. A chunk commits only when its slowest download is done, so a chunk holds several times
 * {@code threads} sources (default 4x, key {@code fetch-chunk}): the threads keep working through the chunk while one
 * download is long, and only its end waits. Sources whose size is known from an earlier run come largest first.
 */
@Configuration(proxyBeanMethods = false)
class FetchStepConfiguration {

	@Bean
	Step fetchPlanStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			FetchItemRepository items) {
		return new StepBuilder("fetch-plan", jobRepository).tasklet(new FetchPlanTasklet(items), transactionManager)
			.build();
	}

	@Bean
	@JobScope
	Step fetchStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			FetchItemRepository items, @Value("#{jobParameters}") Map<String, Object> parameters) {
		int threads = Integer.parseInt(param(parameters, EtlKey.THREADS));
		DownloadSettings settings = new DownloadSettings(duration(parameters, EtlKey.CONNECT_TIMEOUT),
				duration(parameters, EtlKey.TIMEOUT), Integer.parseInt(param(parameters, EtlKey.FETCH_ATTEMPTS)),
				duration(parameters, EtlKey.FETCH_BACKOFF), 2.0, duration(parameters, EtlKey.FETCH_MAX_BACKOFF));
		Downloader downloader = new Downloader(settings, limits(parameters));
		String chunkKey = (String) parameters.get(EtlKey.FETCH_CHUNK.key());
		int chunk = chunkKey != null ? Integer.parseInt(chunkKey) : Math.min(threads * 4, 10_000);
		FetchProgress progress = new FetchProgress();
		PendingSourceReader reader = new PendingSourceReader(items, progress);
		FetchResultWriter writer = new FetchResultWriter(items);
		SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("fetch-");
		executor.setConcurrencyLimit(threads);
		FailedSourcesLimit failedLimit = new FailedSourcesLimit(items, param(parameters, EtlKey.MAX_FAILED_SOURCES));
		return new StepBuilder("fetch", jobRepository).<FetchItem, FetchResult>chunk(chunk)
			.transactionManager(transactionManager)
			.reader(reader)
			.processor(new DownloadProcessor(downloader, Path.of(param(parameters, EtlKey.DIR)), progress))
			.writer(writer)
			.taskExecutor(executor)
			.listener(reader)
			.listener(writer)
			.listener(new StepExecutionListener() {
				@Override
				public ExitStatus afterStep(StepExecution stepExecution) {
					progress.stop();
					downloader.close();
					return null;
				}
			})
			.listener(failedLimit)
			.build();
	}

	/** The limits of the job's keys; file: sources default to the folder above the source list's folder, and the working folder. */
	static FetchLimits limits(Map<String, Object> parameters) {
		String allowed = param(parameters, EtlKey.ALLOWED_HOSTS);
		String rate = param(parameters, EtlKey.RATE_LIMIT);
		List<Path> roots = new ArrayList<>();
		String rootsKey = (String) parameters.get(EtlKey.FILE_ROOTS.key());
		if (rootsKey != null) {
			Arrays.stream(rootsKey.split(",")).map(Path::of).forEach(roots::add);
		}
		else {
			Object sources = parameters.get(EtlKey.SOURCES.key());
			if (sources != null) {
				// the folder holding the list's folder: a list in jobs/ may name files in a sibling such as input-data/
				Path listFolder = Path.of((String) sources).toAbsolutePath().getParent();
				roots.add(listFolder.getParent() != null ? listFolder.getParent() : listFolder);
			}
			roots.add(Path.of("").toAbsolutePath());
		}
		return new FetchLimits(duration(parameters, EtlKey.READ_TIMEOUT),
				Long.parseLong(param(parameters, EtlKey.MAX_FILE_SIZE)),
				Integer.parseInt(param(parameters, EtlKey.MAX_REDIRECTS)),
				Integer.parseInt(param(parameters, EtlKey.PER_HOST)), rate.equals("none") ? 0 : Long.parseLong(rate),
				allowed.equals("any") ? List.of() : List.of(allowed.split(",")), roots);
	}

	/** A key's value, or its default when the execution was started before the key existed. */
	private static String param(Map<String, Object> parameters, EtlKey key) {
		Object value = parameters.get(key.key());
		return value != null ? value.toString() : key.canonical(key.defaultValue(), Path.of(""));
	}

	private static java.time.Duration duration(Map<String, Object> parameters, EtlKey key) {
		String value = param(parameters, key);
		return EtlKey.parseDuration(value, value);
	}

	/**
	 * Key {@code max-failed-sources}: when more sources of the instance failed than allowed, the fetch step, and so
	 * the run, fails (exit 1); a restart fetches the failed sources again.
	 */
	static final class FailedSourcesLimit implements StepExecutionListener {

		private final FetchItemRepository items;

		private final String limit;

		FailedSourcesLimit(FetchItemRepository items, String limit) {
			this.items = items;
			this.limit = limit;
		}

		@Override
		public ExitStatus afterStep(StepExecution stepExecution) {
			if (this.limit.equals("none") || stepExecution.getStatus() != BatchStatus.COMPLETED) {
				return null;
			}
			Map<String, Long> counts = this.items
				.countByStatus(stepExecution.getJobExecution().getJobInstance().getInstanceId());
			long failed = counts.getOrDefault("FAILED", 0L);
			long total = counts.values().stream().mapToLong(Long::longValue).sum();
			if (!exceeded(failed, total, this.limit)) {
				return null;
			}
			stepExecution.setStatus(BatchStatus.FAILED);
			return new ExitStatus(ExitStatus.FAILED.getExitCode(), failed + " of " + total
					+ " sources failed, more than max-failed-sources=" + this.limit
					+ "; a restart fetches the failed sources again");
		}

		static boolean exceeded(long failed, long total, String limit) {
			if (limit.endsWith("%")) {
				double percent = Double.parseDouble(limit.substring(0, limit.length() - 1));
				return total > 0 && failed * 100.0 > percent * total;
			}
			return failed > Long.parseLong(limit);
		}

	}

}
