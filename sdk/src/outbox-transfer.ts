import { readFileSync, writeFileSync } from 'node:fs';
import type { LocalStore } from './cache/local-store.js';
import type { ExportedPending } from './cache/pending-export.js';
import { isoNow, type Clock } from './clock.js';
import { SdkError } from './errors.js';
import { localCheckpoint, localPattern, localSession } from './local-copies.js';
import { summaryOf } from './redaction.js';

export type { ExportedPending } from './cache/pending-export.js';

export interface ImportResult {
  writes: number;
  conflicts: number;
  rejected: number;
  ephemeral: number;
}

/** Pending writes, conflicts, rejected writes and EPHEMERAL entities, as a JSON-ready object (and to `file` if given, mode 0600). */
export function exportPending(store: LocalStore, cachePath: string, file?: string): ExportedPending {
  const exported = store.collectPending(cachePath);
  if (file) writeFileSync(file, `${JSON.stringify(exported, null, 2)}\n`, { mode: 0o600 });
  return exported;
}

export function readExport(file: string): ExportedPending {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new SdkError('BAD_USER_INPUT', `${file} is not a readable export of pending writes: ${(err as Error).message}`);
  }
  if ((parsed as { format?: unknown }).format !== 'memctx-pending' || (parsed as { version?: unknown }).version !== 1) {
    throw new SdkError('BAD_USER_INPUT', `${file} is not an export of pending writes (format memctx-pending, version 1).`);
  }
  return parsed as ExportedPending;
}

/** An ISO time from an export, or now when it is missing or unreadable. */
function timeOf(value: unknown, clock: Clock): string {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return new Date(Number.isFinite(ms) ? ms : clock.now()).toISOString();
}

/**
 * Queues the exported writes again, in their order, with their idempotency
 * keys; a write already in this outbox is skipped. Conflicts and rejected
 * writes keep their ids, so importing the same export twice adds nothing the
 * second time. Created entities get their local copy back, so they can be
 * read before they are sent.
 */
export function importPending(store: LocalStore, clock: Clock, fileOrExport: string | ExportedPending): ImportResult {
  const exported = typeof fileOrExport === 'string' ? readExport(fileOrExport) : fileOrExport;
  const owner = exported.submoduleId ?? '';
  const result: ImportResult = { writes: 0, conflicts: 0, rejected: 0, ephemeral: 0 };
  store.transaction(() => {
    const { entities } = store;
    for (const { idempotencyKey, write, deps } of exported.writes) {
      store.outbox.enqueue(write, { idempotencyKey, deps });
      result.writes++;
      if (write.op !== 'create' || entities.get(write.kind, write.id)) continue;
      const at = isoNow(clock);
      if (write.kind === 'session') entities.put('session', localSession(write.id, owner, write.input, summaryOf({}), at), 'pending');
      else if (write.kind === 'pattern') entities.put('pattern', localPattern(write.id, owner, write.input, at), 'pending');
      else entities.put('checkpoint', localCheckpoint(write.id, owner, write.input, at), 'pending');
    }
    for (const record of exported.conflicts) {
      if (store.conflicts.add({ ...record, detectedAt: timeOf(record.detectedAt, clock) })) result.conflicts++;
    }
    for (const record of exported.rejected) {
      if (store.rejected.add({ ...record, rejectedAt: timeOf(record.rejectedAt, clock) })) result.rejected++;
    }
    for (const { kind, entity } of exported.ephemeral) {
      if (entities.get(kind, entity.id)) continue;
      entities.put(kind, entity, 'local');
      result.ephemeral++;
    }
  });
  return result;
}
