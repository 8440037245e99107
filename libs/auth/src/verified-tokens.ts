import { LRUCache } from 'lru-cache';
import type { Principal } from './principal.js';

/**
 * Principals of recently verified tokens, keyed by the exact token string.
 * A request through the gateway is verified there and again at the subgraph,
 * and an agent sends the same token on every call; a hit skips the signature
 * check. An entry never outlives the token's `exp`: it is compared on every
 * read with the wall clock, the clock jose checks `exp` against.
 */
export class VerifiedTokens {
  private readonly principals: LRUCache<string, Principal>;

  constructor(maxEntries: number) {
    this.principals = new LRUCache({ max: maxEntries });
  }

  get(token: string): Principal | undefined {
    const principal = this.principals.get(token);
    if (principal === undefined) return undefined;
    if (principal.expiresAt.getTime() > Date.now()) return principal;
    this.principals.delete(token);
    return undefined;
  }

  /** Keeps a principal that jose has just accepted, unless it is already past `exp` (within jose's clock tolerance). */
  set(token: string, principal: Principal): void {
    if (principal.expiresAt.getTime() > Date.now()) this.principals.set(token, principal);
  }
}
