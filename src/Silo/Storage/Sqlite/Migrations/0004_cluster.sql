-- Cluster membership and leadership. The embedded silo has the file to itself, so it is always the leader, but it
-- records leadership and its own membership the same way a cluster does, so GET /v1/cluster reads alike.

CREATE TABLE silos (
    id             TEXT    NOT NULL PRIMARY KEY,
    address        TEXT    NOT NULL,                 -- the gateway URL (--advertise-url)
    roles          TEXT    NOT NULL,                 -- comma-separated, sorted
    started_at     INTEGER NOT NULL,
    last_heartbeat INTEGER NOT NULL,                 -- compared exactly by mark-dead, so a newer heartbeat wins
    state          TEXT    NOT NULL                  -- 'alive', 'dead' or 'stopped'
);

-- One row: who acquired leadership last, and the epoch that fences a replaced leader's writes.
CREATE TABLE leader (
    id          INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    silo        TEXT    NOT NULL,
    epoch       INTEGER NOT NULL,
    acquired_at INTEGER NOT NULL
);

-- The worker safety poll: a worker's running jobs.
CREATE INDEX jobs_by_worker ON jobs (worker_id, state);
