import { randomUUID } from 'node:crypto';
import { SignJWT, importPKCS8, type CryptoKey, type KeyObject } from 'jose';
import type { Scope } from '@memory-context/protocol';
import { isSubmoduleId } from './principal.js';

export interface IssueOptions {
  submoduleId: string;
  scopes: readonly Scope[];
  issuer: string;
  audience: string;
  /** Lifetime in seconds. */
  ttlSeconds: number;
}

export type SigningKey =
  | { alg: 'HS256'; secret: Uint8Array }
  | { alg: 'RS256' | 'ES256' | 'EdDSA'; privateKey: CryptoKey | KeyObject | Uint8Array };

export async function issueToken(options: IssueOptions, key: SigningKey): Promise<string> {
  if (!isSubmoduleId(options.submoduleId)) {
    throw new Error(`"${options.submoduleId}" is not a submodule id: use lowercase letters, digits, '.', '_' or '-' (at most 63).`);
  }
  const jwt = new SignJWT({ scope: options.scopes.join(' ') })
    .setProtectedHeader({ alg: key.alg, typ: 'JWT' })
    .setSubject(options.submoduleId)
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + options.ttlSeconds);
  return jwt.sign(key.alg === 'HS256' ? key.secret : key.privateKey);
}

export async function importPrivateKeyPem(pem: string, alg: 'RS256' | 'ES256' | 'EdDSA'): Promise<CryptoKey> {
  return importPKCS8(pem, alg);
}
