-- The identity of this job repository: a random id the first remote run or worker stores (one row at most). A
-- manager puts it in every partition request, so that a worker connected to another database leaves the request for a
-- worker of this one instead of taking it for a step execution of its own database that does not exist (or, worse,
-- is another run's partition with the same id).
CREATE TABLE etl_repository (
    singleton  INTEGER      NOT NULL PRIMARY KEY CHECK (singleton = 1),
    id         VARCHAR(36)  NOT NULL
);
