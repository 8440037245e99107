import Database from 'better-sqlite3';
import type { PatternKind, PrivacyLevel } from '../generated/graphql.js';
import { conversationFrom, parseJson } from './conversation.js';
import { failure, ItemError, privacyLevel, timestamp, type NotImported, type ReadOutcome, type SourceRead } from './item.js';

type Row = Record<string, unknown>;

/** Why the seed's other tables are not imported (each is reported with its row count). */
const WHY_NOT: Record<string, string> = {
  privacy_audit: 'the server keeps its own append-only audit; the seed audit stays in the folder',
  context_loads: 'access statistics, not memory',
  tags: 'its rows name no session (neither a session_id column nor a session_tags table)',
};

const PATTERN_KINDS: Record<string, PatternKind> = {
  solution: 'SOLUTION',
  error_fix: 'ERROR_FIX',
  errorfix: 'ERROR_FIX',
  error: 'ERROR_FIX',
  fix: 'ERROR_FIX',
  convention: 'CONVENTION',
  style: 'CONVENTION',
  workflow: 'WORKFLOW',
  process: 'WORKFLOW',
  anti_pattern: 'ANTI_PATTERN',
  antipattern: 'ANTI_PATTERN',
};

/** The first present column of `names` (columns are read by name; missing ones are null). */
function pick(row: Row, ...names: string[]): unknown {
  for (const n of names) if (row[n] !== undefined && row[n] !== null) return row[n];
  return null;
}

function str(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) throw new ItemError('BAD_INPUT', 'a text column holds binary data');
  return String(value);
}

export function patternKind(value: unknown): PatternKind {
  const key = String(value ?? '').trim().toLowerCase().replace(/[\s-]+/g, '_');
  const kind = PATTERN_KINDS[key];
  if (!kind) throw new ItemError('UNKNOWN_PATTERN_KIND', `Unknown pattern_type "${String(value)}"; known: ${Object.keys(PATTERN_KINDS).join(', ')}.`);
  return kind;
}

/**
 * Tags per session id: from `tags` rows that name a `session_id` and a `tag`
 * (or `name`, `tag_name`), or through a `session_tags (session_id, tag_id)` join
 * table onto `tags (tag_id | id, name | tag)`. Null when neither shape is there.
 */
function tagsBySession(db: Database.Database, tables: Set<string>): Map<string, string[]> | null {
  if (!tables.has('tags')) return new Map();
  const columns = (table: string) => new Set((db.pragma(`table_info("${table}")`) as Array<{ name: string }>).map((c) => c.name));
  const tagColumns = columns('tags');
  let pairs: Array<{ session: unknown; tag: unknown }>;
  if (tagColumns.has('session_id')) {
    pairs = (db.prepare('SELECT * FROM tags').all() as Row[]).map((row) => ({ session: row.session_id, tag: pick(row, 'tag', 'name', 'tag_name') }));
  } else if (tables.has('session_tags') && columns('session_tags').has('tag_id')) {
    const key = tagColumns.has('tag_id') ? 'tag_id' : 'id';
    const label = ['name', 'tag', 'tag_name'].find((c) => tagColumns.has(c));
    if (!label || !tagColumns.has(key)) return null;
    pairs = db.prepare(`SELECT st.session_id AS session, t."${label}" AS tag FROM session_tags st JOIN tags t ON t."${key}" = st.tag_id`).all() as typeof pairs;
  } else return null;
  const map = new Map<string, string[]>();
  for (const { session, tag } of pairs) {
    if (session === null || session === undefined || tag === null || tag === undefined) continue;
    const id = String(session);
    map.set(id, [...(map.get(id) ?? []), String(tag)]);
  }
  return map;
}

function tagList(value: unknown): string[] {
  if (value === null || value === undefined || value === '') return [];
  const text = String(value).trim();
  if (text.startsWith('[')) {
    const parsed = parseJson(text, 'tags');
    if (Array.isArray(parsed)) return parsed.map(String);
  }
  return text.split(',').map((t) => t.trim()).filter(Boolean);
}

function sessionOutcome(row: Row, index: number, tags: Map<string, string[]>, source: string, fallback: PrivacyLevel): ReadOutcome {
  const id = str(pick(row, 'session_id', 'id')) ?? `row-${index + 1}`;
  const where = `${source}#sessions/${id}`;
  try {
    const conversation = str(pick(row, 'conversation_json', 'conversation', 'content'));
    const content = conversation ? conversationFrom(parseJson(conversation, `${where} conversation_json`), where) : [];
    const title = str(pick(row, 'title', 'name'))?.trim() || `Imported session ${id}`;
    return {
      item: {
        kind: 'session',
        sourceKey: `session:${id}`,
        source: where,
        input: {
          title,
          description: str(pick(row, 'description', 'summary')),
          privacyLevel: privacyLevel(pick(row, 'privacy_level', 'privacy'), fallback),
          tags: [...new Set([...tagList(pick(row, 'tags')), ...(tags.get(id) ?? [])])],
          startedAt: timestamp(pick(row, 'timestamp', 'started_at', 'created_at')),
          endedAt: timestamp(pick(row, 'ended_at')),
          content,
        },
      },
    };
  } catch (err) {
    return failure('session', where, err);
  }
}

function patternOutcome(row: Row, index: number, source: string, fallback: PrivacyLevel): ReadOutcome {
  const id = str(pick(row, 'pattern_id', 'id')) ?? `row-${index + 1}`;
  const where = `${source}#patterns/${id}`;
  try {
    const body = str(pick(row, 'pattern_json', 'body'));
    const name = str(pick(row, 'name', 'title'))?.trim();
    if (!name) throw new ItemError('BAD_INPUT', 'the pattern has no name');
    return {
      item: {
        kind: 'pattern',
        sourceKey: `pattern:${id}`,
        source: where,
        input: {
          kind: patternKind(pick(row, 'pattern_type', 'kind', 'type')),
          name,
          description: str(pick(row, 'description')),
          body: body === null ? null : parseJson(body, `${where} pattern_json`),
          tags: tagList(pick(row, 'tags')),
          privacyLevel: privacyLevel(pick(row, 'privacy_level', 'privacy'), fallback),
        },
      },
    };
  } catch (err) {
    return failure('pattern', where, err);
  }
}

function checkpointOutcome(row: Row, index: number, source: string, fallback: PrivacyLevel): ReadOutcome {
  const id = str(pick(row, 'checkpoint_id', 'id')) ?? `row-${index + 1}`;
  const where = `${source}#checkpoints/${id}`;
  try {
    const takenAt = timestamp(pick(row, 'timestamp', 'taken_at', 'created_at'));
    const json = str(pick(row, 'checkpoint_json'));
    const content = str(pick(row, 'content', 'markdown')) ?? (json === null ? null : JSON.stringify(parseJson(json, `${where} checkpoint_json`), null, 2));
    return {
      item: {
        kind: 'checkpoint',
        sourceKey: `checkpoint:${id}`,
        source: where,
        input: {
          title: str(pick(row, 'title', 'name'))?.trim() || `Checkpoint ${id}`,
          summary: str(pick(row, 'summary', 'description')),
          content,
          gitRef: str(pick(row, 'git_ref', 'git_commit', 'commit_sha')),
          privacyLevel: privacyLevel(pick(row, 'privacy_level', 'privacy'), fallback),
          ...(takenAt ? { takenAt } : {}),
        },
      },
    };
  } catch (err) {
    return failure('checkpoint', where, err);
  }
}

/**
 * Reads a seed `memory-context.db` (read-only): its sessions, patterns and
 * checkpoints become items, `tags` rows join their sessions; the other tables
 * are reported. A file that is not SQLite, is damaged, or has none of the seed's
 * tables is one source failure; a bad row is one item failure.
 */
export function readSeedDatabase(path: string, source: string, fallback: PrivacyLevel): SourceRead {
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const tables = new Set((db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as Array<{ name: string }>).map((t) => t.name));
    if (!['sessions', 'patterns', 'checkpoints'].some((t) => tables.has(t))) {
      return { outcomes: [{ failure: { kind: 'source', source, code: 'NOT_MEMORY_CONTEXT', reason: `${source} is SQLite but has none of the tables sessions, patterns, checkpoints.` } }], notImported: [] };
    }
    const all = (table: string) => (tables.has(table) ? (db!.prepare(`SELECT * FROM "${table}"`).all() as Row[]) : []);
    const joined = tagsBySession(db, tables);
    const tags = joined ?? new Map<string, string[]>();
    const mapped = joined ? ['sessions', 'patterns', 'checkpoints', 'tags', 'session_tags'] : ['sessions', 'patterns', 'checkpoints'];
    const outcomes = [
      ...all('sessions').map((row, i) => sessionOutcome(row, i, tags, source, fallback)),
      ...all('patterns').map((row, i) => patternOutcome(row, i, source, fallback)),
      ...all('checkpoints').map((row, i) => checkpointOutcome(row, i, source, fallback)),
    ];
    const notImported: NotImported[] = [...tables]
      .filter((t) => !mapped.includes(t))
      .sort()
      .map((t) => ({
        source: `${source}#${t}`,
        count: (db!.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n,
        reason: WHY_NOT[t] ?? 'no counterpart in memory-context',
      }));
    return { outcomes, notImported };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { outcomes: [{ failure: { kind: 'source', source, code: 'NOT_A_DATABASE', reason: `${source} cannot be read as SQLite: ${message}` } }], notImported: [] };
  } finally {
    db?.close();
  }
}
