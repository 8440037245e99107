import { describe, expect, it } from '@jest/globals';
import { localPattern, localSession } from '../local-copies.js';
import { EntityStore } from './entity-store.js';
import { openCache } from './open-cache.js';
import { ftsQuery, searchCache } from './search-index.js';

describe('ftsQuery', () => {
  it('turns any text into prefix terms that cannot be read as FTS5 syntax', () => {
    expect(ftsQuery('deploy "prod" OR NEAR(x)*')).toBe('"deploy"* "prod"* "OR"* "NEAR"* "x"*');
    expect(ftsQuery('  ?! ')).toBeUndefined();
    expect(ftsQuery('café déjà')).toBe('"café"* "déjà"*');
  });
});

describe('searchCache', () => {
  it('finds sessions and patterns by title, tags and body, kept current by triggers', () => {
    const db = openCache(':memory:');
    const now = Date.parse('2026-03-01T10:00:00.000Z');
    const store = new EntityStore(db, () => now);
    const at = new Date(now).toISOString();
    const s = localSession('s1', 'unit', { title: 'Flaky tests', privacyLevel: 'TEAM', tags: ['ci'], content: [{ role: 'user', text: 'the runner times out on arm64' }] }, { total: 0, counts: [] }, at);
    store.put('session', s, 'synced');
    store.put('pattern', localPattern('p1', 'unit', { kind: 'ERROR_FIX', name: 'Raise the arm64 timeout', privacyLevel: 'TEAM', body: { fix: 'timeout: 600' } }, at), 'synced');
    expect(searchCache(db, 'arm64').map((h) => h.id).sort()).toEqual(['p1', 's1']);
    expect(searchCache(db, 'arm', { kinds: ['session'] }).map((h) => h.id)).toEqual(['s1']);
    expect(searchCache(db, 'runner')[0]?.snippet).toContain('**runner**');
    store.put('session', { ...s, content: [{ role: 'user', text: 'fixed', at: null }] }, 'synced');
    expect(searchCache(db, 'runner')).toEqual([]);
    store.remove('pattern', 'p1');
    expect(searchCache(db, 'timeout')).toEqual([]);
    expect(searchCache(db, 'flaky', { submodules: ['other'] })).toEqual([]);
  });
});

describe('the FTS update trigger', () => {
  const ftsRows = (db: ReturnType<typeof openCache>) =>
    (db.prepare(`SELECT count(*) AS n FROM sessions_fts_data`).get() as { n: number }).n;

  it('leaves the index alone when only version and timestamps change, and rewrites it when a field it holds changes', () => {
    const db = openCache(':memory:');
    const at = '2026-03-01T10:00:00.000Z';
    const store = new EntityStore(db, () => Date.parse(at));
    const s = localSession('s1', 'unit', { title: 'Quartz keys', privacyLevel: 'TEAM', tags: ['ops'], content: [{ role: 'user', text: 'rotate them monthly' }] }, { total: 0, counts: [] }, at);
    store.put('session', s, 'pending');
    const before = db.prepare('SELECT block FROM sessions_fts_data ORDER BY id').all();
    // The server's copy of that write: new version and times, the same text.
    store.put('session', { ...s, version: 2, updatedAt: '2026-03-01T10:00:05.000Z', createdAt: '2026-03-01T10:00:04.000Z' }, 'synced');
    expect(db.prepare('SELECT block FROM sessions_fts_data ORDER BY id').all()).toEqual(before);
    expect(searchCache(db, 'monthly').map((h) => h.id)).toEqual(['s1']);

    const changes: Array<[Partial<typeof s>, string, string]> = [
      [{ title: 'Onyx keys' }, 'quartz', 'onyx'],
      [{ tags: ['security'] }, 'ops', 'security'],
      [{ description: 'yearly audit' }, 'nothing-here', 'yearly'],
      [{ content: [{ role: 'user', text: 'rotate them weekly', at: null }] }, 'monthly', 'weekly'],
    ];
    for (const [change, gone, found] of changes) {
      const current = store.get('session', 's1')!.entity;
      store.put('session', { ...current, ...change, version: current.version + 1 }, 'synced');
      expect(searchCache(db, gone)).toEqual([]);
      expect(searchCache(db, found).map((h) => h.id)).toEqual(['s1']);
    }
    expect(ftsRows(db)).toBeGreaterThan(0);
  });
});

