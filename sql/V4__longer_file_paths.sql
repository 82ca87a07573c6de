-- Relative file paths up to the longest path a file system allows (4096 bytes on Linux).
ALTER TABLE etl_partition_result ALTER COLUMN file SET DATA TYPE VARCHAR(4096);
ALTER TABLE etl_bad_row_stage ALTER COLUMN file SET DATA TYPE VARCHAR(4096);
ALTER TABLE etl_file_stats ALTER COLUMN file SET DATA TYPE VARCHAR(4096);
ALTER TABLE etl_column_stats ALTER COLUMN file SET DATA TYPE VARCHAR(4096);
ALTER TABLE etl_bad_row ALTER COLUMN file SET DATA TYPE VARCHAR(4096);
