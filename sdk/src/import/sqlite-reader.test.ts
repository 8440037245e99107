import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from '@jest/globals';
import { writeSeedFolder } from '../../test-fixtures/memory-context-folder.js';
import { patternKind, readSeedDatabase } from './sqlite-reader.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'sqlite-reader-'));

describe('readSeedDatabase', () => {
  it('maps the seed columns by name, joins tags, and reports bad rows and unmapped tables', () => {
    const dir = tmp();
    writeSeedFolder(dir, { exportBytes: 100 });
    const { outcomes, notImported } = readSeedDatabase(join(dir, 'memory-context.db'), 'memory-context.db', 'TEAM');
    const items = outcomes.flatMap((o) => ('item' in o ? [o.item] : []));
    const failures = outcomes.flatMap((o) => ('failure' in o ? [o.failure] : []));
    expect(items.map((i) => [i.kind, i.sourceKey])).toEqual([
      ['session', 'session:s-1'],
      ['session', 'session:s-2'],
      ['pattern', 'pattern:p-1'],
      ['checkpoint', 'checkpoint:c-1'],
    ]);
    expect(items[0]).toMatchObject({
      input: { title: 'Rotate the quartz keys', description: 'Key rotation runbook', privacyLevel: 'TEAM', tags: ['ops', 'keys'], startedAt: '2025-11-01T10:00:00.000Z' },
    });
    expect(items[1]?.input.privacyLevel).toBe('PRIVATE');
    expect(items[2]).toMatchObject({ input: { kind: 'SOLUTION', body: { steps: ['retry', 'back off'] } } });
    expect(items[3]).toMatchObject({ input: { title: 'Sprint 3 wrap-up', takenAt: '2025-11-05T18:00:00.000Z', content: '# Sprint 3\n\nDone.' } });
    expect(failures.map((f) => [f.source, f.code])).toEqual([
      ['memory-context.db#sessions/s-3', 'BAD_JSON'],
      ['memory-context.db#sessions/s-4', 'UNKNOWN_PRIVACY_LEVEL'],
      ['memory-context.db#patterns/p-2', 'BAD_JSON'],
    ]);
    expect(notImported.map((n) => [n.source, n.count])).toEqual([
      ['memory-context.db#context_loads', 1],
      ['memory-context.db#privacy_audit', 1],
    ]);
  });

  it('tolerates missing columns', () => {
    const path = join(tmp(), 'memory-context.db');
    const db = new Database(path);
    db.exec(`CREATE TABLE sessions (session_id TEXT, title TEXT); INSERT INTO sessions VALUES ('only', NULL);`);
    db.close();
    const { outcomes } = readSeedDatabase(path, 'memory-context.db', 'PUBLIC');
    expect(outcomes).toEqual([{ item: expect.objectContaining({ input: expect.objectContaining({ title: 'Imported session only', privacyLevel: 'PUBLIC', content: [] }) }) }]);
  });

  it('joins tags through session_tags, and reports a tags table it cannot join', () => {
    const dir = tmp();
    const joined = new Database(join(dir, 'joined.db'));
    joined.exec(`CREATE TABLE sessions (session_id TEXT, title TEXT); INSERT INTO sessions VALUES ('s', 'S');
      CREATE TABLE tags (tag_id INTEGER, name TEXT); INSERT INTO tags VALUES (1, 'auth'), (2, 'ci');
      CREATE TABLE session_tags (session_id TEXT, tag_id INTEGER); INSERT INTO session_tags VALUES ('s', 2), ('s', 1);`);
    joined.close();
    const read = readSeedDatabase(join(dir, 'joined.db'), 'joined.db', 'TEAM');
    expect(read.outcomes).toEqual([{ item: expect.objectContaining({ input: expect.objectContaining({ tags: expect.arrayContaining(['auth', 'ci']) }) }) }]);
    expect(read.notImported).toEqual([]);

    const loose = new Database(join(dir, 'loose.db'));
    loose.exec(`CREATE TABLE sessions (session_id TEXT, title TEXT); INSERT INTO sessions VALUES ('s', 'S');
      CREATE TABLE tags (tag_id INTEGER, name TEXT); INSERT INTO tags VALUES (1, 'auth');`);
    loose.close();
    expect(readSeedDatabase(join(dir, 'loose.db'), 'loose.db', 'TEAM').notImported).toEqual([expect.objectContaining({ source: 'loose.db#tags', count: 1 })]);
  });

  it('fails the source for a corrupt file, a non-SQLite file, and a database of another application', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'corrupt.db'), Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4096, 0xab)]));
    writeFileSync(join(dir, 'text.db'), 'just text');
    const foreign = new Database(join(dir, 'foreign.db'));
    foreign.exec('CREATE TABLE invoices (id INTEGER)');
    foreign.close();
    const codeOf = (name: string) => readSeedDatabase(join(dir, name), name, 'TEAM').outcomes.map((o) => ('failure' in o ? [o.failure.kind, o.failure.code] : 'item'));
    expect(codeOf('corrupt.db')).toEqual([['source', 'NOT_A_DATABASE']]);
    expect(codeOf('text.db')).toEqual([['source', 'NOT_A_DATABASE']]);
    expect(codeOf('foreign.db')).toEqual([['source', 'NOT_MEMORY_CONTEXT']]);
  });
});

describe('patternKind', () => {
  it('maps the seed pattern types and refuses unknown ones', () => {
    expect(patternKind('Error-Fix')).toBe('ERROR_FIX');
    expect(patternKind('anti pattern')).toBe('ANTI_PATTERN');
    expect(() => patternKind('vibe')).toThrow(/Unknown pattern_type "vibe"/);
  });
});
