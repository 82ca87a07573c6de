-- Further statistics per column (sum, distinct count, quartiles) and invalid bytes replaced per file.
ALTER TABLE etl_column_stats ADD COLUMN sum_value VARCHAR(4000);   -- exact for integer columns, so text
ALTER TABLE etl_column_stats ADD COLUMN distinct_count BIGINT;
ALTER TABLE etl_column_stats ADD COLUMN distinct_exact BOOLEAN;     -- false: a sketch estimate (see README)
ALTER TABLE etl_column_stats ADD COLUMN q1 DOUBLE PRECISION;
ALTER TABLE etl_column_stats ADD COLUMN median DOUBLE PRECISION;
ALTER TABLE etl_column_stats ADD COLUMN q3 DOUBLE PRECISION;
ALTER TABLE etl_column_stats ADD COLUMN quartiles_exact BOOLEAN;    -- false: a sketch estimate (see README)
ALTER TABLE etl_file_stats ADD COLUMN invalid_bytes BIGINT;         -- invalid byte sequences replaced
