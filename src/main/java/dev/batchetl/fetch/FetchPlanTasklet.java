package dev.batchetl.fetch;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import dev.batchetl.job.EtlParameters;
import dev.batchetl.stats.CsvFiles;

import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Step {@code fetch-plan}: creates the download folder, reads the source list and records
 * each source once per job instance, with the file name it will have and the number of
 * its host ({@link HostOrdinals}, for the partitions of a remote fetch). Running it again
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
        long instanceId = contribution.getStepExecution().getJobExecution().getJobInstance().getInstanceId();
        // read, named and recorded a batch at a time: a list of a million sources is
        // never held whole
        TargetNames.Assigner names = new TargetNames.Assigner();
        HostOrdinals hosts = new HostOrdinals();
        int[] ordinals = new int[FetchItemRepository.PLAN_BATCH];
        List<Source> batch = new ArrayList<>(FetchItemRepository.PLAN_BATCH);
        List<String> targets = new ArrayList<>(FetchItemRepository.PLAN_BATCH);
        List<String> notCsv = new ArrayList<>();
        int[] notCsvCount = new int[1];
        int[] added = new int[1];
        int sources = SourceList.read(this.parameters.sources(), source -> {
            String target = names.next(source.uri());
            if (!CsvFiles.isCsvName(target) && notCsvCount[0]++ < 5) {
                notCsv.add(target);
            }
            ordinals[batch.size()] = hosts.of(source);
            batch.add(source);
            targets.add(target);
            if (batch.size() == FetchItemRepository.PLAN_BATCH) {
                added[0] += this.items.plan(instanceId, batch, targets, ordinals);
                batch.clear();
                targets.clear();
            }
        });
        added[0] += this.items.plan(instanceId, batch, targets, ordinals);
        if (notCsvCount[0] > 0) {
            logger.warn(
                    "fetch-plan: {} source(s) are saved under names that are not *.csv or *.csv.gz, which the"
                            + " statistics leave out: {}{}",
                    notCsvCount[0], String.join(", ", notCsv), notCsvCount[0] > 5 ? ", ..." : "");
        }
        contribution.incrementWriteCount(added[0]);
        Long from = this.parameters.retryOf();
        if (from != null) {
            int reused = this.items.reuse(instanceId, from, this.parameters.dir());
            logger.info(
                    "fetch-plan: {} of {} source(s) reused from execution {} (fetched there, their files unchanged)",
                    reused, sources, from);
        }
        return RepeatStatus.FINISHED;
    }

}
