-- Queues and workers become durable so their settings and liveness survive a restart. Times are Unix
-- microseconds (UTC), as in 0001; states are stored as their wire names so the file reads the same as the API.

-- The scheduler's score at the start of the current or last attempt; NULL until a job first starts, which is
-- also what every job written before this migration gets.
ALTER TABLE jobs ADD COLUMN score REAL;

CREATE TABLE queues (
    name               TEXT    NOT NULL PRIMARY KEY,  -- compared ordinally (BINARY collation): 'etl' and 'ETL' differ
    weight             REAL    NOT NULL,
    capacity           INTEGER NOT NULL,
    parallelism        INTEGER NOT NULL,
    max_resource_share REAL    NOT NULL,
    pool               TEXT    NOT NULL,
    state              TEXT    NOT NULL,             -- 'open' or 'closed'
    version            INTEGER NOT NULL,             -- incremented by every upsert
    created_at         INTEGER NOT NULL,             -- kept on replace: ties between equal queues are broken by it
    updated_at         INTEGER NOT NULL
);

CREATE TABLE workers (
    id             TEXT    NOT NULL PRIMARY KEY,
    silo           TEXT    NOT NULL,
    pool           TEXT    NOT NULL,
    slots          INTEGER NOT NULL,
    memory_mb      INTEGER NOT NULL,
    running        INTEGER NOT NULL,
    memory_used_mb INTEGER NOT NULL,
    started_at     INTEGER NOT NULL,
    last_heartbeat INTEGER NOT NULL,                 -- compared exactly by mark-dead, so a newer heartbeat wins
    state          TEXT    NOT NULL                  -- 'alive', 'dead' or 'stopped'
);

-- Every grid has a 'default' queue, so a job submitted without a queue always has one to land in. It is created
-- here rather than at start-up so that settings an operator later gives it are never overwritten.
-- These values MUST equal QueueDefinition.WithDefaults("default"); a conformance test checks that they do.
-- created_at 0 (the epoch) keeps it first in the listing whenever other queues are created.
INSERT INTO queues (name, weight, capacity, parallelism, max_resource_share, pool, state, version, created_at, updated_at)
VALUES ('default', 1.0, 10000, 64, 1.0, 'core', 'open', 1, 0, 0);
