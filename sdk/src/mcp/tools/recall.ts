import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { SearchHit } from '../../index.js';
import type { MemoryServerContext } from '../context.js';
import { entityKind, privacyLevel, readSource, tags } from '../schemas.js';
import { guarded, staleNote } from '../tool-results.js';

const MODES = ['HYBRID', 'LEXICAL', 'SEMANTIC'] as const;

const input = {
  query: z.string().trim().min(1).max(2000).describe('What you are looking for, in plain words: the problem, error message, component or decision.'),
  kinds: z.array(entityKind).min(1).optional().describe('Only these kinds: session (work records), pattern (lessons learned), checkpoint (progress snapshots). Default: all.'),
  submodules: z.array(z.string().trim().min(1)).min(1).optional().describe('Only memory of these submodules (repositories). Default: every one you may read.'),
  tags: tags.optional().describe('Only entities carrying all of these tags.'),
  privacy: z.array(privacyLevel).min(1).optional().describe('Only these privacy levels.'),
  mode: z.enum(MODES).optional().describe('HYBRID (default): words and meaning; LEXICAL: the words only; SEMANTIC: meaning only, finds related memory sharing no words with the query.'),
  limit: z.number().int().min(1).max(50).optional().describe('Most hits (default 8).'),
};

const hit = z.object({
  kind: entityKind,
  id: z.string(),
  title: z.string(),
  submoduleId: z.string(),
  score: z.number(),
  snippet: z.string().describe('the best matching passage, matched words between **'),
  why: z.string().describe('why this hit ranks here'),
  matched: z.array(z.string()).describe('the words of the query found in the snippet'),
});

const output = {
  hits: z.array(hit),
  ...readSource,
  ranking: z.enum([...MODES, 'CACHE_FULL_TEXT']).describe('how the hits were ranked'),
  note: z.string().nullable(),
};

function titleOf(hit: SearchHit): string {
  return 'name' in hit.entity ? hit.entity.name : hit.entity.title;
}

/** The highlighted words of a snippet (the gateway and the cache both mark them with `**`). */
function matchedWords(snippet: string): string[] {
  const marked = [...snippet.matchAll(/\*\*([^*]+)\*\*/g)].map((m) => m[1]!.toLowerCase());
  // Masked values (`127.0.***.***`) hold asterisks too: only marks around a word count.
  return [...new Set(marked.filter((w) => /^[\p{L}\p{N}_][\p{L}\p{N}_\s'-]*$/u.test(w)))];
}

type Ranking = (typeof MODES)[number] | 'CACHE_FULL_TEXT';

const RANKING_WHY: Record<Ranking, string> = {
  HYBRID: 'full-text and meaning rankings fused (reciprocal rank fusion)',
  LEXICAL: 'full-text rank of the query words',
  SEMANTIC: 'closeness in meaning to the query (embedding similarity)',
  CACHE_FULL_TEXT: 'full-text rank (BM25) over the local cache: every query word matched as a prefix',
};

export function registerRecall(server: McpServer, ctx: MemoryServerContext): void {
  server.registerTool(
    'recall',
    {
      title: 'Recall',
      description:
        'Search the memory of every submodule you may read: past work sessions, lessons learned (patterns) and checkpoints. Call it before starting work ' +
        'on a task, with the task in plain words, to find what was already tried, decided or fixed. Each hit says why it matched; open one in full with `get`. ' +
        'When the gateway cannot be reached, it searches the local cache instead and says so (`source: "cache"`, `stale: true`).',
      inputSchema: input,
      outputSchema: output,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded(ctx.log, 'recall', async (args) => {
      const mode = args.mode ?? 'HYBRID';
      const result = await ctx.client.search(args.query, {
        limit: args.limit ?? 8,
        mode,
        ...(args.kinds ? { kinds: args.kinds } : {}),
        ...(args.submodules ? { submodules: args.submodules } : {}),
        ...(args.tags ? { tags: args.tags } : {}),
        ...(args.privacy ? { privacyLevels: args.privacy } : {}),
      });
      const ranking: Ranking = result.source === 'cache' ? 'CACHE_FULL_TEXT' : mode;
      const hits = result.hits.map((h, i) => {
        const matched = matchedWords(h.snippet);
        const words = matched.length ? `; matched ${matched.map((w) => `"${w}"`).join(', ')}` : '';
        return {
          kind: h.kind,
          id: h.id,
          title: titleOf(h),
          submoduleId: h.entity.submoduleId,
          score: h.score,
          snippet: h.snippet,
          why: `#${i + 1} by ${RANKING_WHY[ranking]}${words}`,
          matched,
        };
      });
      const empty = hits.length === 0 ? 'No memory matched. Try other words, or mode SEMANTIC.' : null;
      return { hits, source: result.source, stale: result.stale, ranking, note: staleNote(result, ctx.client) ?? empty };
    }),
  );
}
