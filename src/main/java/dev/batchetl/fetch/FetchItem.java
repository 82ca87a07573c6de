package dev.batchetl.fetch;

/** A planned source of one job instance: the unit of work of the fetch step. */
record FetchItem(long jobInstanceId, int line, String source, String target, String expectedSha256) {
}
