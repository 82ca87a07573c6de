-- Who runs an execution: recorded by the process that runs it, renewed by a heartbeat. An execution left STARTED by
-- a process that died is recognised from this row (same host: the process is gone; another host: the lease expired).
CREATE TABLE etl_execution_owner (
    job_execution_id  BIGINT        NOT NULL PRIMARY KEY,
    host              VARCHAR(255)  NOT NULL,
    pid               BIGINT        NOT NULL,
    process_start     VARCHAR(64),              -- start time of the process, so a reused pid is not taken for it
    heartbeat         TIMESTAMP     NOT NULL,   -- database time of the last renewal
    lease_seconds     INTEGER       NOT NULL    -- the owner is presumed dead when the heartbeat is older than this
);

-- The lock that lets one process at a time start or restart a job instance, where PostgreSQL's advisory locks are
-- not available (the embedded database). On PostgreSQL an advisory lock is used instead.
CREATE TABLE etl_run_lock (
    lock_key          VARCHAR(300)  NOT NULL PRIMARY KEY,
    host              VARCHAR(255)  NOT NULL,
    pid               BIGINT        NOT NULL,
    process_start     VARCHAR(64),
    acquired          TIMESTAMP     NOT NULL
);
