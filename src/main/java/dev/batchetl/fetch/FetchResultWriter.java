package dev.batchetl.fetch;

import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/** Marks each source DONE or FAILED, in the chunk's transaction: what is committed here is never fetched again. */
final class FetchResultWriter implements ItemWriter<FetchResult>, StepExecutionListener {

	private final FetchItemRepository items;

	private long jobExecutionId;

	FetchResultWriter(FetchItemRepository items) {
		this.items = items;
	}

	@Override
	public void beforeStep(StepExecution stepExecution) {
		this.jobExecutionId = stepExecution.getJobExecutionId();
	}

	@Override
	public void write(Chunk<? extends FetchResult> chunk) {
		this.items.record(chunk.getItems(), this.jobExecutionId);
	}

}
