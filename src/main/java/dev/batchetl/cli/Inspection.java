package dev.batchetl.cli;

import java.io.PrintStream;

import org.springframework.batch.core.repository.JobRepository;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The read-only commands {@code list} and {@code show}: what ran, how far it got, and what a restart would redo. */
@Component
class Inspection {

	private final JobRepository jobRepository;

	private final JdbcTemplate jdbc;

	Inspection(JobRepository jobRepository, JdbcTemplate jdbc) {
		this.jobRepository = jobRepository;
		this.jdbc = jdbc;
	}

	/** Prints the latest {@code limit} executions of the etl job, newest first. */
	void list(int limit, PrintStream out) {
		throw new UsageException("list is not implemented yet");
	}

	/**
	 * Prints one execution: its steps and partitions, checkpoints, failures and what a restart would redo.
	 * @throws UsageException when there is no such execution
	 */
	void show(long executionId, PrintStream out) {
		throw new UsageException("show is not implemented yet");
	}

}
