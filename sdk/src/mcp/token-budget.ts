/**
 * A model-independent estimate of tokens: every client counts with its own
 * tokenizer, so the prompt keeps to ~4 characters a token, the usual rule for
 * English text and code, and stays under the budget it was given.
 */
export const CHARS_PER_TOKEN = 4;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** Adds blocks in order while they fit; a block that does not fit is skipped and smaller ones after it may still fit. */
export class TokenBudget {
  private readonly parts: string[] = [];
  private used = 0;

  constructor(readonly limit: number) {}

  get remaining(): number {
    return this.limit - this.used;
  }

  add(text: string): boolean {
    const cost = estimateTokens(text);
    if (cost > this.remaining) return false;
    this.parts.push(text);
    this.used += cost;
    return true;
  }

  text(): string {
    return this.parts.join('');
  }
}
