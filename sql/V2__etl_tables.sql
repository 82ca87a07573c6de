-- batch-etl application tables. V1 is Spring Batch's own job repository schema (see SpringBatchSchema).
-- Written in the SQL subset that PostgreSQL and the embedded H2 (PostgreSQL mode) share.

-- Working state of one job instance: survives restarts of that instance --------------------------------

-- One row per source of an instance, written by fetch-plan; the fetch step moves it to DONE or FAILED.
CREATE TABLE etl_fetch_item (
    job_instance_id   BIGINT        NOT NULL,
    line              INTEGER       NOT NULL,   -- line in the source list
    source            VARCHAR(4000) NOT NULL,
    target            VARCHAR(1000) NOT NULL,   -- file name inside dir
    expected_sha256   VARCHAR(64),
    status            VARCHAR(16)   NOT NULL,   -- PENDING, DONE, FAILED
    attempts          INTEGER       NOT NULL DEFAULT 0,
    bytes             BIGINT,
    sha256            VARCHAR(64),
    http_status       INTEGER,
    etag              VARCHAR(1000),
    last_modified     VARCHAR(100),
    duration_ms       BIGINT,
    error             VARCHAR(4000),
    job_execution_id  BIGINT,                   -- execution that last processed the source
    PRIMARY KEY (job_instance_id, line)
);

-- The final accumulator state of one statistics partition (a file, or a byte range of a big file).
CREATE TABLE etl_partition_result (
    job_instance_id   BIGINT        NOT NULL,
    partition_name    VARCHAR(100)  NOT NULL,
    file              VARCHAR(1000) NOT NULL,   -- relative to dir, with '/'
    range_index       INTEGER       NOT NULL,
    state             BYTEA,                    -- merged by export; null when the file failed
    error             VARCHAR(4000),
    job_execution_id  BIGINT        NOT NULL,
    PRIMARY KEY (job_instance_id, partition_name)
);

-- Rows the statistics step set aside (bad-rows=skip), with their place.
CREATE TABLE etl_bad_row_stage (
    job_instance_id   BIGINT        NOT NULL,
    file              VARCHAR(1000) NOT NULL,
    line              BIGINT        NOT NULL,
    reason            VARCHAR(1000) NOT NULL,
    PRIMARY KEY (job_instance_id, file, line)
);

-- Results, kept per job execution: written by the export step ----------------------------------------

CREATE TABLE etl_source (
    job_execution_id  BIGINT        NOT NULL,
    line              INTEGER       NOT NULL,
    source            VARCHAR(4000) NOT NULL,
    target            VARCHAR(1000) NOT NULL,
    status            VARCHAR(16)   NOT NULL,
    attempts          INTEGER       NOT NULL,
    bytes             BIGINT,
    sha256            VARCHAR(64),
    http_status       INTEGER,
    duration_ms       BIGINT,
    error             VARCHAR(4000),
    PRIMARY KEY (job_execution_id, line)
);

CREATE TABLE etl_file_stats (
    job_execution_id  BIGINT        NOT NULL,
    file              VARCHAR(1000) NOT NULL,
    rows_count        BIGINT,
    columns_count     INTEGER,
    bad_rows          BIGINT,
    error             VARCHAR(4000),
    PRIMARY KEY (job_execution_id, file)
);

CREATE TABLE etl_column_stats (
    job_execution_id  BIGINT        NOT NULL,
    file              VARCHAR(1000) NOT NULL,
    column_index      INTEGER       NOT NULL,
    column_name       VARCHAR(1000) NOT NULL,
    column_type       VARCHAR(16)   NOT NULL,
    non_null_count    BIGINT        NOT NULL,
    null_count        BIGINT        NOT NULL,
    mean              DOUBLE PRECISION,
    min_value         VARCHAR(4000),
    max_value         VARCHAR(4000),
    variance          DOUBLE PRECISION,
    std               DOUBLE PRECISION,
    min_length        INTEGER,
    max_length        INTEGER,
    PRIMARY KEY (job_execution_id, file, column_index)
);

CREATE TABLE etl_bad_row (
    job_execution_id  BIGINT        NOT NULL,
    file              VARCHAR(1000) NOT NULL,
    line              BIGINT        NOT NULL,
    reason            VARCHAR(1000) NOT NULL,
    PRIMARY KEY (job_execution_id, file, line)
);
