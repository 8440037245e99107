import { describe, expect, it } from 'vitest';
import { EntityStore } from './cache/entity-store.js';
import { openCache } from './cache/open-cache.js';
import type { Session } from './entities.js';
import { evict } from './eviction.js';
import { Outbox } from './outbox.js';

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
});
