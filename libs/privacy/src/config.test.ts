import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { DEFAULT_PRIVACY_CONFIG, loadPrivacyConfig } from './config.js';
import { createRedactor } from './redactor.js';
import { REDACTION_KINDS } from './types.js';
import { PrivacyConfigError, validatePrivacyConfig } from './validate-config.js';

const dir = mkdtempSync(join(tmpdir(), 'privacy-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function file(content: unknown): string {
  const path = join(dir, `override-${n++}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function problemsOf(fn: () => unknown): { message: string; problems: readonly string[]; source: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof PrivacyConfigError) return { message: err.message, problems: err.problems, source: err.source };
    throw err;
  }
  throw new Error('expected a PrivacyConfigError');
}

describe('DEFAULT_PRIVACY_CONFIG', () => {
  it('lists every kind once, with the documented categories', () => {
    expect(DEFAULT_PRIVACY_CONFIG.detectors.map((d) => d.kind).sort()).toEqual([...REDACTION_KINDS].sort());
    const category = Object.fromEntries(DEFAULT_PRIVACY_CONFIG.detectors.map((d) => [d.kind, d.category]));
    expect(category).toMatchObject({
      aws_key: 'secret',
      jwt: 'secret',
      api_key: 'secret',
      password: 'credential',
      private_key: 'credential',
      connection_password: 'credential',
      ssn: 'government_id',
      credit_card: 'financial',
      email: 'contact',
      phone: 'contact',
      ip_address: 'network',
    });
    expect(DEFAULT_PRIVACY_CONFIG.detectors.every((d) => d.enabled)).toBe(true);
  });

  it('has the documented policy per level, EPHEMERAL like PRIVATE', () => {
    const { PUBLIC, TEAM, PRIVATE, EPHEMERAL } = DEFAULT_PRIVACY_CONFIG.levels;
    expect(Object.values(PUBLIC).every((a) => a === 'redact')).toBe(true);
    expect(TEAM).toEqual({ secret: 'redact', credential: 'redact', government_id: 'redact', financial: 'redact', contact: 'mask', network: 'mask' });
    expect(PRIVATE).toEqual({ secret: 'redact', credential: 'redact', government_id: 'keep', financial: 'keep', contact: 'keep', network: 'keep' });
    expect(EPHEMERAL).toEqual(PRIVATE);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(DEFAULT_PRIVACY_CONFIG)).toBe(true);
    expect(Object.isFrozen(DEFAULT_PRIVACY_CONFIG.detectors)).toBe(true);
    expect(Object.isFrozen(DEFAULT_PRIVACY_CONFIG.levels.TEAM)).toBe(true);
  });
});

describe('loadPrivacyConfig', () => {
  it('returns the default without a path', () => {
    expect(loadPrivacyConfig()).toBe(DEFAULT_PRIVACY_CONFIG);
    expect(loadPrivacyConfig('')).toBe(DEFAULT_PRIVACY_CONFIG);
  });

  it('applies a partial override onto the default', () => {
    const config = loadPrivacyConfig(
      file({
        detectors: [{ kind: 'ip_address', enabled: false }, { kind: 'phone', category: 'government_id' }],
        levels: { TEAM: { contact: 'redact' } },
      }),
    );
    expect(config.detectors.find((d) => d.kind === 'ip_address')).toEqual({ kind: 'ip_address', category: 'network', enabled: false });
    expect(config.detectors.find((d) => d.kind === 'phone')).toEqual({ kind: 'phone', category: 'government_id', enabled: true });
    expect(config.levels.TEAM).toEqual({ ...DEFAULT_PRIVACY_CONFIG.levels.TEAM, contact: 'redact' });
    expect(config.levels.PUBLIC).toEqual(DEFAULT_PRIVACY_CONFIG.levels.PUBLIC);

    const r = createRedactor(config);
    expect(r.redactText('hello@example.com 10.0.0.1 555-123-4567', 'TEAM').text).toBe('[REDACTED:email] 10.0.0.1 [REDACTED:phone]');
    expect(r.redactText('555-123-4567', 'PRIVATE').text).toBe('555-123-4567');
  });

  it('an override of PRIVATE carries over to EPHEMERAL unless EPHEMERAL is given', () => {
    const both = loadPrivacyConfig(file({ levels: { PRIVATE: { contact: 'mask' } } }));
    expect(both.levels.PRIVATE.contact).toBe('mask');
    expect(both.levels.EPHEMERAL.contact).toBe('mask');
    const apart = loadPrivacyConfig(file({ levels: { PRIVATE: { contact: 'mask' }, EPHEMERAL: { contact: 'redact' } } }));
    expect(apart.levels.EPHEMERAL.contact).toBe('redact');
  });

  it('accepts a complete config (the shipped file is a valid override)', () => {
    const config = loadPrivacyConfig(file({ $schema: './x.json', ...DEFAULT_PRIVACY_CONFIG }));
    expect(config).toEqual(DEFAULT_PRIVACY_CONFIG);
  });

  it('names the file when it cannot be read', () => {
    const missing = join(dir, 'nope.json');
    const e = problemsOf(() => loadPrivacyConfig(missing));
    expect(e.source).toBe(missing);
    expect(e.message).toContain(`Invalid privacy config ${missing}`);
    expect(e.problems[0]).toMatch(/cannot be read: ENOENT/);
  });

  it('names the file when it is not JSON', () => {
    const path = file('{ "levels": ');
    const e = problemsOf(() => loadPrivacyConfig(path));
    expect(e.message).toContain(path);
    expect(e.problems[0]).toMatch(/not valid JSON/);
  });

  it('reports every bad field, each by its path', () => {
    const path = file({
      version: 2,
      colour: 'blue',
      detectors: [
        { kind: 'email', enabled: 'no' },
        { kind: 'fingerprint', enabled: false },
        { kind: 'phone', category: 'personal' },
        { kind: 'email', enabled: false },
        { kind: 'ssn', enabeld: false },
        'jwt',
      ],
      levels: { TEAM: { contact: 'hide', people: 'redact' }, SECRET: { secret: 'redact' }, PUBLIC: 'redact' },
    });
    const e = problemsOf(() => loadPrivacyConfig(path));
    expect(e.message).toContain(path);
    expect(e.problems).toEqual([
      'unknown field "colour" (allowed: "$schema", "version", "detectors", "levels")',
      'version must be 1, got 2',
      'detectors[0].enabled must be true or false, got "no"',
      expect.stringMatching(/^detectors\[1\]\.kind: unknown kind "fingerprint" \(known: "aws_key", .*"ip_address"\)$/),
      'detectors[2].category: unknown category "personal" (known: "secret", "credential", "government_id", "financial", "contact", "network")',
      'detectors[3].kind: "email" is listed more than once',
      'detectors[4]: unknown field "enabeld" (allowed: "kind", "category", "enabled")',
      'detectors[5] must be an object like {"kind": "email", "enabled": false}, got "jwt"',
      'levels.TEAM.contact must be one of "redact", "mask", "keep", got "hide"',
      'levels.TEAM: unknown category "people" (known: "secret", "credential", "government_id", "financial", "contact", "network")',
      'levels: unknown level "SECRET" (known: "PUBLIC", "TEAM", "PRIVATE", "EPHEMERAL")',
      'levels.PUBLIC must be an object like {"contact": "mask"}, got "redact"',
    ]);
  });

  it('rejects a file that is not an object', () => {
    expect(problemsOf(() => loadPrivacyConfig(file('[]'))).problems).toEqual(['the file must hold a JSON object, got an array']);
    expect(problemsOf(() => loadPrivacyConfig(file({ detectors: {} }))).problems).toEqual(['detectors must be an array, got {}']);
  });
});

describe('validatePrivacyConfig (complete configs)', () => {
  it('requires every kind, level and category', () => {
    const e = problemsOf(() =>
      validatePrivacyConfig(
        {
          version: 1,
          detectors: DEFAULT_PRIVACY_CONFIG.detectors.filter((d) => d.kind !== 'jwt').map((d) => (d.kind === 'email' ? { kind: 'email', enabled: true } : d)),
          levels: { PUBLIC: DEFAULT_PRIVACY_CONFIG.levels.PUBLIC, TEAM: { ...DEFAULT_PRIVACY_CONFIG.levels.TEAM, network: undefined }, PRIVATE: DEFAULT_PRIVACY_CONFIG.levels.PRIVATE },
        },
        'test.json',
      ),
    );
    expect(e.source).toBe('test.json');
    expect(e.problems).toEqual([
      expect.stringMatching(/^detectors\[\d+\]\.category is missing for "email"$/),
      'detectors: kind "jwt" is missing (list it with "enabled": false to turn it off)',
      'levels.TEAM.network is missing (one of "redact", "mask", "keep")',
      'levels.EPHEMERAL is missing',
    ]);
  });

  it('requires version, detectors and levels', () => {
    expect(problemsOf(() => validatePrivacyConfig({}, 'x')).problems).toEqual(['version is missing (it must be 1)', 'detectors is missing', 'levels is missing']);
  });
});
