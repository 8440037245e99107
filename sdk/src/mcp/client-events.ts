import type { MemoryClient } from '../index.js';

export type LogLevel = 'info' | 'warning' | 'error';

/**
 * What the client does in the background (sends queued writes, meets conflicts, loses the gateway), told to the
 * operator on stderr and to connected MCP clients as log notifications. Returns the function that stops it.
 */
export function watchClient(client: MemoryClient, emit: (level: LogLevel, message: string) => void): () => void {
  const listeners = {
    online: (online: boolean) => emit(online ? 'info' : 'warning', online ? 'the gateway answers again' : 'the gateway cannot be reached: reads come from the cache, writes are queued'),
    flushed: (r: { sent: number; remaining: number }) => emit('info', `sent ${r.sent} queued write(s), ${r.remaining} left`),
    conflict: (c: { kind: string; entityId: string; message: string }) => emit('warning', `conflict on ${c.kind} ${c.entityId}: ${c.message} (kept the server copy)`),
    rejected: (r: { kind: string; entityId: string; code: string; reason: string }) => emit('error', `the gateway rejected a write of ${r.kind} ${r.entityId}: ${r.code}: ${r.reason}`),
    'pending-alert': (a: { pending: number; threshold: number }) => emit('warning', `${a.pending} writes are queued (alert at ${a.threshold})`),
  };
  client.on('online', listeners.online);
  client.on('flushed', listeners.flushed);
  client.on('conflict', listeners.conflict);
  client.on('rejected', listeners.rejected);
  client.on('pending-alert', listeners['pending-alert']);
  return () => {
    client.off('online', listeners.online);
    client.off('flushed', listeners.flushed);
    client.off('conflict', listeners.conflict);
    client.off('rejected', listeners.rejected);
    client.off('pending-alert', listeners['pending-alert']);
  };
}
