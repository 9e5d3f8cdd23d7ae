-- Jobs and their history. Times are Unix microseconds (UTC) so they sort and compare as integers.
CREATE TABLE jobs (
    id            TEXT    NOT NULL PRIMARY KEY,
    queue         TEXT    NOT NULL,
    type          TEXT    NOT NULL,
    spec          TEXT    NOT NULL,           -- the caller's JobSpec as JSON; immutable
    state         TEXT    NOT NULL,
    reason        TEXT,
    error_code    TEXT,
    error_message TEXT,
    engine        TEXT,
    worker_id     TEXT,
    attempts      INTEGER NOT NULL DEFAULT 0,
    version       INTEGER NOT NULL,           -- optimistic concurrency: every update checks and increments it
    submitted_at  INTEGER NOT NULL,
    enqueued_at   INTEGER,
    started_at    INTEGER,
    finished_at   INTEGER,
    row_count     INTEGER,
    result_path   TEXT
);

-- Dispatch: waiting jobs of a queue in arrival order. Recovery: running jobs.
CREATE INDEX jobs_by_state_queue ON jobs (state, queue, enqueued_at, id);
-- The API's listing: newest first.
CREATE INDEX jobs_by_submitted ON jobs (submitted_at DESC, id DESC);

CREATE TABLE job_events (
    job_id TEXT    NOT NULL,
    seq    INTEGER NOT NULL,
    state  TEXT    NOT NULL,
    at     INTEGER NOT NULL,
    detail TEXT,
    PRIMARY KEY (job_id, seq)
) WITHOUT ROWID;
