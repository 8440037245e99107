import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, exportSPKI, generateKeyPair, UnsecuredJWT } from 'jose';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { loadConfig } from '@memory-context/config';
import { MemctxError } from '@memory-context/protocol';
import { createVerifier, issueToken, requireScope, resolveHmacSecret, SECRET_FILE } from './index.js';

const secret = 'x'.repeat(40);
const config = loadConfig({ MEMCTX_JWT_SECRET: secret });
const key = { alg: 'HS256' as const, secret: new TextEncoder().encode(secret) };
const base = { issuer: 'memory-context', audience: 'memory-context', ttlSeconds: 60 };

async function rejection(promise: Promise<unknown>): Promise<MemctxError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(MemctxError);
    return error as MemctxError;
  }
  throw new Error('expected a rejection');
}

describe('token verification', () => {
  it('accepts a token it issued and reads submodule and scopes', async () => {
    const verifier = await createVerifier(config);
    const token = await issueToken({ ...base, submoduleId: 'cloud-backend', scopes: ['memory:read', 'memory:write'] }, key);
    const principal = await verifier.verifyHeader(`Bearer ${token}`);
    expect(principal.submoduleId).toBe('cloud-backend');
    expect([...principal.scopes].sort()).toEqual(['memory:read', 'memory:write']);
    expect(principal.admin).toBe(false);
    expect(() => requireScope(principal, 'memory:admin')).toThrow(/memory:admin/);
  });

  it('rejects expired tokens', async () => {
    const verifier = await createVerifier(config);
    const token = await new SignJWT({ scope: 'memory:read' })
      .setProtectedHeader({ alg: 'HS256' }).setSubject('a').setIssuer('memory-context').setAudience('memory-context')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60).sign(key.secret);
    const error = await rejection(verifier.verify(token));
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toMatch(/expired/);
  });

  it('rejects alg none, wrong secret, wrong audience and missing headers', async () => {
    const verifier = await createVerifier(config);
    const unsecured = new UnsecuredJWT({ scope: 'memory:admin' }).setSubject('a').setIssuer('memory-context').setAudience('memory-context').setExpirationTime('1h').encode();
    expect((await rejection(verifier.verify(unsecured))).code).toBe('UNAUTHENTICATED');

    const forged = await issueToken({ ...base, submoduleId: 'a', scopes: ['memory:admin'] }, { alg: 'HS256', secret: new TextEncoder().encode('y'.repeat(40)) });
    expect((await rejection(verifier.verify(forged))).message).toMatch(/signature/);

    const otherAudience = await issueToken({ ...base, audience: 'else', submoduleId: 'a', scopes: ['memory:read'] }, key);
    expect((await rejection(verifier.verify(otherAudience))).message).toMatch(/aud/);

    expect((await rejection(verifier.verifyHeader(undefined))).message).toMatch(/Missing/);
    expect((await rejection(verifier.verifyHeader('Basic abc'))).message).toMatch(/Malformed/);
    expect((await rejection(verifier.verify('not.a.jwt'))).code).toBe('UNAUTHENTICATED');
  });

  it('does not accept an HS256 token signed with the public key of an RS256 setup', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
    const pem = await exportSPKI(publicKey);
    const verifier = await createVerifier(loadConfig({ MEMCTX_JWT_PUBLIC_KEY: pem, MEMCTX_JWT_ALGORITHMS: 'RS256' }));
    const good = await issueToken({ ...base, submoduleId: 'a', scopes: ['memory:read'] }, { alg: 'RS256', privateKey });
    expect((await verifier.verify(good)).submoduleId).toBe('a');
    const confused = await issueToken({ ...base, submoduleId: 'a', scopes: ['memory:admin'] }, { alg: 'HS256', secret: new TextEncoder().encode(pem) });
    expect((await rejection(verifier.verify(confused))).code).toBe('UNAUTHENTICATED');
  });

  it('rejects tokens without scopes or with a bad subject', async () => {
    const verifier = await createVerifier(config);
    const noScope = await new SignJWT({ scope: 'other:thing' }).setProtectedHeader({ alg: 'HS256' }).setSubject('a')
      .setIssuer('memory-context').setAudience('memory-context').setExpirationTime('1h').sign(key.secret);
    expect((await rejection(verifier.verify(noScope))).message).toMatch(/scope/);
    const badSubject = await new SignJWT({ scope: 'memory:read' }).setProtectedHeader({ alg: 'HS256' }).setSubject('../etc')
      .setIssuer('memory-context').setAudience('memory-context').setExpirationTime('1h').sign(key.secret);
    expect((await rejection(verifier.verify(badSubject))).message).toMatch(/subject/);
  });
});

describe('verification reuse', () => {
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });
  const readToken = () => issueToken({ ...base, submoduleId: 'a', scopes: ['memory:read'] }, key);

  it('imports the HMAC key once, not on every verification', async () => {
    const tokens = await Promise.all([readToken(), readToken(), readToken()]);
    const importKey = jest.spyOn(crypto.subtle, 'importKey');
    const verifier = await createVerifier(config);
    for (const token of tokens) expect((await verifier.verify(token)).submoduleId).toBe('a');
    expect(importKey).toHaveBeenCalledTimes(1);
  });

  it('checks the signature of a token once, then answers from the cache', async () => {
    const token = await readToken();
    const verifier = await createVerifier(config);
    const signatureCheck = jest.spyOn(crypto.subtle, 'verify');
    const first = await verifier.verify(token);
    expect(await verifier.verifyHeader(`Bearer ${token}`)).toBe(first);
    expect(signatureCheck).toHaveBeenCalledTimes(1);
  });

  it('rejects a cached token once it is past exp', async () => {
    const token = await readToken();
    const verifier = await createVerifier(config);
    await verifier.verify(token);
    jest.useFakeTimers({ doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame', 'requestIdleCallback', 'cancelIdleCallback', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] }); // fakes Date only
    jest.setSystemTime(Date.now() + 120_000);
    const error = await rejection(verifier.verify(token));
    expect(error.message).toMatch(/expired/);
  });

  it('rejects a tampered copy of a cached token', async () => {
    const token = await readToken();
    const verifier = await createVerifier(config);
    await verifier.verify(token);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const escalated = Buffer.from(JSON.stringify({ ...claims, scope: 'memory:admin' })).toString('base64url');
    expect((await rejection(verifier.verify(`${header}.${escalated}.${signature}`))).message).toMatch(/signature/);
    const otherSignature = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    expect((await rejection(verifier.verify(`${header}.${payload}.${otherSignature}`))).message).toMatch(/signature/);
  });
});

describe('embedded secret', () => {
  it('is created once in the data directory and reused', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'memctx-auth-'));
    const first = resolveHmacSecret({ jwtSecret: undefined, dataDir });
    const second = resolveHmacSecret({ jwtSecret: undefined, dataDir });
    expect(Buffer.from(first).toString()).toBe(Buffer.from(second).toString());
    expect(readFileSync(join(dataDir, SECRET_FILE), 'utf8')).toHaveLength(64);
  });
});
