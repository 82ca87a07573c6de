-- Values of any length: column names, text min/max values, sums, file paths, sources and error messages are stored
-- whole (VARCHAR without a length: unbounded in PostgreSQL, up to 10^9 characters in H2). Key columns that hold a file
-- path keep PostgreSQL's index limit in mind: the application stores a path over 2,000 bytes there shortened (see
-- StoredText). No table is rewritten: widening a VARCHAR only changes the catalogue.
ALTER TABLE etl_fetch_item ALTER COLUMN source SET DATA TYPE VARCHAR;
ALTER TABLE etl_fetch_item ALTER COLUMN target SET DATA TYPE VARCHAR;
ALTER TABLE etl_fetch_item ALTER COLUMN etag SET DATA TYPE VARCHAR;
ALTER TABLE etl_fetch_item ALTER COLUMN last_modified SET DATA TYPE VARCHAR;
ALTER TABLE etl_fetch_item ALTER COLUMN error SET DATA TYPE VARCHAR;
ALTER TABLE etl_partition_result ALTER COLUMN file SET DATA TYPE VARCHAR;
ALTER TABLE etl_partition_result ALTER COLUMN error SET DATA TYPE VARCHAR;
ALTER TABLE etl_bad_row_stage ALTER COLUMN file SET DATA TYPE VARCHAR;
ALTER TABLE etl_bad_row_stage ALTER COLUMN reason SET DATA TYPE VARCHAR;
ALTER TABLE etl_source ALTER COLUMN source SET DATA TYPE VARCHAR;
ALTER TABLE etl_source ALTER COLUMN target SET DATA TYPE VARCHAR;
ALTER TABLE etl_source ALTER COLUMN error SET DATA TYPE VARCHAR;
ALTER TABLE etl_file_stats ALTER COLUMN file SET DATA TYPE VARCHAR;
ALTER TABLE etl_file_stats ALTER COLUMN error SET DATA TYPE VARCHAR;
ALTER TABLE etl_column_stats ALTER COLUMN file SET DATA TYPE VARCHAR;
ALTER TABLE etl_column_stats ALTER COLUMN column_name SET DATA TYPE VARCHAR;
ALTER TABLE etl_column_stats ALTER COLUMN min_value SET DATA TYPE VARCHAR;
ALTER TABLE etl_column_stats ALTER COLUMN max_value SET DATA TYPE VARCHAR;
ALTER TABLE etl_column_stats ALTER COLUMN sum_value SET DATA TYPE VARCHAR;
ALTER TABLE etl_bad_row ALTER COLUMN file SET DATA TYPE VARCHAR;
ALTER TABLE etl_bad_row ALTER COLUMN reason SET DATA TYPE VARCHAR;
