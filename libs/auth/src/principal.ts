import { MemctxError, SCOPES, type Scope } from '@memory-context/protocol';

/** Who is calling: a submodule with scopes, from a verified token. */
export interface Principal {
  readonly submoduleId: string;
  readonly scopes: ReadonlySet<Scope>;
  readonly admin: boolean;
  readonly tokenId: string | undefined;
  readonly expiresAt: Date;
}

/** Submodule ids are slugs such as `cloud-backend`. */
export const SUBMODULE_ID = /^[a-z0-9][a-z0-9._-]{0,62}$/;

export function isSubmoduleId(value: string): boolean {
  return SUBMODULE_ID.test(value);
}

export function parseScopes(scope: unknown): Set<Scope> {
  if (typeof scope !== 'string') return new Set();
  const known = new Set<string>(SCOPES);
  return new Set(scope.split(/\s+/).filter((s): s is Scope => known.has(s)));
}

export function hasScope(principal: Principal, scope: Scope): boolean {
  return principal.admin || principal.scopes.has(scope);
}

/** Throws FORBIDDEN unless the principal holds the scope (admin holds all). */
export function requireScope(principal: Principal, scope: Scope): void {
  if (!hasScope(principal, scope)) {
    throw new MemctxError('FORBIDDEN', `This operation needs the ${scope} scope; the token has: ${[...principal.scopes].join(' ') || 'none'}.`);
  }
}
