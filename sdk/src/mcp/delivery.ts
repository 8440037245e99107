import type { EntityKind, MemoryClient } from '../index.js';
import type { Delivery } from './schemas.js';

/**
 * After a write: send the outbox now, then say what became of this entity's
 * writes. Offline the flush resolves at once with `online: false` (it never
 * throws for the network) and the write stays queued, to be sent when the
 * gateway answers again, with its idempotency key: once.
 */
export async function deliver(client: MemoryClient, write: { kind: EntityKind; id: string; since: Date; localOnly?: boolean }): Promise<Delivery> {
  const { kind, id, localOnly = false } = write;
  // Only what this write met counts, not an older refusal of the same entity.
  const since = write.since.toISOString();
  if (localOnly) return { state: 'local-only', online: client.status().online ?? false, reason: 'EPHEMERAL: kept in the local cache only, never sent.' };
  const flushed = await client.flush();
  const mine = (write: { kind: EntityKind; id: string }) => write.kind === kind && write.id === id;
  const rejected = client.rejected.list().find((r) => r.kind === kind && r.entityId === id && r.rejectedAt >= since);
  if (rejected) return { state: 'rejected', online: flushed.online, reason: `${rejected.code}: ${rejected.reason}` };
  const conflict = client.conflicts.list().find((c) => c.kind === kind && c.entityId === id && c.detectedAt >= since);
  if (conflict) return { state: 'conflict', online: flushed.online, reason: conflict.message };
  if (client.outbox.export().writes.some((w) => mine(w.write))) {
    return { state: 'queued', online: flushed.online, reason: flushed.reason ?? 'waiting for an earlier write to be sent' };
  }
  return { state: 'sent', online: flushed.online, reason: null };
}
