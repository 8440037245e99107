import type { LexemeFrequencies } from './lexeme-stats.js';

/** About how many documents the lexical side ranks at most, whatever the index's size. */
export const LEXICAL_CANDIDATE_BUDGET = 1_500;

/** Candidates: documents matching any of these groups, each group's lexemes all together (OR of ANDs). */
export type CandidatePlan = string[][];

/**
 * Chooses the lexemes whose documents the lexical side ranks. Ranking costs
 * time for every matching document, and a question's common words ("fix",
 * "error", "show") match a large share of the index while telling little
 * about it. So candidates come from the rarer words: every word rarer than
 * the statistics list (it may match nothing at all), then listed words from
 * the rarest up while the estimated documents stay within `budget` — always
 * at least one listed word, so a query never loses all its matches to words
 * the index lacks. When even the rarest listed word is over the budget, it
 * selects together with the next rarest ones (AND), as few as bring the
 * estimate within the budget (words taken as independent). Every word of the query still
 * counts in the score of each candidate. Without statistics (a table never
 * analysed) or on a small index, every word selects.
 */
export function planCandidates(lexemes: readonly string[], stats: LexemeFrequencies | undefined, budget = LEXICAL_CANDIDATE_BUDGET): CandidatePlan {
  const everyWord = lexemes.map((l) => [l]);
  if (!stats || stats.documents <= budget || lexemes.length <= 1) return everyWord;
  const rare = lexemes.filter((l) => !stats.share.has(l)).map((l) => [l]);
  const listed = lexemes.filter((l) => stats.share.has(l)).sort((a, b) => stats.share.get(a)! - stats.share.get(b)! || a.localeCompare(b));
  if (listed.length === 0) return rare;
  const documents = (l: string) => stats.share.get(l)! * stats.documents;
  if (documents(listed[0]!) > budget) {
    const together = [listed[0]!];
    let estimate = documents(listed[0]!);
    for (const lexeme of listed.slice(1)) {
      if (estimate <= budget) break;
      together.push(lexeme);
      estimate *= stats.share.get(lexeme)!;
    }
    return [...rare, together];
  }
  const plan = [...rare];
  let estimate = rare.length * stats.floor * stats.documents;
  for (const [i, lexeme] of listed.entries()) {
    if (i > 0 && estimate + documents(lexeme) > budget) break;
    plan.push([lexeme]);
    estimate += documents(lexeme);
  }
  return plan;
}

/** The plan as tsquery text: `'a' | 'b' | ('c' & 'd')`. */
export function candidateQueryText(plan: CandidatePlan): string {
  return plan.map((group) => (group.length === 1 ? quote(group[0]!) : `(${group.map(quote).join(' & ')})`)).join(' | ');
}

/** A lexeme quoted for tsquery input, so it is taken as it is (no parsing, no stemming). */
function quote(lexeme: string): string {
  return `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}
