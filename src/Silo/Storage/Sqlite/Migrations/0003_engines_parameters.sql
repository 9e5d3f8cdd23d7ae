-- Engines and run-time parameter layers become durable, so what an operator registers through the API survives a
-- restart instead of living only in the silo's configuration. Times are Unix microseconds (UTC), as in 0001/0002.
-- Maps and lists are stored as JSON text: they are read and written whole, never queried into, so columns or
-- child tables would only add joins.

-- A queue's default routing: a JSON array of engine names, in the order they are tried. NULL (every queue written
-- before this migration) and '[]' both mean "the grid's default engine".
ALTER TABLE queues ADD COLUMN engines TEXT;

CREATE TABLE engines (
    name            TEXT    NOT NULL PRIMARY KEY,  -- compared ordinally (BINARY collation), like queue names
    kind            TEXT    NOT NULL,              -- 'sqlite', 'postgres' or 'clickhouse'
    connection      TEXT    NOT NULL,
    max_concurrency INTEGER NOT NULL,
    parameters      TEXT    NOT NULL,              -- JSON object: parameter name -> value (both strings)
    version         INTEGER NOT NULL,              -- incremented by every upsert
    created_at      INTEGER NOT NULL,              -- kept on replace: the listing's order is by it
    updated_at      INTEGER NOT NULL
);

-- One entry per (layer, key), e.g. ('business', 'ads'). The primary key is the listing's order, so WITHOUT ROWID
-- keeps the rows in it.
CREATE TABLE parameter_layers (
    layer      TEXT    NOT NULL,                   -- 'business' or 'account'
    key        TEXT    NOT NULL,
    targets    TEXT    NOT NULL,                   -- JSON object: engine name or kind -> { parameter name -> value }
    version    INTEGER NOT NULL,                   -- incremented by every upsert
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (layer, key)
) WITHOUT ROWID;
