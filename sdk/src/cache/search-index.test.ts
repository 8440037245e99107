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
