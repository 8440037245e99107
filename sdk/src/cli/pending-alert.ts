import type { MemoryClient } from '../client.js';
import type { Output } from './output.js';

export interface PendingAlert {
  pending: number;
  threshold: number;
}

function message({ pending, threshold }: PendingAlert): string {
  return (
    `${pending} writes are queued, at or above the alert threshold of ${threshold} (MEMCTX_PENDING_ALERT): the gateway has not taken them yet. ` +
    'They are safe in the cache; memctx outbox list shows them, memctx sync sends them once the gateway answers.'
  );
}

/** The alert for the queue as it is now, or null below the threshold. */
export function currentPendingAlert(client: MemoryClient): PendingAlert | null {
  const pending = client.status().pending;
  const threshold = client.options.pendingAlertThreshold;
  return pending >= threshold ? { pending, threshold } : null;
}

export function warnPendingAlert(out: Output, alert: PendingAlert): void {
  out.warn('PENDING_ALERT', message(alert));
}

/** Forwards the client's 'pending-alert' event (once per crossing of the threshold) to stderr. */
export function forwardPendingAlerts(out: Output, client: MemoryClient): void {
  client.on('pending-alert', (alert) => warnPendingAlert(out, alert));
}
