/** What the SDK reads from its token without verifying it (the gateway verifies): who it writes as, and until when. */
export interface TokenClaims {
  submoduleId: string | undefined;
  scopes: string[];
  expiresAt: Date | undefined;
}

export function readTokenClaims(token: string | undefined): TokenClaims {
  const empty: TokenClaims = { submoduleId: undefined, scopes: [], expiresAt: undefined };
  const payload = token?.split('.')[1];
  if (!payload) return empty;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: unknown; scope?: unknown; exp?: unknown };
    return {
      submoduleId: typeof claims.sub === 'string' ? claims.sub : undefined,
      scopes: typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [],
      expiresAt: typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : undefined,
    };
  } catch {
    return empty;
  }
}
