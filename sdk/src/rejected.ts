import type { ClientContext } from './client-context.js';
import { SdkError } from './errors.js';

export type { RejectedWrite } from './set-aside.js';

/**
 * Queues a rejected write again as it was (after the cause was fixed: a token
 * with more scopes, a smaller payload, a server bug behind INTERNAL), with its
 * idempotency key: had an earlier attempt committed after all, the resend is a replay.
 */
export function retryRejected(core: ClientContext, id: string): void {
  const { store } = core;
  const record = store.rejected.get(id);
  if (!record) throw new SdkError('NOT_FOUND', `No rejected write ${id}.`);
  store.transaction(() => {
    store.rejected.remove(id);
    store.outbox.enqueue(record.write, { idempotencyKey: record.idempotencyKey });
  });
  core.afterWrite();
}
