import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { SdkError, type MemoryClient, type Pattern } from '../../index.js';
import type { MemoryServerContext } from '../context.js';
import { deliver } from '../delivery.js';
import { delivery, id, patternKind, privacyLevel, tags } from '../schemas.js';
import { guarded } from '../tool-results.js';

const patternSummary = z.object({
  id: z.string(),
  kind: patternKind,
  name: z.string(),
  occurrences: z.number().int().describe('how many times this lesson was recorded'),
  usageCount: z.number().int().describe('how many times it was used'),
  privacyLevel: z.string(),
});

const summary = (p: Pattern) => ({ id: p.id, kind: p.kind, name: p.name, occurrences: p.occurrences, usageCount: p.usageCount, privacyLevel: p.privacyLevel });

/** Case, spacing and surrounding punctuation do not make another lesson (as the server's fingerprint has it). */
const normalized = (text: string) =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, '');

/**
 * The server merged the lesson into a pattern it already knew, and the cache followed it to that pattern's id:
 * find it there, by kind and name.
 */
async function mergedInto(client: MemoryClient, recorded: Pattern): Promise<Pattern | undefined> {
  const cached = await client.patterns.list({ kinds: [recorded.kind] }, { fetchPolicy: 'cache-only', orderBy: 'RECENT', first: 200 });
  return cached.nodes.find((p) => normalized(p.name) === normalized(recorded.name));
}

export function registerPatternTools(server: McpServer, ctx: MemoryServerContext): void {
  server.registerTool(
    'record_pattern',
    {
      title: 'Record a pattern',
      description:
        'Record a lesson learned that other work can reuse: a fix for an error, a solution, a convention of the code base, a workflow, or an anti-pattern. ' +
        'Name it so the next agent recognises it; put the details (steps, code, commands) in `body`. Recording a lesson that is already known (same kind, name ' +
        'and body) merges into it and counts one more occurrence (`outcome: "merged"`). Works offline (queued).',
      inputSchema: {
        kind: patternKind,
        name: z.string().trim().min(1).max(300).describe('The lesson in one line, e.g. "Retry flaky npm installs with --prefer-offline".'),
        description: z.string().max(4000).optional().describe('When it applies and why it works.'),
        body: z.unknown().optional().describe('The details: text, or a JSON object (steps, code, commands).'),
        tags: tags.optional(),
        privacy: privacyLevel.optional(),
        sourceSessionIds: z.array(id).max(100).optional().describe('Sessions the lesson was learned from.'),
      },
      outputSchema: {
        pattern: patternSummary,
        outcome: z.enum(['created', 'merged', 'queued', 'local-only', 'refused']).describe('queued: the server decides on merging once it is sent; refused: see delivery.reason'),
        delivery,
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    guarded(ctx.log, 'record_pattern', async (args) => {
      const since = new Date();
      const recorded = await ctx.client.patterns.record({
        kind: args.kind,
        name: args.name,
        privacyLevel: args.privacy ?? 'TEAM',
        ...(args.description !== undefined ? { description: args.description } : {}),
        ...(args.body !== undefined ? { body: args.body } : {}),
        ...(args.tags ? { tags: args.tags } : {}),
        ...(args.sourceSessionIds ? { sourceSessionIds: args.sourceSessionIds } : {}),
      });
      const localOnly = recorded.privacyLevel === 'EPHEMERAL';
      const sent = await deliver(ctx.client, { kind: 'pattern', id: recorded.id, since, localOnly });
      if (sent.state !== 'sent') {
        const outcome = sent.state === 'local-only' ? 'local-only' : sent.state === 'queued' ? 'queued' : 'refused';
        return { pattern: summary(recorded), outcome, delivery: sent };
      }
      const same = (await ctx.client.patterns.get(recorded.id, { fetchPolicy: 'cache-only' })).data;
      if (same) return { pattern: summary(same), outcome: same.occurrences > 1 ? 'merged' : 'created', delivery: sent };
      const merged = await mergedInto(ctx.client, recorded);
      return { pattern: summary(merged ?? recorded), outcome: 'merged', delivery: sent };
    }),
  );

  server.registerTool(
    'use_pattern',
    {
      title: 'Use a pattern',
      description:
        'Say that you applied a pattern (found with `recall` or the most-used patterns resource): it raises its usage count, so useful lessons rank first for ' +
        'every agent. Call it once per task in which the pattern helped. Works offline (queued).',
      inputSchema: { id: id.describe('The pattern id.') },
      outputSchema: { pattern: patternSummary.nullable().describe('the cached copy with the count raised (null: not cached here; the count is still sent)'), delivery },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    guarded(ctx.log, 'use_pattern', async (args) => {
      const since = new Date();
      const known = await ctx.client.patterns.get(args.id);
      if (!known.data && !known.stale) throw new SdkError('NOT_FOUND', `No pattern has id ${args.id}, or you may not read it.`);
      const used = await ctx.client.patterns.use(args.id);
      const localOnly = (used ?? known.data)?.privacyLevel === 'EPHEMERAL';
      return { pattern: used ? summary(used) : null, delivery: await deliver(ctx.client, { kind: 'pattern', id: args.id, since, localOnly }) };
    }),
  );
}
