-- Which worker process runs each remote statistics partition (a partition step execution): claimed by the worker in
-- the same transaction that checks the partition is still waiting to run, renewed by a heartbeat. The manager fails a
-- partition left running by a worker that died (same host: the process is gone; another host: the lease expired).
CREATE TABLE etl_partition_owner (
    step_execution_id  BIGINT        NOT NULL PRIMARY KEY,
    job_execution_id   BIGINT        NOT NULL,
    host               VARCHAR(255)  NOT NULL,
    pid                BIGINT        NOT NULL,
    process_start      VARCHAR(64),              -- start time of the process, so a reused pid is not taken for it
    claimed            TIMESTAMP     NOT NULL,
    heartbeat          TIMESTAMP     NOT NULL,   -- database time of the last renewal
    lease_seconds      INTEGER       NOT NULL    -- the owner is presumed dead when the heartbeat is older than this
);

CREATE INDEX etl_partition_owner_job ON etl_partition_owner (job_execution_id);
