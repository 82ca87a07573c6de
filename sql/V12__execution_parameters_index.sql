-- The dashboard's runs list joins every execution it shows with its definition and run key parameters: without an
-- index on the execution (Spring Batch's schema has only the foreign key) each page reads the whole parameter table.
-- Over 10,000 executions this halves the list's answer time (DashboardBenchmarkTests).
CREATE INDEX etl_job_execution_params_execution ON batch_job_execution_params (job_execution_id);
