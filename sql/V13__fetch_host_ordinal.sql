-- The host of each source as a number, for the remote fetch's partitions (fetch-partitioning=remote): the hosts of a
-- source list are numbered in the order they first appear (scheme, host and port; the first 65,536 hosts, later ones
-- by a hash of the host), and partition k of N fetches the sources whose number is k - 1 modulo N, so that all sources
-- of one host are fetched by one worker and its per-host limit holds. file: sources, which have no host, are numbered
-- by line, so that they spread over the partitions. NULL for sources planned before this version: partition 1 fetches
-- them.
ALTER TABLE etl_fetch_item ADD COLUMN host_ordinal INTEGER;
