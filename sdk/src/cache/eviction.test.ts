import { describe, expect, it } from '@jest/globals';
import type { Pattern, Session } from '../entities.js';
import { EntityStore } from './entity-store.js';
import { evict } from './eviction.js';
import { openCache } from './open-cache.js';
import { Outbox } from './outbox-table.js';

function session(id: string, createdAt: string): Session {
  return {
    id,
    submoduleId: 'unit',
    privacyLevel: 'TEAM',
    title: id,
    description: null,
    tags: [],
    startedAt: null,
    endedAt: null,
    content: [],
    contentHash: null,
    contentBytes: 0,
    redaction: { total: 0, counts: [] },
    version: 1,
    createdAt,
    updatedAt: createdAt,
  };
}

function pattern(id: string, usageCount: number, at: string): Pattern {
  return {
    id,
    kind: 'SOLUTION',
    name: id,
    description: null,
    body: null,
    tags: [],
    privacyLevel: 'TEAM',
    submoduleId: 'unit',
    occurrences: 1,
    usageCount,
    firstSeenAt: at,
    lastSeenAt: at,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
}

const DAY = 86_400_000;
const limits = { maxSessions: 3, maxPatterns: 10, maxCheckpoints: 10, maxAgeDays: 30 };

describe('evict', () => {
  it('drops the least recently read synced rows beyond the maximum, never pending or conflicted ones', () => {
    const db = openCache(':memory:');
    let now = 1_000 * DAY;
    const store = new EntityStore(db, () => now);
    const outbox = new Outbox(db, () => now);
    for (let i = 0; i < 6; i++) {
      now += 1000;
      store.put('session', session(`s${i}`, new Date(now).toISOString()), i === 0 ? 'pending' : i === 1 ? 'conflict' : 'synced');
    }
    outbox.enqueue({ kind: 'session', op: 'update', id: 's0', baseVersion: 1, input: { title: 'x' } });
    db.prepare(`INSERT INTO conflicts (id, kind, entity_id, local_ops, message, detected_at) VALUES ('c', 'session', 's1', '[]', 'm', 0)`).run();
    now += 1000;
    store.touch('session', 's2'); // read recently: kept
    store.flushTouches();
    expect(evict(db, limits, now).session).toBe(3);
    const left = (db.prepare('SELECT id FROM sessions ORDER BY id').all() as Array<{ id: string }>).map((r) => r.id);
    expect(left).toEqual(['s0', 's1', 's2']);
  });

  it('drops rows not read for maxAgeDays, EPHEMERAL ones included, and keeps EPHEMERAL rows out of the count', () => {
    const db = openCache(':memory:');
    let now = 1_000 * DAY;
    const store = new EntityStore(db, () => now);
    store.put('session', session('old', '2026-01-01T00:00:00.000Z'), 'synced');
    store.put('session', session('old-scratch', '2026-01-01T00:00:00.000Z'), 'local');
    now += 31 * DAY;
    for (const id of ['a', 'b', 'c', 'd']) store.put('session', session(id, new Date(now).toISOString()), 'local');
    expect(evict(db, limits, now).session).toBe(2);
    expect((db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n).toBe(4);
  });

  it('keeps the most used patterns, whenever they were last read (the seed: top N most-used)', () => {
    const db = openCache(':memory:');
    let now = 1_000 * DAY;
    const store = new EntityStore(db, () => now);
    const outbox = new Outbox(db, () => now);
    const at = () => new Date(now).toISOString();
    store.put('pattern', pattern('used', 7, at()), 'synced');
    now += 1000;
    store.put('pattern', pattern('once', 1, at()), 'synced');
    now += 1000;
    store.put('pattern', pattern('never-a', 0, at()), 'synced');
    now += 1000;
    store.put('pattern', pattern('never-b', 0, at()), 'synced');
    now += 1000;
    store.put('pattern', pattern('never-pending', 0, at()), 'pending');
    outbox.enqueue({ kind: 'pattern', op: 'use', id: 'never-pending' });
    store.put('pattern', pattern('never-conflict', 0, at()), 'conflict');
    db.prepare(`INSERT INTO conflicts (id, kind, entity_id, local_ops, message, detected_at) VALUES ('c', 'pattern', 'never-conflict', '[]', 'm', 0)`).run();
    // The unused ones were read just now, the used one long ago (it does not age out either).
    now += 40 * DAY;
    for (const id of ['never-a', 'never-b']) store.touch('pattern', id);
    store.flushTouches();
    expect(evict(db, { ...limits, maxPatterns: 4 }, now).pattern).toBe(2);
    const left = (db.prepare('SELECT id FROM patterns ORDER BY id').all() as Array<{ id: string }>).map((r) => r.id);
    expect(left).toEqual(['never-conflict', 'never-pending', 'once', 'used']);
  });

  it('evicts sessions least recently read first, not by when they were created', () => {
    const db = openCache(':memory:');
    let now = 1_000 * DAY;
    const store = new EntityStore(db, () => now);
    for (const id of ['old', 'mid', 'new', 'newest']) {
      now += 1000;
      store.put('session', session(id, new Date(now).toISOString()), 'synced');
    }
    now += 1000;
    store.touch('session', 'old');
    store.touch('session', 'mid');
    store.flushTouches();
    expect(evict(db, { ...limits, maxSessions: 2 }, now).session).toBe(2);
    expect((db.prepare('SELECT id FROM sessions ORDER BY id').all() as Array<{ id: string }>).map((r) => r.id)).toEqual(['mid', 'old']);
  });
});
