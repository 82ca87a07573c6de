package dev.batchetl.fetch;

import java.nio.file.Path;

import dev.batchetl.job.EtlKey;

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
 * {@code threads} threads; a chunk holds {@code threads} sources.
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
			FetchItemRepository items, @Value("#{jobParameters['threads']}") int threads,
			@Value("#{jobParameters['dir']}") String dir, @Value("#{jobParameters['fetch-attempts']}") int attempts,
			@Value("#{jobParameters['connect-timeout']}") String connectTimeout,
			@Value("#{jobParameters['timeout']}") String timeout) {
		DownloadSettings defaults = DownloadSettings.defaults();
		DownloadSettings settings = new DownloadSettings(EtlKey.parseDuration(connectTimeout, connectTimeout),
				EtlKey.parseDuration(timeout, timeout), attempts, defaults.initialBackoff(),
				defaults.backoffMultiplier(), defaults.maxBackoff());
		Downloader downloader = new Downloader(settings);
		FetchProgress progress = new FetchProgress();
		PendingSourceReader reader = new PendingSourceReader(items, progress);
		FetchResultWriter writer = new FetchResultWriter(items);
		SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("fetch-");
		executor.setConcurrencyLimit(threads);
		return new StepBuilder("fetch", jobRepository).<FetchItem, FetchResult>chunk(threads)
			.transactionManager(transactionManager)
			.reader(reader)
			.processor(new DownloadProcessor(downloader, Path.of(dir), progress))
			.writer(writer)
			.taskExecutor(executor)
			.listener(reader)
			.listener(writer)
			.listener(new StepExecutionListener() {
				@Override
				public ExitStatus afterStep(StepExecution stepExecution) {
					downloader.close();
					return null;
				}
			})
			.build();
	}

}
