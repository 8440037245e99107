import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { MemoryClient, Session } from '../index.js';
import type { MemoryServerContext } from './context.js';
import { checkpointText, patternText, sessionText } from './memory-text.js';
import { latestCheckpoint, ownSubmodule, recentSessions, topPatterns } from './resources.js';
import { CHARS_PER_TOKEN, TokenBudget } from './token-budget.js';

export const DEFAULT_BUDGET = 2000;

/** Sessions related to the topic (search), else this submodule's most recent. */
async function relatedSessions(client: MemoryClient, topic: string | undefined): Promise<{ sessions: Session[]; stale: boolean }> {
  if (topic) {
    const result = await client.search(topic, { kinds: ['session'], limit: 8 });
    return { sessions: result.hits.map((h) => h.entity as Session), stale: result.stale };
  }
  const page = await recentSessions(client, 8);
  return { sessions: page.nodes, stale: page.stale };
}

/**
 * The "load project memory" block: the latest checkpoint, the most-used patterns, then related sessions,
 * in that order of priority, within `budget` tokens (estimated).
 */
export async function loadProjectMemory(client: MemoryClient, options: { topic?: string | undefined; budget: number }): Promise<string> {
  const [checkpoint, patterns, related] = await Promise.all([latestCheckpoint(client), topPatterns(client, 8), relatedSessions(client, options.topic)]);
  const submodule = ownSubmodule(client)?.[0];
  const stale = checkpoint.stale || patterns.stale || related.stale;
  const budget = new TokenBudget(options.budget);
  budget.add(`# Project memory${submodule ? ` of ${submodule}` : ''}\n`);
  if (stale) budget.add('_(Partly from the local cache: the gateway could not be reached.)_\n');
  if (checkpoint.checkpoint) {
    // The checkpoint comes first: its content is cut to what the budget leaves after the headings.
    const room = Math.max(200, (budget.remaining - 100) * CHARS_PER_TOKEN - 400);
    budget.add(`\n## Latest checkpoint\n\n${checkpointText(checkpoint.checkpoint, room)}\n`) ||
      budget.add(`\n## Latest checkpoint\n\n${checkpointText({ ...checkpoint.checkpoint, content: null }, 0)}\n`);
  }
  if (patterns.nodes.length && budget.add('\n## Most-used patterns\n\n')) {
    for (const p of patterns.nodes) budget.add(`${patternText(p)}\n`);
  }
  const heading = options.topic ? `\n## Sessions related to "${options.topic}"\n\n` : '\n## Recent sessions\n\n';
  if (related.sessions.length && budget.add(heading)) {
    for (const s of related.sessions) budget.add(`${sessionText(s)}\n`);
  }
  budget.add('\nOpen any item in full with the `get` tool (by its id); search for more with `recall`.\n');
  return budget.text();
}

export function registerLoadMemoryPrompt(server: McpServer, ctx: MemoryServerContext): void {
  server.registerPrompt(
    'load-project-memory',
    {
      title: 'Load project memory',
      description:
        'A short context block to start work with: the latest checkpoint of this submodule, the most-used patterns, and recent sessions (or those related to `topic`), within a token budget.',
      argsSchema: {
        topic: z.string().trim().min(1).max(500).optional().describe('What you are about to work on: sessions related to it are included instead of the most recent ones.'),
        budget: z
          .string()
          .regex(/^\d+$/, 'a whole number of tokens')
          .refine((v) => Number(v) >= 100 && Number(v) <= 100_000, 'between 100 and 100000 tokens')
          .optional()
          .describe(`Most tokens the block may take (estimated at ${CHARS_PER_TOKEN} characters a token; default ${DEFAULT_BUDGET}).`),
      },
    },
    async (args) => {
      const text = await loadProjectMemory(ctx.client, { topic: args.topic, budget: args.budget ? Number(args.budget) : DEFAULT_BUDGET });
      return { description: 'Project memory', messages: [{ role: 'user', content: { type: 'text', text } }] };
    },
  );
}
