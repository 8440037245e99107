import { describe, expect, it } from '@jest/globals';
import { DEFAULT_PRIVACY_CONFIG } from './default-config.js';
import { createRedactor, mergeSummaries, summaryTotal } from './redactor.js';
import type { PrivacyConfig, PrivacyLevel } from './types.js';
import { PrivacyConfigError } from './validate-config.js';

const redactor = createRedactor();
const LEVELS: PrivacyLevel[] = ['PUBLIC', 'TEAM', 'PRIVATE', 'EPHEMERAL'];

const fakeJwt = ['eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9', 'eyJzdWIiOiIxMjM0NTY3ODkwIn0', 'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'].join('.');
const fakeGithub = 'ghp_' + 'A1b2C3d4E5'.repeat(3) + 'f6G7h8';
const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nuser@example.com 4242424242424242\n-----END PRIVATE KEY-----';

const MIXED =
  'Reach hello@example.com or 555-123-4567 from 10.0.12.34; card 4242 4242 4242 4242, ssn 123-45-6789, ' + 'key AKIAIOSFODNN7EXAMPLE, password=hunter2.';

describe('per-level policy', () => {
  it('PUBLIC redacts everything detected (cards keep their last four)', () => {
    const { text, summary } = redactor.redactText(MIXED, 'PUBLIC');
    expect(text).toBe(
      'Reach [REDACTED:email] or [REDACTED:phone] from [REDACTED:ip_address]; card ****-****-****-4242, ssn [REDACTED:ssn], ' +
        'key [REDACTED:aws_key], password=[REDACTED:password]',
    );
    expect(summary).toEqual({ email: 1, phone: 1, ip_address: 1, credit_card: 1, ssn: 1, aws_key: 1, password: 1 });
  });

  it('TEAM redacts secrets, credentials, SSNs and cards, and masks contact and network data', () => {
    const { text, summary } = redactor.redactText(MIXED, 'TEAM');
    expect(text).toBe(
      'Reach h***@example.com or 555-***-4567 from 10.0.***.***; card ****-****-****-4242, ssn [REDACTED:ssn], ' +
        'key [REDACTED:aws_key], password=[REDACTED:password]',
    );
    expect(summary).toEqual({ email: 1, phone: 1, ip_address: 1, credit_card: 1, ssn: 1, aws_key: 1, password: 1 });
  });

  it('PRIVATE and EPHEMERAL redact only secrets and credentials', () => {
    for (const level of ['PRIVATE', 'EPHEMERAL'] as const) {
      const { text, summary } = redactor.redactText(MIXED, level);
      expect(text).toBe(
        'Reach hello@example.com or 555-123-4567 from 10.0.12.34; card 4242 4242 4242 4242, ssn 123-45-6789, ' +
          'key [REDACTED:aws_key], password=[REDACTED:password]',
      );
      expect(summary).toEqual({ aws_key: 1, password: 1 });
    }
  });

  it('assignments keep the name and the quotes; only the value goes (a bare value runs to whitespace, so MIXED loses its final period)', () => {
    expect(redactor.redactText('{"password": "hunter2", "user": "bob"}', 'PRIVATE').text).toBe('{"password": "[REDACTED:password]", "user": "bob"}');
    expect(redactor.redactText("secret='s3cr3tvalue'", 'PRIVATE').text).toBe("secret='[REDACTED:api_key]'");
  });

  it('rejects unknown levels', () => {
    expect(() => redactor.redactText('x', 'SECRET' as PrivacyLevel)).toThrow(/Unknown privacy level "SECRET"/);
  });
});

describe('ARCHITECTURE.md examples', () => {
  it('produces the documented masks exactly', () => {
    expect(redactor.redactText('hello@example.com', 'TEAM').text).toBe('h***@example.com');
    expect(redactor.redactText('555-123-1234', 'TEAM').text).toBe('555-***-1234');
    expect(redactor.redactText('4242-4242-4242-4242', 'TEAM').text).toBe('****-****-****-4242');
    expect(redactor.redactText('api_key: abcdef123456', 'TEAM').text).toBe('api_key: [REDACTED:api_key]');
  });

  it('masks every phone form, keeping separators', () => {
    const { text, summary } = redactor.redactText('(555) 123-4567 | 555-123-4567 | +1 555 123 4567 | +44 20 7946 0958', 'TEAM');
    expect(text).toBe('(555) ***-4567 | 555-***-4567 | +1 *** *** 4567 | +44 ** **** 0958');
    expect(summary).toEqual({ phone: 4 });
  });

  it('IPv6 is removed rather than masked', () => {
    expect(redactor.redactText('from 2001:db8:85a3::8a2e:370:7334', 'TEAM').text).toBe('from [REDACTED:ip_address]');
  });
});

describe('secrets at every level', () => {
  it.each(LEVELS)('%s redacts each secret and credential kind', (level) => {
    const text = [
      `t=${fakeGithub}`,
      fakeJwt,
      'aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCY' + 'EXAMPLEKEY',
      'postgres://app:pa55word@db.internal:5432/app',
      pem,
      'Authorization: Bearer abcDEF123456ghiJKL789',
    ].join('\n');
    const out = redactor.redactText(text, level);
    expect(out.text).toBe(
      [
        't=[REDACTED:github_token]',
        '[REDACTED:jwt]',
        'aws_secret_access_key=[REDACTED:aws_secret_key]',
        'postgres://app:[REDACTED:connection_password]@db.internal:5432/app',
        '[REDACTED:private_key]',
        'Authorization: Bearer [REDACTED:bearer_token]',
      ].join('\n'),
    );
    expect(out.summary).toEqual({ github_token: 1, jwt: 1, aws_secret_key: 1, connection_password: 1, private_key: 1, bearer_token: 1 });
  });
});

describe('overlaps', () => {
  it('a private key block wins over everything inside it', () => {
    const { text, summary } = redactor.redactText(`before ${pem} after`, 'PUBLIC');
    expect(text).toBe('before [REDACTED:private_key] after');
    expect(summary).toEqual({ private_key: 1 });
  });

  it('a JWT wins over the generic token= assignment', () => {
    expect(redactor.redactText(`token=${fakeJwt}`, 'PRIVATE')).toEqual({ text: 'token=[REDACTED:jwt]', summary: { jwt: 1 } });
  });

  it('a known token format wins over the generic assignment holding it', () => {
    expect(redactor.redactText(`GITHUB_TOKEN=${fakeGithub}`, 'PRIVATE')).toEqual({ text: 'GITHUB_TOKEN=[REDACTED:github_token]', summary: { github_token: 1 } });
    expect(redactor.redactText(`password=${fakeGithub}`, 'PRIVATE').summary).toEqual({ github_token: 1 });
  });

  it('an email inside a URL is still an email', () => {
    expect(redactor.redactText('https://example.com/unsubscribe?u=jane.doe@example.org&list=7', 'TEAM').text).toBe(
      'https://example.com/unsubscribe?u=j***@example.org&list=7',
    );
  });

  it('a connection-string password wins over the email-looking pass@host', () => {
    const { text, summary } = redactor.redactText('postgres://bob:hunter2@db.example.com/app', 'TEAM');
    expect(text).toBe('postgres://bob:[REDACTED:connection_password]@db.example.com/app');
    expect(summary).toEqual({ connection_password: 1 });
  });

  it('an IPv4-mapped IPv6 address is one match, not two', () => {
    expect(redactor.redactText('peer ::ffff:192.0.2.128', 'PUBLIC')).toEqual({ text: 'peer [REDACTED:ip_address]', summary: { ip_address: 1 } });
  });
});

describe('things that are not PII', () => {
  it('leaves ordinary technical text alone at every level', () => {
    const text = [
      'commit da39a3ee5e6b4b0d3255bfef95601890afd80709 on 2024-01-15T10:30:00Z',
      'id 123e4567-e89b-12d3-a456-426614174000, version v1.22.333, build 20240115',
      'timestamp 1732406400000, count 12345678, ratio 3.14159',
      'card-like but Luhn-failing 4242 4242 4242 4241; ssn-like 000-12-3456 and 666-12-3456',
      'install lodash@4.17.21 and @memory-context/privacy; std::vector<int>; at 12:30:45',
      'const token = getToken(); apiKey: string; password: ${DB_PASSWORD}',
    ].join('\n');
    for (const level of LEVELS) {
      expect(redactor.redactText(text, level), level).toEqual({ text, summary: {} });
    }
  });
});

describe('idempotency', () => {
  const samples = [
    MIXED,
    `GITHUB_TOKEN=${fakeGithub} ${fakeJwt}`,
    pem,
    '{"password": "p@ss \\"w\\"", "api_key": "abcdef123456"}',
    '(555) 123-4567, +1 555 123 4567, +44 20 7946 0958, +15551234567, 1-555-123-4567',
    'from 10.0.12.34 and 2001:db8::8a2e:370:7334 and ::ffff:192.0.2.1',
    'postgres://bob:hunter2@db.example.com/app and mysql://u:p@ss@db/app',
    'mail a@b.io, card 378282246310005, ssn 078-05-1120',
    'secret=s3cr3tvalue; token: "quoted secret"; Authorization: Bearer abcDEF123456ghiJKL789',
  ];

  it.each(LEVELS)('%s: redacting the output again changes and counts nothing', (level) => {
    for (const sample of samples) {
      const once = redactor.redactText(sample, level);
      const twice = redactor.redactText(once.text, level);
      expect(twice.text, sample).toBe(once.text);
      expect(twice.summary, sample).toEqual({});
    }
  });

  it('masks and markers written by hand are not detected either', () => {
    const text = 'h***@example.com ****-****-****-4242 555-***-4567 ***-**-6789 10.0.***.*** [REDACTED:api_key] password=[REDACTED:password]';
    for (const level of LEVELS) expect(redactor.redactText(text, level)).toEqual({ text, summary: {} });
  });
});

describe('summaries', () => {
  it('counts replacements per kind and never carries the values', () => {
    const { summary } = redactor.redactText('a@x.io b@x.io c@x.io 555-123-4567 4242424242424242', 'TEAM');
    expect(summary).toEqual({ email: 3, phone: 1, credit_card: 1 });
    expect(JSON.stringify(summary)).not.toMatch(/x\.io|4567|4242/);
    expect(summaryTotal(summary)).toBe(5);
  });

  it('is empty when nothing is found, and for empty text', () => {
    expect(redactor.redactText('nothing to see', 'PUBLIC')).toEqual({ text: 'nothing to see', summary: {} });
    expect(redactor.redactText('', 'PUBLIC')).toEqual({ text: '', summary: {} });
  });

  it('mergeSummaries and summaryTotal are exported from the redactor module', () => {
    expect(mergeSummaries({ email: 1 }, { email: 2, jwt: 1 })).toEqual({ email: 3, jwt: 1 });
  });
});

describe('redactValue', () => {
  const conversation = {
    id: 'sess-1',
    turns: 2,
    archived: false,
    closedAt: null,
    messages: [
      { role: 'user', text: 'mail me at hello@example.com, key AKIAIOSFODNN7EXAMPLE' },
      { role: 'assistant', text: 'Noted.', tags: ['contact', 'call 555-123-4567'], meta: { score: 0.9, ip: '10.1.2.3' } },
    ],
  };

  it('deep-redacts strings in a conversation and sums the summary', () => {
    const { value, summary } = redactor.redactValue(conversation, 'TEAM');
    expect(value).toEqual({
      id: 'sess-1',
      turns: 2,
      archived: false,
      closedAt: null,
      messages: [
        { role: 'user', text: 'mail me at h***@example.com, key [REDACTED:aws_key]' },
        { role: 'assistant', text: 'Noted.', tags: ['contact', 'call 555-***-4567'], meta: { score: 0.9, ip: '10.1.***.***' } },
      ],
    });
    expect(summary).toEqual({ email: 1, aws_key: 1, phone: 1, ip_address: 1 });
  });

  it('applies the level: PRIVATE only takes the key', () => {
    const { value, summary } = redactor.redactValue(conversation, 'PRIVATE');
    expect(value.messages[0]?.text).toBe('mail me at hello@example.com, key [REDACTED:aws_key]');
    expect(summary).toEqual({ aws_key: 1 });
  });

  it('does not mutate its input', () => {
    const before = structuredClone(conversation);
    const { value } = redactor.redactValue(conversation, 'PUBLIC');
    expect(conversation).toEqual(before);
    expect(value).not.toBe(conversation);
    expect(value.messages).not.toBe(conversation.messages);
  });

  it('leaves object keys and non-string primitives untouched', () => {
    const input = { 'hello@example.com': 'hello@example.com', n: 4242424242424242, big: 10n, yes: true, none: undefined };
    const { value } = redactor.redactValue(input, 'PUBLIC');
    expect(value).toEqual({ 'hello@example.com': '[REDACTED:email]', n: 4242424242424242, big: 10n, yes: true, none: undefined });
  });

  it('handles bare strings, arrays and null', () => {
    expect(redactor.redactValue('hello@example.com', 'PUBLIC').value).toBe('[REDACTED:email]');
    expect(redactor.redactValue(['a@b.io', 1, null], 'PUBLIC').value).toEqual(['[REDACTED:email]', 1, null]);
    expect(redactor.redactValue(null, 'PUBLIC')).toEqual({ value: null, summary: {} });
  });

  it('keeps an own "__proto__" key as data', () => {
    const input = JSON.parse('{"__proto__": {"email": "a@b.io"}}') as Record<string, unknown>;
    const { value } = redactor.redactValue(input, 'PUBLIC');
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toEqual({ email: '[REDACTED:email]' });
  });

  it('returns non-plain objects as they are', () => {
    const when = new Date(0);
    expect(redactor.redactValue({ when }, 'PUBLIC').value.when).toBe(when);
  });

  it('throws on circular references instead of overflowing the stack', () => {
    const loop: Record<string, unknown> = { a: 'x' };
    loop.self = loop;
    expect(() => redactor.redactValue(loop, 'PUBLIC')).toThrow(/circular/);
  });

  it('allows the same object twice when it is not a cycle', () => {
    const shared = { email: 'a@b.io' };
    expect(redactor.redactValue({ one: shared, two: shared }, 'PUBLIC').summary).toEqual({ email: 2 });
  });
});

describe('detect', () => {
  it('reports spans and kinds, without values', () => {
    const text = 'mail hello@example.com key AKIAIOSFODNN7EXAMPLE';
    expect(redactor.detect(text, 'PRIVATE')).toEqual([{ kind: 'aws_key', category: 'secret', start: 27, end: 47 }]);
    expect(redactor.detect(text).map((s) => [s.kind, text.slice(s.start, s.end)])).toEqual([
      ['email', 'hello@example.com'],
      ['aws_key', 'AKIAIOSFODNN7EXAMPLE'],
    ]);
  });
});

describe('custom configs', () => {
  const withLevels = (patch: Partial<Record<PrivacyLevel, Partial<PrivacyConfig['levels']['TEAM']>>>): PrivacyConfig => ({
    ...DEFAULT_PRIVACY_CONFIG,
    levels: {
      PUBLIC: { ...DEFAULT_PRIVACY_CONFIG.levels.PUBLIC, ...patch.PUBLIC },
      TEAM: { ...DEFAULT_PRIVACY_CONFIG.levels.TEAM, ...patch.TEAM },
      PRIVATE: { ...DEFAULT_PRIVACY_CONFIG.levels.PRIVATE, ...patch.PRIVATE },
      EPHEMERAL: { ...DEFAULT_PRIVACY_CONFIG.levels.EPHEMERAL, ...patch.EPHEMERAL },
    },
  });

  it('a disabled detector finds nothing', () => {
    const config: PrivacyConfig = {
      ...DEFAULT_PRIVACY_CONFIG,
      detectors: DEFAULT_PRIVACY_CONFIG.detectors.map((d) => (d.kind === 'email' ? { ...d, enabled: false } : d)),
    };
    expect(createRedactor(config).redactText('a@b.io 555-123-4567', 'PUBLIC')).toEqual({ text: 'a@b.io [REDACTED:phone]', summary: { phone: 1 } });
  });

  it('a mask action uses the format-keeping form (SSN)', () => {
    expect(createRedactor(withLevels({ TEAM: { government_id: 'mask' } })).redactText('123-45-6789', 'TEAM').text).toBe('***-**-6789');
  });

  it('a keep action leaves the category alone', () => {
    expect(createRedactor(withLevels({ PUBLIC: { network: 'keep' } })).redactText('10.0.0.1', 'PUBLIC').text).toBe('10.0.0.1');
  });

  it('an invalid config passed in code is rejected', () => {
    const bad = { ...DEFAULT_PRIVACY_CONFIG, levels: { ...DEFAULT_PRIVACY_CONFIG.levels, TEAM: { ...DEFAULT_PRIVACY_CONFIG.levels.TEAM, contact: 'hide' } } };
    expect(() => createRedactor(bad as unknown as PrivacyConfig)).toThrow(PrivacyConfigError);
    expect(() => createRedactor(bad as unknown as PrivacyConfig)).toThrow(/levels\.TEAM\.contact must be one of "redact", "mask", "keep", got "hide"/);
  });
});

describe('linear time', () => {
  it('gets through 1 MB of adversarial input for every detector', () => {
    const MB = 1 << 20;
    const fill = (unit: string): string => unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);
    const inputs = [
      fill('a'),
      fill('1'),
      fill('4 '),
      fill('1-'),
      fill('a@'),
      fill('a.b@c.'),
      fill('ab:'),
      fill('1.1.1.'),
      fill('-----BEGIN RSA PRIVATE KEY-----'),
      fill('-----BEGIN PRIVATE KEY-----\nAAAA\n'),
      fill('token=token='),
      fill('b=b='),
      'password="' + fill('a'),
      fill('eyJaaaaa.'),
      fill('+1 '),
      fill('(555) '),
      fill('a://b:c'),
      fill('Bearer '),
      'key' + fill(' '),
      fill('x@y.com 555-123-4567 4242424242424242 10.0.0.1 password=x '),
    ];
    for (const input of inputs) {
      const { text } = redactor.redactText(input, 'PUBLIC');
      expect(typeof text).toBe('string');
    }
  });
});
