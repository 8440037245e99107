import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** Secrets the fixture plants, built at run time so no scanner mistakes them for real ones. */
export const PLANTED = {
  email: 'alice.keeper@example.com',
  openaiKey: 'sk-' + 'proj-' + 'Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56',
};

/** What a well-formed fixture folder holds, to compare with what arrives. */
export const EXPECTED = {
  sessions: [
    'Rotate the quartz keys', // db s-1 (email + key in its conversation)
    'Private notes on caching', // db s-2
    'Auth middleware walkthrough', // sessions/2025-11-10-auth.md
    'Release planning', // sessions/notes.json (session_id s-10)
    'loose-messages', // sessions/loose-messages.json (an array of messages)
    '2025-11-16T1523-RESTORE-CONTEXT', // exports/ (turns)
    '2025-11-17-EXPORT-MEMORY-CONTEXT', // exports/ (no turns: one message)
  ],
  patterns: ['Retry flaky network calls'],
  checkpoints: ['Sprint 3 wrap-up', 'Release 1.2 checkpoint', '2025-11-18T0930-handover'],
};

/** The malformed items, by the source the report names and the code it gives. */
export const MALFORMED: Array<{ source: string; code: string }> = [
  { source: 'memory-context.db#sessions/s-3', code: 'BAD_JSON' },
  { source: 'memory-context.db#sessions/s-4', code: 'UNKNOWN_PRIVACY_LEVEL' },
  { source: 'memory-context.db#patterns/p-2', code: 'BAD_JSON' },
  { source: 'sessions/broken.json', code: 'BAD_JSON' },
  { source: 'sessions/duplicate.json', code: 'DUPLICATE_ID' },
  { source: 'sessions/latin1.md', code: 'INVALID_UTF8' },
  { source: 'checkpoints/undated.md', code: 'BAD_TIMESTAMP' },
];

const SEED_SCHEMA = `
CREATE TABLE sessions (session_id TEXT PRIMARY KEY, timestamp TEXT NOT NULL, title TEXT NOT NULL, description TEXT,
  privacy_level TEXT, conversation_json TEXT, created_at TEXT, legacy_flag INTEGER);
CREATE TABLE patterns (pattern_id TEXT PRIMARY KEY, pattern_type TEXT NOT NULL, name TEXT NOT NULL, description TEXT,
  pattern_json TEXT NOT NULL, created_at TEXT);
CREATE TABLE checkpoints (checkpoint_id TEXT PRIMARY KEY, timestamp TEXT, title TEXT, summary TEXT, content TEXT);
CREATE TABLE tags (tag_id INTEGER PRIMARY KEY, session_id TEXT, tag TEXT);
CREATE TABLE privacy_audit (audit_id INTEGER PRIMARY KEY, timestamp TEXT, action TEXT, resource_id TEXT);
CREATE TABLE context_loads (load_id INTEGER PRIMARY KEY, session_id TEXT, loaded_at TEXT);
`;

function conversation(...turns: Array<[string, string]>): string {
  return JSON.stringify(turns.map(([role, content]) => ({ role, content })));
}

/** A transcript of about `bytes` bytes with User/Assistant turns, like the seed's 439 KB restore export. */
export function largeTranscript(bytes: number): string {
  const turns: string[] = ['Restored context for the installer orchestration.'];
  for (let i = 0; turns.join('\n').length < bytes; i++) {
    turns.push(`User: step ${i}: what does the installer do next for module ${i}?`);
    turns.push(`Assistant: step ${i}: it ${'verifies the manifest, '.repeat(8)}then moves on.`);
  }
  return turns.join('\n');
}

/** Writes a MEMORY-CONTEXT folder in the seed's layout (SDD §2.1–2.2), well-formed items and malformed ones. */
export function writeSeedFolder(dir: string, options: { exportBytes?: number } = {}): void {
  mkdirSync(dir, { recursive: true });
  const db = new Database(join(dir, 'memory-context.db'));
  db.exec(SEED_SCHEMA);
  const session = db.prepare('INSERT INTO sessions (session_id, timestamp, title, description, privacy_level, conversation_json, created_at, legacy_flag) VALUES (?, ?, ?, ?, ?, ?, ?, 1)');
  session.run('s-1', '2025-11-01 10:00:00', 'Rotate the quartz keys', 'Key rotation runbook', 'TEAM',
    conversation(['user', `Mail ${PLANTED.email} when done; the key is ${PLANTED.openaiKey}`], ['assistant', 'Noted, rotating now.']), '2025-11-01 10:00:00');
  session.run('s-2', '2025-11-02T08:30:00Z', 'Private notes on caching', null, 'private', conversation(['user', 'Why is the cache cold?'], ['assistant', 'Eviction ran.']), null);
  session.run('s-3', '2025-11-03 09:00:00', 'Broken conversation', null, 'TEAM', '[{"role": "user", "content": ', null);
  session.run('s-4', '2025-11-04 09:00:00', 'Odd level', null, 'TOP-SECRET', conversation(['user', 'hi']), null);
  db.prepare('INSERT INTO tags (session_id, tag) VALUES (?, ?)').run('s-1', 'ops');
  db.prepare('INSERT INTO tags (session_id, tag) VALUES (?, ?)').run('s-1', 'keys');
  const pattern = db.prepare('INSERT INTO patterns (pattern_id, pattern_type, name, description, pattern_json) VALUES (?, ?, ?, ?, ?)');
  pattern.run('p-1', 'solution', 'Retry flaky network calls', 'Back off exponentially', JSON.stringify({ steps: ['retry', 'back off'] }));
  pattern.run('p-2', 'workflow', 'Half-written pattern', null, '{"steps": [');
  db.prepare('INSERT INTO checkpoints (checkpoint_id, timestamp, title, summary, content) VALUES (?, ?, ?, ?, ?)').run(
    'c-1', '2025-11-05 18:00:00', 'Sprint 3 wrap-up', 'Closed 12 issues', '# Sprint 3\n\nDone.',
  );
  db.prepare('INSERT INTO privacy_audit (timestamp, action, resource_id) VALUES (?, ?, ?)').run('2025-11-01 10:00:00', 'read', 's-1');
  db.prepare('INSERT INTO context_loads (session_id, loaded_at) VALUES (?, ?)').run('s-1', '2025-11-01 10:00:00');
  db.close();

  mkdirSync(join(dir, 'sessions'));
  writeFileSync(join(dir, 'sessions', '2025-11-10-auth.md'), '# Auth middleware walkthrough\n\nUser: how does the middleware check tokens?\nAssistant: it verifies the JWT, then the scope.\n');
  writeFileSync(
    join(dir, 'sessions', 'notes.json'),
    JSON.stringify({ session_id: 's-10', timestamp: '2025-11-12T12:00:00Z', title: 'Release planning', privacy_level: 'TEAM', conversation_json: conversation(['user', 'When do we ship?'], ['assistant', 'Friday.']) }),
  );
  writeFileSync(join(dir, 'sessions', 'loose-messages.json'), conversation(['user', 'Loose question'], ['assistant', 'Loose answer']));
  writeFileSync(join(dir, 'sessions', 'duplicate.json'), JSON.stringify({ session_id: 's-2', title: 'Private notes again', conversation_json: conversation(['user', 'again']) }));
  writeFileSync(join(dir, 'sessions', 'broken.json'), '{"session_id": "s-11", "title": ');
  writeFileSync(join(dir, 'sessions', 'latin1.md'), Buffer.from([0x23, 0x20, 0x43, 0x61, 0x66, 0xe9, 0x0a, 0xff, 0xfe, 0x0a]));

  mkdirSync(join(dir, 'checkpoints'));
  writeFileSync(join(dir, 'checkpoints', '2025-11-16T15-23-00Z-release.md'), '# Release 1.2 checkpoint\n\nShipped the importer.\n');
  writeFileSync(join(dir, 'checkpoints', '2025-11-18T0930-handover.md'), 'Handover notes without a heading.\n');
  writeFileSync(join(dir, 'checkpoints', 'undated.md'), '# No stamp\n');

  mkdirSync(join(dir, 'exports'));
  writeFileSync(join(dir, 'exports', '2025-11-16T1523-RESTORE-CONTEXT.txt'), largeTranscript(options.exportBytes ?? 439 * 1024));
  writeFileSync(join(dir, 'exports', '2025-11-17-EXPORT-MEMORY-CONTEXT.txt'), 'Plain export text without turns.\nSecond line.\n');

  // The folder's privacy rules: contact data is redacted (not only masked) at TEAM.
  writeFileSync(join(dir, 'privacy.config.json'), JSON.stringify({ version: 1, levels: { TEAM: { contact: 'redact' } } }));
}
