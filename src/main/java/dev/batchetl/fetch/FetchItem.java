package dev.batchetl.fetch;

/**
 * A planned source of one job instance: the unit of work of the fetch step.
 *
 * @param previous what an earlier instance of the same definition recorded for the same
 * URL, or null
 */
record FetchItem(long jobInstanceId, int line, String source, String target, String expectedSha256,
        PreviousFetch previous) {

    FetchItem(long jobInstanceId, int line, String source, String target, String expectedSha256) {
        this(jobInstanceId, line, source, target, expectedSha256, null);
    }

    FetchItem withPrevious(PreviousFetch previous) {
        return new FetchItem(this.jobInstanceId, this.line, this.source, this.target, this.expectedSha256, previous);
    }

}
