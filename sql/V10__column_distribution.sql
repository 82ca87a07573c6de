-- The distribution of a numeric column's values, for the run report's plot: "LOW HIGH C1 C2 ..." (equal bins from the
-- smallest to the largest finite value), from the histogram the statistics keep anyway. NULL for other columns and
-- for runs exported before this version.
ALTER TABLE etl_column_stats ADD COLUMN distribution VARCHAR;
