import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { SdkError, type EntityKind, type MemoryClient, type ReadResult } from '../../index.js';
import type { MemoryServerContext } from '../context.js';
import { entityKind, id, readSource } from '../schemas.js';
import { guarded, staleNote } from '../tool-results.js';

const input = {
  id: id.describe('The id of a session, pattern or checkpoint (from `recall`, `remember`, a resource, …).'),
  kind: entityKind.optional().describe('Its kind, if known; otherwise each kind is tried.'),
};

const output = {
  kind: entityKind,
  entity: z.record(z.string(), z.unknown()).describe('the whole entity: a session with its messages, a pattern with its body, a checkpoint with its content'),
  ...readSource,
  syncState: z.enum(['synced', 'pending', 'local', 'conflict']).nullable().describe('pending: a local change waits to be sent; local: EPHEMERAL, on this machine only'),
  note: z.string().nullable(),
};

function read(client: MemoryClient, kind: EntityKind, entityId: string): Promise<ReadResult<object>> {
  if (kind === 'session') return client.sessions.get(entityId);
  if (kind === 'pattern') return client.patterns.get(entityId);
  return client.checkpoints.get(entityId);
}

export function registerGet(server: McpServer, ctx: MemoryServerContext): void {
  server.registerTool(
    'get',
    {
      title: 'Get',
      description:
        'Fetch one session (with its whole conversation), pattern (with its body) or checkpoint (with its content) by id, e.g. a hit from `recall`. ' +
        'Offline it answers from the local cache and says so.',
      inputSchema: input,
      outputSchema: output,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded(ctx.log, 'get', async (args) => {
      let stale = false;
      for (const kind of args.kind ? [args.kind] : (['session', 'pattern', 'checkpoint'] as const)) {
        const result = await read(ctx.client, kind, args.id);
        stale ||= result.stale;
        if (result.data) {
          return { kind, entity: { ...result.data }, source: result.source, stale: result.stale, syncState: result.syncState, note: staleNote(result, ctx.client) };
        }
      }
      const where = args.kind ? `No ${args.kind}` : 'No session, pattern or checkpoint';
      throw new SdkError('NOT_FOUND', `${where} has id ${args.id}${stale ? ' in the local cache, and the gateway could not be reached' : ', or you may not read it'}.`);
    }),
  );
}
