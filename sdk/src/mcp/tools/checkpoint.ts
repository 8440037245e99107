import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { SdkError } from '../../index.js';
import type { MemoryServerContext } from '../context.js';
import { deliver } from '../delivery.js';
import { delivery, id, privacyLevel } from '../schemas.js';
import { guarded } from '../tool-results.js';

export function registerCheckpoint(server: McpServer, ctx: MemoryServerContext): void {
  server.registerTool(
    'checkpoint',
    {
      title: 'Checkpoint',
      description:
        'Take an immutable snapshot of progress: where the work stands, what is done and what is next. Either write it (`title`, `summary`, `content` in markdown) ' +
        'or ask for `auto: true`, which builds it from this submodule\'s sessions since the last checkpoint (the server writes the summary, also when the checkpoint was queued offline). ' +
        'Take one at a milestone or before handing work over.',
      inputSchema: {
        auto: z.boolean().optional().describe('true: build it from the sessions since the last checkpoint (title optional).'),
        title: z.string().trim().min(1).max(300).optional().describe('Required unless `auto` is true.'),
        summary: z.string().max(4000).optional().describe('A few sentences: the state of the work.'),
        content: z.string().max(200_000).optional().describe('The details, in markdown.'),
        gitRef: z.string().trim().min(1).max(200).optional().describe('The commit or branch it describes.'),
        sessionIds: z.array(id).max(500).optional().describe('Sessions to link to it.'),
        privacy: privacyLevel.optional(),
      },
      outputSchema: {
        checkpoint: z.object({ id: z.string(), title: z.string(), takenAt: z.string(), gitRef: z.string().nullable(), summary: z.string().nullable(), privacyLevel: z.string() }),
        auto: z.boolean(),
        delivery,
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    guarded(ctx.log, 'checkpoint', async (args) => {
      const since = new Date();
      const auto = args.auto ?? false;
      if (!auto && !args.title) throw new SdkError('BAD_USER_INPUT', 'A checkpoint needs a `title`, or `auto: true` to build it from the sessions since the last one.');
      const privacy = args.privacy ?? 'TEAM';
      if (auto && privacy === 'EPHEMERAL') throw new SdkError('BAD_USER_INPUT', 'An automatic checkpoint is built by the server, and EPHEMERAL never leaves this machine: give it a title and content instead.');
      const created = await ctx.client.checkpoints.create({
        privacyLevel: privacy,
        ...(auto ? { auto: true } : {}),
        ...(args.title !== undefined ? { title: args.title } : {}),
        ...(args.summary !== undefined ? { summary: args.summary } : {}),
        ...(args.content !== undefined ? { content: args.content } : {}),
        ...(args.gitRef !== undefined ? { gitRef: args.gitRef } : {}),
        ...(args.sessionIds ? { sessionIds: args.sessionIds } : {}),
      });
      const sent = await deliver(ctx.client, { kind: 'checkpoint', id: created.id, since, localOnly: privacy === 'EPHEMERAL' });
      // Once sent, the cache holds the server's copy (for `auto`, with the title and summary the server wrote).
      const current = sent.state === 'sent' ? ((await ctx.client.checkpoints.get(created.id, { fetchPolicy: 'cache-only' })).data ?? created) : created;
      const { id: checkpointId, title, takenAt, gitRef, summary, privacyLevel: level } = current;
      return { checkpoint: { id: checkpointId, title, takenAt, gitRef, summary, privacyLevel: level }, auto, delivery: sent };
    }),
  );
}
