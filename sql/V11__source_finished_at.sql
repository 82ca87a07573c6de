-- When the fetch of each source ended with its result (DONE, NOT_MODIFIED or FAILED), in epoch milliseconds of the
-- clock of the process that fetched it, for the run report's throughput chart; a source taken over from an earlier run
-- keeps the time it was fetched there. NULL for a source not attempted yet, and for results recorded or exported before
-- this version.
ALTER TABLE etl_fetch_item ADD COLUMN finished_at BIGINT;
ALTER TABLE etl_source ADD COLUMN finished_at BIGINT;
