-- The whole grid schema as the SQLite store has it after its migration 0004, in one step: a PostgreSQL grid starts
-- at this version. Column meanings are the SQLite ones. Times are Unix microseconds (UTC) in bigint, as there, so
-- both stores share one conversion and compare heartbeats exactly. Names and ids are COLLATE "C": compared and
-- sorted ordinally, like SQLite's BINARY, whatever the database's default collation. Maps and lists are JSON text,
-- read and written whole: jsonb would reorder nothing we need and would refuse the \u0000 that JSON allows.

CREATE TABLE jobs (
    id            text COLLATE "C" NOT NULL PRIMARY KEY,
    queue         text COLLATE "C" NOT NULL,
    type          text             NOT NULL,
    spec          text             NOT NULL,       -- the caller's JobSpec as JSON; immutable
    state         text             NOT NULL,
    reason        text,
    error_code    text,
    error_message text,
    engine        text,
    worker_id     text COLLATE "C",
    attempts      integer          NOT NULL DEFAULT 0,
    version       bigint           NOT NULL,       -- optimistic concurrency: every update checks and increments it
    submitted_at  bigint           NOT NULL,
    enqueued_at   bigint,
    started_at    bigint,
    finished_at   bigint,
    row_count     bigint,
    result_path   text,
    score         double precision,                -- the scheduler's score at the start of the current or last attempt
    -- The last event's sequence number. Appends bump it under the job's row lock, so concurrent appends from
    -- several silos each get the next number without reading MAX(seq) under a stale snapshot.
    event_seq     integer          NOT NULL DEFAULT 0
);

-- Dispatch: waiting jobs of a queue in arrival order. Recovery: running jobs.
CREATE INDEX jobs_by_state_queue ON jobs (state, queue, enqueued_at, id);
-- The API's listing: newest first.
CREATE INDEX jobs_by_submitted ON jobs (submitted_at DESC, id DESC);
-- The worker safety poll: a worker's running jobs.
CREATE INDEX jobs_by_worker ON jobs (worker_id, state);

CREATE TABLE job_events (
    job_id text COLLATE "C" NOT NULL,
    seq    integer          NOT NULL,
    state  text             NOT NULL,
    at     bigint           NOT NULL,
    detail text,
    PRIMARY KEY (job_id, seq)
);

CREATE TABLE queues (
    name               text COLLATE "C" NOT NULL PRIMARY KEY,
    weight             double precision NOT NULL,
    capacity           integer          NOT NULL,
    parallelism        integer          NOT NULL,
    max_resource_share double precision NOT NULL,
    pool               text             NOT NULL,
    state              text             NOT NULL,  -- 'open' or 'closed'
    engines            text,                       -- JSON array of engine names in routing order; NULL: the default
    version            bigint           NOT NULL,  -- incremented by every upsert
    created_at         bigint           NOT NULL,  -- kept on replace: ties between equal queues are broken by it
    updated_at         bigint           NOT NULL
);

-- Every grid has a 'default' queue (see SQLite's 0002). These values MUST equal QueueDefinition.WithDefaults("default");
-- the conformance suite checks that they do. created_at 0 keeps it first in the listing.
INSERT INTO queues (name, weight, capacity, parallelism, max_resource_share, pool, state, version, created_at, updated_at)
VALUES ('default', 1.0, 10000, 64, 1.0, 'core', 'open', 1, 0, 0);

CREATE TABLE workers (
    id             text COLLATE "C" NOT NULL PRIMARY KEY,
    silo           text    NOT NULL,
    pool           text    NOT NULL,
    slots          integer NOT NULL,
    memory_mb      integer NOT NULL,
    running        integer NOT NULL,
    memory_used_mb integer NOT NULL,
    started_at     bigint  NOT NULL,
    last_heartbeat bigint  NOT NULL,               -- compared exactly by mark-dead, so a newer heartbeat wins
    state          text    NOT NULL                -- 'alive', 'dead' or 'stopped'
);

CREATE TABLE engines (
    name            text COLLATE "C" NOT NULL PRIMARY KEY,
    kind            text    NOT NULL,              -- 'sqlite', 'postgres' or 'clickhouse'
    connection      text    NOT NULL,
    max_concurrency integer NOT NULL,
    parameters      text    NOT NULL,              -- JSON object: parameter name -> value
    version         bigint  NOT NULL,
    created_at      bigint  NOT NULL,              -- kept on replace: the listing's order is by it
    updated_at      bigint  NOT NULL
);

CREATE TABLE parameter_layers (
    layer      text COLLATE "C" NOT NULL,          -- 'business' or 'account'
    key        text COLLATE "C" NOT NULL,
    targets    text   NOT NULL,                    -- JSON object: engine name or kind -> { parameter name -> value }
    version    bigint NOT NULL,
    updated_at bigint NOT NULL,
    PRIMARY KEY (layer, key)
);

CREATE TABLE silos (
    id             text COLLATE "C" NOT NULL PRIMARY KEY,
    address        text   NOT NULL,                -- the gateway URL (--advertise-url)
    roles          text   NOT NULL,                -- comma-separated, sorted
    started_at     bigint NOT NULL,
    last_heartbeat bigint NOT NULL,                -- compared exactly by mark-dead, so a newer heartbeat wins
    state          text   NOT NULL                 -- 'alive', 'dead' or 'stopped'
);

-- One row: who acquired leadership last, and the epoch that fences a replaced leader's writes.
CREATE TABLE leader (
    id          integer NOT NULL PRIMARY KEY CHECK (id = 1),
    silo        text    NOT NULL,
    epoch       bigint  NOT NULL,
    acquired_at bigint  NOT NULL
);
