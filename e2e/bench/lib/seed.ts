import { performance } from 'node:perf_hooks';
import type { Actor } from '@memory-context/db';
import type { Stack } from '@memory-context/embedded';
import { makeGenerator } from './corpus.js';
import { round } from './stats.js';

type SessionInput = Parameters<Stack['sessions']['store']['create']>[2];
type PatternInput = Parameters<Stack['patterns']['store']['record']>[2];
type CheckpointInput = Parameters<Stack['checkpoints']['store']['create']>[2];

const actor = (submoduleId: string): Actor => ({ submoduleId, admin: false });

export interface SeedSummary {
  sessions: number;
  patterns: number;
  checkpoints: number;
  privateShare: number;
  avgIndexedChars: number;
  seconds: number;
}

/**
 * Writes `total` generated entities (85% sessions, 10% patterns, 5%
 * checkpoints) through the services' stores — the same writes, redaction and
 * change-feed rows as the mutations, without the HTTP and GraphQL around
 * them — in ONE transaction that commits only when `publish()` is called:
 * the indexer sees nothing before, so indexing is timed from a known instant.
 */
export async function seedCorpus(stack: Stack, total: number, log: (line: string) => void, seed = 20260511): Promise<{ summary: SeedSummary; publish: () => Promise<void> }> {
  if (!Number.isInteger(total) || total < 1) throw new Error(`The corpus size must be a positive whole number, got ${total}`);
  const gen = makeGenerator(seed + total);
  const started = performance.now();
  const nPatterns = Math.round(total * 0.1);
  const nCheckpoints = Math.round(total * 0.05);
  const nSessions = total - nPatterns - nCheckpoints;
  const start = Date.UTC(2025, 0, 1);
  const span = Date.UTC(2026, 4, 1) - start;
  const at = (i: number, of: number) => new Date(start + Math.floor((span * i) / of));
  let privateCount = 0;
  let chars = 0;

  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let written!: () => void;
  const allWritten = new Promise<void>((resolve) => (written = resolve));
  const committed = stack.deps.database.db.transaction(async (tx) => {
    for (let i = 0; i < nSessions; i++) {
      const createdAt = at(i, nSessions);
      const { submoduleId, ...s } = gen.session(createdAt);
      chars += s.title.length + s.description.length + s.content.reduce((n, m) => n + m.text.length, 0);
      if (s.privacyLevel === 'PRIVATE') privateCount++;
      const input: SessionInput = {
        ...s,
        content: s.content.map((m) => ({ ...m, at: new Date(m.at) })),
        startedAt: createdAt,
        endedAt: new Date(createdAt.getTime() + s.content.length * 60_000),
      };
      await stack.sessions.store.create(tx, actor(submoduleId), input);
      if (i % 10_000 === 9_999) log(`  seeded ${i + 1} sessions`);
    }
    for (let i = 0; i < nPatterns; i++) {
      const { submoduleId, ...p } = gen.pattern(i);
      chars += p.name.length + p.description.length + JSON.stringify(p.body).length;
      if (p.privacyLevel === 'PRIVATE') privateCount++;
      await stack.patterns.store.record(tx, actor(submoduleId), p satisfies PatternInput);
    }
    for (let i = 0; i < nCheckpoints; i++) {
      const { submoduleId, ...c } = gen.checkpoint();
      chars += c.title.length + c.summary.length + c.content.length;
      if (c.privacyLevel === 'PRIVATE') privateCount++;
      await stack.checkpoints.store.create(tx, actor(submoduleId), { ...c, takenAt: at(i, nCheckpoints) } satisfies CheckpointInput);
    }
    written();
    await gate;
  });
  // A failed write rejects `committed` before everything is written.
  await Promise.race([allWritten, committed]);
  const summary: SeedSummary = {
    sessions: nSessions,
    patterns: nPatterns,
    checkpoints: nCheckpoints,
    privateShare: round(privateCount / total, 3)!,
    avgIndexedChars: Math.round(chars / total),
    seconds: round((performance.now() - started) / 1000, 1)!,
  };
  return {
    summary,
    async publish() {
      release();
      await committed;
    },
  };
}

/** Writes sessions through the sessions store, `batch` per transaction; returns their ids in order. */
export async function seedSessions(stack: Stack, count: number, make: (i: number) => { submoduleId: string; input: SessionInput }, batch = 500): Promise<string[]> {
  const ids: string[] = [];
  for (let from = 0; from < count; from += batch) {
    await stack.deps.database.db.transaction(async (tx) => {
      for (let i = from; i < Math.min(count, from + batch); i++) {
        const { submoduleId, input } = make(i);
        ids.push((await stack.sessions.store.create(tx, actor(submoduleId), input)).id);
      }
    });
  }
  return ids;
}
