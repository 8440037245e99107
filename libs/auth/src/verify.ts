import { createRemoteJWKSet, errors, importSPKI, jwtVerify, type JWTVerifyGetKey, type CryptoKey } from 'jose';
import type { Config } from '@memory-context/config';
import { MemctxError } from '@memory-context/protocol';
import { isSubmoduleId, parseScopes, type Principal } from './principal.js';
import { resolveHmacSecret } from './secret.js';
import { VerifiedTokens } from './verified-tokens.js';

export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
  /** Reads `Authorization: Bearer <jwt>`; throws UNAUTHENTICATED when absent or bad. */
  verifyHeader(header: string | undefined): Promise<Principal>;
}

type VerifierConfig = Pick<Config, 'jwtSecret' | 'jwtPublicKey' | 'jwksUrl' | 'jwtAlgorithms' | 'jwtIssuer' | 'jwtAudience' | 'dataDir'>;

/** How many verified tokens each verifier remembers (one per active agent is plenty). */
const VERIFIED_TOKENS = 1_000;

/**
 * One verifier per process. The algorithm list is fixed by the key kind:
 * HS256 only for a shared secret, the configured asymmetric list for a public
 * key or JWKS, so `alg: none` and HS/RS confusion can never verify.
 *
 * A verified token's principal is reused until the token's `exp`. Every check
 * here depends only on the token and this configuration, never on the
 * request, so the same string always gets the same answer until it expires.
 * With JWKS, a key removed from the set stops its tokens only at their `exp`.
 */
export async function createVerifier(config: VerifierConfig): Promise<TokenVerifier> {
  let key: CryptoKey | JWTVerifyGetKey;
  let algorithms: string[];
  if (config.jwksUrl !== undefined) {
    key = createRemoteJWKSet(new URL(config.jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 600_000 });
    algorithms = [...config.jwtAlgorithms];
  } else if (config.jwtPublicKey !== undefined) {
    const alg = config.jwtAlgorithms[0] ?? 'RS256';
    key = await importSPKI(config.jwtPublicKey, alg);
    algorithms = [alg];
  } else {
    key = await importHmacKey(resolveHmacSecret(config));
    algorithms = ['HS256'];
  }
  const verified = new VerifiedTokens(VERIFIED_TOKENS);

  async function verify(token: string): Promise<Principal> {
    const known = verified.get(token);
    if (known) return known;
    const principal = await verifySignedToken(token);
    verified.set(token, principal);
    return principal;
  }

  async function verifySignedToken(token: string): Promise<Principal> {
    try {
      // Typed for jose's key overload; it takes the JWKS getter at run time too.
      const { payload } = await jwtVerify(token, key as CryptoKey, {
        algorithms,
        issuer: config.jwtIssuer,
        audience: config.jwtAudience,
        requiredClaims: ['sub', 'exp', 'iss', 'aud'],
        clockTolerance: 5,
      });
      const submoduleId = payload.sub ?? '';
      if (!isSubmoduleId(submoduleId)) throw new MemctxError('UNAUTHENTICATED', 'Token subject is not a valid submodule id.');
      const scopes = parseScopes(payload.scope);
      if (scopes.size === 0) throw new MemctxError('UNAUTHENTICATED', 'Token carries no memory-context scope.');
      return {
        submoduleId,
        scopes,
        admin: scopes.has('memory:admin'),
        tokenId: payload.jti,
        expiresAt: new Date((payload.exp ?? 0) * 1000),
      };
    } catch (error) {
      throw toAuthError(error);
    }
  }

  return {
    verify,
    async verifyHeader(header) {
      if (header === undefined || header === '') throw new MemctxError('UNAUTHENTICATED', 'Missing Authorization header: send "Authorization: Bearer <token>".');
      const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
      if (!match?.[1]) throw new MemctxError('UNAUTHENTICATED', 'Malformed Authorization header: expected "Bearer <token>".');
      return verify(match[1]);
    },
  };
}

/**
 * Given raw bytes, jose imports a WebCrypto key on every verification (a
 * `KeyObject` secret too: it exports it back to bytes). Imported once here.
 */
async function importHmacKey(secret: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
}

function toAuthError(error: unknown): MemctxError {
  if (error instanceof MemctxError) return error;
  if (error instanceof errors.JWTExpired) return new MemctxError('UNAUTHENTICATED', 'Token has expired.', { reason: 'expired' });
  if (error instanceof errors.JWTClaimValidationFailed) {
    return new MemctxError('UNAUTHENTICATED', `Token claim "${error.claim}" is invalid: ${error.reason}.`, { reason: 'claim', claim: error.claim });
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return new MemctxError('UNAUTHENTICATED', 'Token algorithm is not allowed.', { reason: 'algorithm' });
  if (error instanceof errors.JWSSignatureVerificationFailed) return new MemctxError('UNAUTHENTICATED', 'Token signature is invalid.', { reason: 'signature' });
  if (error instanceof errors.JWKSNoMatchingKey) return new MemctxError('UNAUTHENTICATED', 'No key of the JWKS matches the token.', { reason: 'key' });
  if (error instanceof errors.JOSEError) return new MemctxError('UNAUTHENTICATED', 'Token is malformed or invalid.', { reason: error.code });
  return new MemctxError('UNAUTHENTICATED', 'Token could not be verified.', undefined, { cause: error });
}
