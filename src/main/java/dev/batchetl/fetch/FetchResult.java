package dev.batchetl.fetch;

/**
 * What became of one source in one attempt of the fetch step; {@code finishedAt} is when
 * it ended, in epoch milliseconds.
 */
record FetchResult(FetchItem item, Status status, FetchOutcome outcome, String error, int attempts, long durationMs,
        long finishedAt) {

    enum Status {

        DONE, NOT_MODIFIED, FAILED

    }

    static FetchResult done(FetchItem item, FetchOutcome outcome) {
        return new FetchResult(item, outcome.notModified() ? Status.NOT_MODIFIED : Status.DONE, outcome, null,
                outcome.attempts(), outcome.elapsed().toMillis(), System.currentTimeMillis());
    }

    static FetchResult failed(FetchItem item, String error, int attempts, long durationMs) {
        return new FetchResult(item, Status.FAILED, null, error, attempts, durationMs, System.currentTimeMillis());
    }

}
