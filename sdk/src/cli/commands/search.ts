import { Option, type Command } from 'commander';
import { ENTITY_KINDS, type EntityKind } from '../../entities.js';
import { CliContext } from '../context.js';
import { positiveInt } from '../option-parsers.js';
import { table } from '../output.js';
import type { SearchHit } from '../../search.js';

/** One line on why a hit ranked: `#1 words: token,refresh (+sso) lexical 0.42 · similarity 0.61 · full text #2 · vectors #1`. */
export function explain(hit: SearchHit): string {
  const e = hit.explanation;
  if (!e) return 'from the cache: BM25 rank';
  const words = e.matchedTerms.length > 0 ? e.matchedTerms.join(',') : 'none';
  const expanded = e.expandedTerms.length > 0 ? ` (+${e.expandedTerms.join(',')})` : '';
  return [
    `#${e.rank} words: ${words}${expanded}`,
    `lexical ${e.lexicalScore.toFixed(2)}`,
    e.similarity === null ? 'similarity -' : `similarity ${e.similarity.toFixed(2)}`,
    e.lexicalRank === null ? 'full text -' : `full text #${e.lexicalRank}`,
    e.semanticRank === null ? 'vectors -' : `vectors #${e.semanticRank}`,
  ].join(' · ');
}

export function registerSearch(program: Command): void {
  program
    .command('search <query>')
    .description('full-text search over sessions, patterns and checkpoints')
    .option('--limit <n>', 'most hits', positiveInt, 20)
    .addOption(new Option('--kind <kind...>', 'only these kinds').choices(ENTITY_KINDS))
    .option('--offline', 'search the cache only (FTS5)')
    .option('--explain', 'say why each hit ranked: words matched, similarity, ranks before combining')
    .action(async (query: string, options: { limit: number; kind?: EntityKind[]; offline?: boolean; explain?: boolean }, command: Command) => {
      const ctx = CliContext.of(command);
      const client = ctx.client();
      try {
        const result = await client.search(query, {
          limit: options.limit,
          ...(options.kind ? { kinds: options.kind } : {}),
          ...(options.offline ? { fetchPolicy: 'cache-only' as const } : {}),
        });
        ctx.out.note(`(${result.source === 'cache' ? `searched the cache${result.stale ? ': the gateway could not be reached' : ''}` : 'searched the gateway'})`);
        const row = (h: SearchHit) => [h.kind, h.id, h.score.toFixed(2), h.snippet.replace(/\s+/g, ' ')];
        ctx.out.result(result, () => table(result.hits.map((h) => (options.explain ? [...row(h), explain(h)] : row(h)))), 'No hits.');
      } finally {
        await client.close();
      }
    });
}
