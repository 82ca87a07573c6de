package dev.batchetl.fetch;

import java.nio.file.Files;
import java.util.List;

import dev.batchetl.job.EtlParameters;
import dev.batchetl.stats.CsvFiles;

import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Step {@code fetch-plan}: creates the download folder, reads the source list and records
 * each source once per job instance, with the file name it will have. Running it again
 * for the same instance changes nothing. A run with {@code retry-of} takes over the
 * sources that execution fetched, where their files are still in place at the same
 * length: they are DONE here without a request.
 */
final class FetchPlanTasklet implements Tasklet {

    private static final org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger(FetchPlanTasklet.class);

    private final FetchItemRepository items;

    private final EtlParameters parameters;

    FetchPlanTasklet(FetchItemRepository items, EtlParameters parameters) {
        this.items = items;
        this.parameters = parameters;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
        Files.createDirectories(this.parameters.dir());
        if (this.parameters.sources() == null) {
            return RepeatStatus.FINISHED;
        }
        List<Source> sources = SourceList.read(this.parameters.sources());
        List<String> targets = TargetNames.assign(sources.stream().map(Source::uri).toList());
        List<String> notCsv = targets.stream().filter(target -> !CsvFiles.isCsvName(target)).toList();
        if (!notCsv.isEmpty()) {
            logger.warn(
                    "fetch-plan: {} source(s) are saved under names that are not *.csv or *.csv.gz, which the"
                            + " statistics leave out: {}{}",
                    notCsv.size(), String.join(", ", notCsv.subList(0, Math.min(5, notCsv.size()))),
                    notCsv.size() > 5 ? ", ..." : "");
        }
        long instanceId = contribution.getStepExecution().getJobExecution().getJobInstance().getInstanceId();
        int added = this.items.plan(instanceId, sources, targets);
        contribution.incrementWriteCount(added);
        Long from = this.parameters.retryOf();
        if (from != null) {
            int reused = this.items.reuse(instanceId, from, this.parameters.dir());
            logger.info(
                    "fetch-plan: {} of {} source(s) reused from execution {} (fetched there, their files unchanged)",
                    reused, sources.size(), from);
        }
        return RepeatStatus.FINISHED;
    }

}
