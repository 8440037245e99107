import { describe, expect, it } from '@jest/globals';
import { detectorFor } from './detectors.js';
import { looksLikeCredential } from './prose-password.js';
import { createRedactor } from './redactor.js';
import type { PrivacyLevel } from './types.js';

const found = (text: string): string[] => detectorFor('password').find(text).map((s) => text.slice(s.start, s.end));
const LEVELS: PrivacyLevel[] = ['PUBLIC', 'TEAM', 'PRIVATE', 'EPHEMERAL'];

describe('passwords written in prose', () => {
  it.each([
    ['our staging password is Blue#Heron2026', 'Blue#Heron2026'],
    ['Our staging password is Blue#Heron2026.', 'Blue#Heron2026'],
    ['the password for staging was Xk9!pq2mZ', 'Xk9!pq2mZ'],
    ['the password for the staging db is Tr0ub4dor&3, keep it safe', 'Tr0ub4dor&3'],
    ['pwd: Sup3rSecret', 'Sup3rSecret'],
    ['pw: 8hK2$mQz', '8hK2$mQz'],
    ['PW=kitten42x', 'kitten42x'],
    ['passphrase Orange-Falcon-77', 'Orange-Falcon-77'],
    ['the passphrase is "Orange Falcon 77!"', 'Orange Falcon 77!'],
    ['passcode: 9Qx-77-Lm', '9Qx-77-Lm'],
    ['the password is hunter2', 'hunter2'],
    ['Password is: S3cure!pass', 'S3cure!pass'],
    ['the admin password was changed to N3wPass#2026 yesterday', 'N3wPass#2026'],
    ['db passwords are Qw3rty!9 and', 'Qw3rty!9'],
    ['the password for admin@example.com is Zz9#yy8@', 'Zz9#yy8@'],
  ])('takes the secret in %j', (sentence, secret) => {
    expect(found(sentence)).toEqual([secret]);
  });

  it.each([
    'reset your password in settings',
    'the password is required',
    'password is too short',
    'I forgot my password',
    'password is stored hashed',
    'The password is Required when signing in.',
    'passwords are case-sensitive',
    'the password must be at least 12 characters',
    'the password is 8-characters minimum',
    'the password is SHA-256 hashed before storage',
    'your password was reset to the default',
    'the password for the admin account is stored in the vault',
    'password manager integration',
    'pw hash mismatch',
    'Passphrase rotation is quarterly.',
    'the password is: see 1Password',
    'the password is ******** in the logs',
    'password is ${DB_PASSWORD}',
    'use a strong password, e.g. a passphrase of four words',
    'the password field is now optional',
    'bypass the passcode prompt',
    'rotate the Postgres passwords (quarterly) and the keys',
    'the password is "required" by the form',
  ])('leaves %j alone', (sentence) => {
    expect(found(sentence)).toEqual([]);
  });

  it('is redacted at every privacy level', () => {
    const redactor = createRedactor();
    for (const level of LEVELS) {
      const { text, summary } = redactor.redactText('our staging password is Blue#Heron2026, the api is up', level);
      expect(text, level).toBe('our staging password is [REDACTED:password], the api is up');
      expect(summary, level).toEqual({ password: 1 });
    }
  });

  it('judges the shape, not the dictionary: mixed classes and length', () => {
    expect(looksLikeCredential('Blue#Heron2026')).toBe(true);
    expect(looksLikeCredential('hunter22')).toBe(true);
    expect(looksLikeCredential('Settings')).toBe(false);
    expect(looksLikeCredential('123456789')).toBe(false);
    expect(looksLikeCredential('a1!')).toBe(false); // too short
    expect(looksLikeCredential('$PASSWORD')).toBe(false); // a reference
  });

  it('finds nothing, and returns, on long runs of keywords (the pattern is bounded)', () => {
    expect(found('password for the '.repeat(20_000) + 'pw '.repeat(20_000))).toEqual([]);
  });
});
