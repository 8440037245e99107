import { describe, expect, it } from '@jest/globals';
import { MemctxError } from '@memory-context/protocol';
import { assertCanWrite, assertStorable, canRead, canWrite, idTaken, readScope } from './access-rule.js';

const alice = { submoduleId: 'alice', admin: false };
const admin = { submoduleId: 'ops', admin: true };
const LEVELS = ['PUBLIC', 'TEAM', 'PRIVATE'] as const;

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof MemctxError ? error.code : 'not a MemctxError';
  }
  return undefined;
}

describe('the read rule', () => {
  it('is PUBLIC and TEAM of every submodule and PRIVATE only of one’s own', () => {
    const readable = (submoduleId: string) => LEVELS.filter((privacyLevel) => canRead(alice, { submoduleId, privacyLevel }));
    expect(readable('alice')).toEqual(['PUBLIC', 'TEAM', 'PRIVATE']);
    expect(readable('bob')).toEqual(['PUBLIC', 'TEAM']);
  });

  it('lets an admin read everything, of every submodule', () => {
    for (const privacyLevel of LEVELS) expect(canRead(admin, { submoduleId: 'bob', privacyLevel })).toBe(true);
    expect(readScope(admin)).toEqual({ everything: true });
  });

  it('is described as data the stores translate: shared levels plus the caller’s own submodule', () => {
    expect(readScope(alice)).toEqual({ everything: false, sharedLevels: ['PUBLIC', 'TEAM'], ownSubmodule: 'alice' });
  });

  it('reads no unknown level of another submodule (EPHEMERAL is never stored, anything else is refused)', () => {
    expect(canRead(alice, { submoduleId: 'bob', privacyLevel: 'EPHEMERAL' })).toBe(false);
    expect(canRead(alice, { submoduleId: 'bob', privacyLevel: 'team' })).toBe(false);
  });
});

describe('the write rule', () => {
  it('is one’s own submodule only, any for an admin', () => {
    expect(canWrite(alice, 'alice')).toBe(true);
    expect(canWrite(alice, 'bob')).toBe(false);
    expect(canWrite(admin, 'bob')).toBe(true);
    expect(codeOf(() => assertCanWrite(alice, 'bob', 'session'))).toBe('FORBIDDEN');
    expect(codeOf(() => assertCanWrite(alice, 'alice', 'session'))).toBeUndefined();
  });

  it('never stores EPHEMERAL', () => {
    expect(codeOf(() => assertStorable('EPHEMERAL', 'sessions'))).toBe('EPHEMERAL_NOT_PERSISTED');
    for (const level of LEVELS) expect(codeOf(() => assertStorable(level, 'sessions'))).toBeUndefined();
  });
});

describe('a taken id', () => {
  it('answers CONFLICT naming only the id the caller sent, whoever holds it', () => {
    const error = idTaken('0190a000-0000-7000-8000-000000000001');
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toContain('0190a000-0000-7000-8000-000000000001');
    expect(error.message).not.toMatch(/session|pattern|checkpoint|submodule|private/i);
  });
});
