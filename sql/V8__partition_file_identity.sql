-- The size and modification time (nanoseconds since the epoch) of the file a statistics partition read, as the
-- partitioner saw them. A retry (batch-etl retry, retry-of=) reuses a file's statistics only when both are still the
-- same; results recorded before this version have none, and their files are read again.
ALTER TABLE etl_partition_result ADD COLUMN file_bytes BIGINT;
ALTER TABLE etl_partition_result ADD COLUMN file_modified BIGINT;
