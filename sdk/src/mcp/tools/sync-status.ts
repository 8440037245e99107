import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { MemoryServerContext } from '../context.js';
import { guarded } from '../tool-results.js';

export function registerSyncStatus(server: McpServer, ctx: MemoryServerContext): void {
  server.registerTool(
    'sync_status',
    {
      title: 'Sync status',
      description:
        'Whether the memory gateway answers, how many writes wait in the local outbox, and any conflicts or rejected writes. With `sync: true` it first sends ' +
        'the queued writes and pulls what changed elsewhere. Check it when a result said "queued" or came from the cache.',
      inputSchema: { sync: z.boolean().optional().describe('true: send queued writes and pull changes now.') },
      outputSchema: {
        online: z.boolean().nullable().describe('whether the last request reached the gateway (null: none made yet)'),
        reason: z.string().nullable().describe('why the gateway cannot be asked'),
        pending: z.number().int().describe('writes queued for the gateway'),
        conflicts: z.array(z.object({ id: z.string(), kind: z.string(), entityId: z.string(), message: z.string() })),
        rejected: z.array(z.object({ id: z.string(), kind: z.string(), entityId: z.string(), code: z.string(), reason: z.string() })),
        lastPullAt: z.string().nullable(),
        lastPushAt: z.string().nullable(),
        submoduleId: z.string().nullable(),
        synced: z.object({ sent: z.number().int(), pulledPages: z.number().int() }).nullable().describe('what `sync: true` did'),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    guarded(ctx.log, 'sync_status', async (args) => {
      let synced: { sent: number; pulledPages: number } | null = null;
      let reason: string | null = null;
      if (args.sync) {
        const result = await ctx.client.sync();
        synced = { sent: result.pushed.sent, pulledPages: result.pulled.pages };
        reason = result.reason;
      } else if (ctx.client.options.url && ctx.client.options.token) {
        // One cheap request tells whether the gateway answers (as `memctx status` does).
        await ctx.client.sessions.list(null, { first: 1, fetchPolicy: 'network-only' }).catch(() => undefined);
      }
      const status = ctx.client.status();
      return {
        online: status.online,
        reason: reason ?? status.offlineReason,
        pending: status.pending,
        conflicts: ctx.client.conflicts.list().map((c) => ({ id: c.id, kind: c.kind, entityId: c.entityId, message: c.message })),
        rejected: ctx.client.rejected.list().map((r) => ({ id: r.id, kind: r.kind, entityId: r.entityId, code: r.code, reason: r.reason })),
        lastPullAt: status.lastPullAt,
        lastPushAt: status.lastPushAt,
        submoduleId: status.submoduleId,
        synced,
      };
    }),
  );
}
