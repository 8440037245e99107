import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { EntityKind, MemoryClient } from '../../index.js';
import type { MemoryServerContext } from '../context.js';
import { deliver } from '../delivery.js';
import { delivery, entityKind, id } from '../schemas.js';
import { guarded } from '../tool-results.js';

function remove(client: MemoryClient, kind: EntityKind, entityId: string, reason: string): Promise<void> {
  const options = { gdprRequest: true, reason };
  if (kind === 'session') return client.sessions.delete(entityId, options);
  if (kind === 'pattern') return client.patterns.delete(entityId, options);
  return client.checkpoints.delete(entityId, options);
}

export function registerForget(server: McpServer, ctx: MemoryServerContext): void {
  server.registerTool(
    'forget',
    {
      title: 'Forget (GDPR erasure)',
      description:
        'Erase a session, pattern or checkpoint for good, as a GDPR deletion: it leaves the live data and the search index at once, and its archived copy is ' +
        'purged after the retention window. Only for a real erasure request or content that must not be kept (personal data, a leaked secret); ' +
        'ask the user first. The reason is kept in the audit trail. Works offline (queued).',
      inputSchema: {
        kind: entityKind,
        id: id.describe('The id of what to erase.'),
        reason: z.string().trim().min(10).max(1000).describe('Why it is erased (at least 10 characters), e.g. "user request under GDPR art. 17 of 2026-03-01".'),
      },
      outputSchema: { kind: entityKind, id: z.string(), delivery },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    guarded(ctx.log, 'forget', async (args) => {
      const since = new Date();
      const cached = await readLevel(ctx.client, args.kind, args.id);
      await remove(ctx.client, args.kind, args.id, args.reason);
      if (ctx.currentSessionId === args.id) ctx.currentSessionId = undefined;
      return { kind: args.kind, id: args.id, delivery: await deliver(ctx.client, { kind: args.kind, id: args.id, since, localOnly: cached === 'EPHEMERAL' }) };
    }),
  );
}

/** An EPHEMERAL entity is only in the cache: erasing it sends nothing. */
async function readLevel(client: MemoryClient, kind: EntityKind, entityId: string): Promise<string | undefined> {
  const options = { fetchPolicy: 'cache-only' as const };
  const read = kind === 'session' ? client.sessions.get(entityId, options) : kind === 'pattern' ? client.patterns.get(entityId, options) : client.checkpoints.get(entityId, options);
  return (await read).data?.privacyLevel;
}
