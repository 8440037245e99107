/**
 * The cache schema, version by version. A version is never edited once
 * released: a change is a new entry in MIGRATIONS (cache/migrations.ts).
 *
 * Entity tables hold the entity as the gateway returned it (`data`, JSON of
 * the generated fragment type) plus the columns the cache itself needs:
 * sync state, the version, a sort key, and when the row was cached and last
 * read (LRU eviction). Each has an FTS5 index kept up to date by triggers,
 * so no code path can forget it. Fresh files use 8 KiB pages (open-cache.ts),
 * so two or three cached sessions of a few KiB share a page.
 */

/**
 * `title` and `body` are expressions over a row's JSON, written with `$` for
 * the row (`new`, `old`, or the table itself in the view). The FTS5 index
 * keeps no copy of the text: it reads it through the `<table>_search` view
 * (external content), so a cached entity is stored once.
 */
function entityTable(table: string, title: (row: string) => string, body: (row: string) => string): string {
  const values = (row: string) => `${row}.row_id, ${title(row)}, ${body(row)}`;
  return `
CREATE TABLE ${table} (
  row_id INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  submodule_id TEXT NOT NULL,
  privacy_level TEXT NOT NULL,
  version INTEGER NOT NULL,
  sort_at TEXT NOT NULL,
  data TEXT NOT NULL,
  sync_state TEXT NOT NULL CHECK (sync_state IN ('synced', 'pending', 'local', 'conflict')),
  cached_at INTEGER NOT NULL,
  accessed_at INTEGER NOT NULL
) STRICT;
CREATE INDEX ${table}_by_sort ON ${table} (sort_at DESC, id DESC);
CREATE INDEX ${table}_by_access ON ${table} (sync_state, accessed_at);
CREATE VIEW ${table}_search (row_id, title, body) AS SELECT ${values(table)} FROM ${table};
CREATE VIRTUAL TABLE ${table}_fts USING fts5(title, body, content = '${table}_search', content_rowid = 'row_id', tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER ${table}_fts_insert AFTER INSERT ON ${table} BEGIN
  INSERT INTO ${table}_fts (rowid, title, body) VALUES (${values('new')});
END;
CREATE TRIGGER ${table}_fts_update AFTER UPDATE OF data ON ${table} BEGIN
  INSERT INTO ${table}_fts (${table}_fts, rowid, title, body) VALUES ('delete', ${values('old')});
  INSERT INTO ${table}_fts (rowid, title, body) VALUES (${values('new')});
END;
CREATE TRIGGER ${table}_fts_delete AFTER DELETE ON ${table} BEGIN
  INSERT INTO ${table}_fts (${table}_fts, rowid, title, body) VALUES ('delete', ${values('old')});
END;
`;
}

const tagsText = (row: string) => `(SELECT group_concat(value, ' ') FROM json_each(${row}.data, '$.tags'))`;

/** What each entity table's FTS index holds: its title and body, as SQL over a row's JSON. */
const SEARCH_TEXT = {
  sessions: {
    title: (r: string) => `${r}.data ->> '$.title'`,
    body: (r: string) => `concat_ws(' ', ${r}.data ->> '$.description', ${tagsText(r)}, (SELECT group_concat(value ->> '$.text', ' ') FROM json_each(${r}.data, '$.content')))`,
  },
  patterns: {
    title: (r: string) => `${r}.data ->> '$.name'`,
    body: (r: string) => `concat_ws(' ', ${r}.data ->> '$.kind', ${r}.data ->> '$.description', ${tagsText(r)}, ${r}.data -> '$.body')`,
  },
  checkpoints: {
    title: (r: string) => `${r}.data ->> '$.title'`,
    body: (r: string) => `concat_ws(' ', ${r}.data ->> '$.summary', ${r}.data ->> '$.gitRef', ${r}.data ->> '$.content')`,
  },
} as const;

export const SCHEMA_V1 = `
CREATE TABLE metadata (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
${entityTable('sessions', SEARCH_TEXT.sessions.title, SEARCH_TEXT.sessions.body)}
${entityTable('patterns', SEARCH_TEXT.patterns.title, SEARCH_TEXT.patterns.body)}
${entityTable('checkpoints', SEARCH_TEXT.checkpoints.title, SEARCH_TEXT.checkpoints.body)}
-- Writes waiting for the gateway, sent in seq order per entity (ARCHITECTURE §6).
CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  op TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  idempotency_key TEXT NOT NULL UNIQUE,
  payload TEXT NOT NULL,
  deps TEXT NOT NULL DEFAULT '[]',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX outbox_by_entity ON outbox (kind, entity_id, seq);
-- Local changes the server refused with CONFLICT; the entity table holds the server copy.
CREATE TABLE conflicts (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  local_ops TEXT NOT NULL,
  base_version INTEGER,
  server_version INTEGER,
  server_entity TEXT,
  message TEXT NOT NULL,
  detected_at INTEGER NOT NULL
) STRICT;
CREATE INDEX conflicts_by_entity ON conflicts (kind, entity_id);
-- Writes the server refused for good (validation, access); kept so nothing is lost silently.
CREATE TABLE rejected (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  op TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  payload TEXT NOT NULL,
  code TEXT NOT NULL,
  reason TEXT NOT NULL,
  rejected_at INTEGER NOT NULL
) STRICT;
`;

/**
 * v2: a feed pulled again from scratch after CURSOR_EXPIRED (cache/resync.ts)
 * first lists here the synced rows of its kind; each row the feed sends again
 * leaves the list, and what is left when the feed has caught up is gone
 * from the server (or from the caller's access) and leaves the cache.
 */
export const SCHEMA_V2 = `
CREATE TABLE resync_candidates (
  kind TEXT NOT NULL,
  id TEXT NOT NULL,
  PRIMARY KEY (kind, id)
) STRICT, WITHOUT ROWID;
`;

/**
 * v3: a row whose JSON changed but whose searchable text did not (the
 * server's copy of a write this cache made: new version and timestamps, same
 * title and content) leaves its FTS entry as it is. With FTS5 secure-delete,
 * rewriting the entry cost 3.7 ms a row against 0.2 ms (measured on 2,000
 * sessions), most of a flush's time on the client.
 */
export const SCHEMA_V3 = (Object.keys(SEARCH_TEXT) as Array<keyof typeof SEARCH_TEXT>)
  .map((table) => {
    const { title, body } = SEARCH_TEXT[table];
    const values = (row: string) => `${row}.row_id, ${title(row)}, ${body(row)}`;
    return `
DROP TRIGGER ${table}_fts_update;
CREATE TRIGGER ${table}_fts_update AFTER UPDATE OF data ON ${table}
WHEN ${title('old')} IS NOT ${title('new')} OR ${body('old')} IS NOT ${body('new')} BEGIN
  INSERT INTO ${table}_fts (${table}_fts, rowid, title, body) VALUES ('delete', ${values('old')});
  INSERT INTO ${table}_fts (rowid, title, body) VALUES (${values('new')});
END;`;
  })
  .join('\n');
