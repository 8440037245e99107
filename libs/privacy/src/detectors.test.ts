import { describe, expect, it } from '@jest/globals';
import { DETECTORS, detectorFor } from './detectors.js';
import { REDACTION_KINDS, type RedactionKind } from './types.js';

/** The matched substrings, so assertions read as text. */
function found(kind: RedactionKind, text: string): string[] {
  return detectorFor(kind).find(text).map((s) => text.slice(s.start, s.end));
}

// Token-shaped fixtures are assembled at run time so that no secret scanner
// mistakes this file for a leak.
const fake = {
  github: 'ghp_' + 'A1b2C3d4E5'.repeat(3) + 'f6G7h8',
  githubPat: 'github_pat_' + '11ABCDEFG0'.repeat(3) + '_xyz',
  slack: 'xox' + 'b-1234567890-0987654321-AbCdEfGhIjKl',
  stripe: 'sk_' + 'live_' + '4eC39HqLyjWDarjtT1zdp7dc',
  stripeTest: 'sk_' + 'test_' + '4eC39HqLyjWDarjtT1zdp7dc',
  stripeRestricted: 'rk_' + 'live_' + '4eC39HqLyjWDarjtT1zdp7dc',
  openai: 'sk-' + 'proj-' + 'Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56',
  openaiLegacy: 'sk-' + 'Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78St90Uv12Wx34',
  hf: 'hf_' + 'AbCdEfGhIjKlMnOpQrStUvWxYz01234567',
  jwt: ['eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9', 'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ', 'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'].join('.'),
  awsSecret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCY' + 'EXAMPLEKEY',
};

describe('detector table', () => {
  it('has exactly one detector per kind', () => {
    expect(DETECTORS.map((d) => d.kind).sort()).toEqual([...REDACTION_KINDS].sort());
  });
});

describe('secret detectors', () => {
  it('aws_key: access key ids, not lookalikes', () => {
    expect(found('aws_key', 'key AKIAIOSFODNN7EXAMPLE here')).toEqual(['AKIAIOSFODNN7EXAMPLE']);
    expect(found('aws_key', 'ASIAY34FZKBOKMUTVV7A')).toEqual(['ASIAY34FZKBOKMUTVV7A']);
    expect(found('aws_key', 'AKIAIOSFODNN7EXAMPLEX')).toEqual([]); // too long
    expect(found('aws_key', 'XAKIAIOSFODNN7EXAMPLE')).toEqual([]); // inside a word
    expect(found('aws_key', 'AKIA1234')).toEqual([]);
  });

  it('aws_secret_key: the value of aws_secret_access_key assignments', () => {
    expect(found('aws_secret_key', `aws_secret_access_key=${fake.awsSecret}`)).toEqual([fake.awsSecret]);
    expect(found('aws_secret_key', `AWS_SECRET_ACCESS_KEY: "${fake.awsSecret}"`)).toEqual([fake.awsSecret]);
    expect(found('aws_secret_key', `aws_secret_access_key = ${fake.awsSecret}`)).toEqual([fake.awsSecret]);
    expect(found('aws_secret_key', fake.awsSecret)).toEqual([]); // a bare 40-char string is not enough
    expect(found('aws_secret_key', 'aws_secret_access_key=tooShort')).toEqual([]);
  });

  it('github_token: ghp_/gho_/ghs_/ghu_/ghr_ and github_pat_', () => {
    expect(found('github_token', `use ${fake.github} now`)).toEqual([fake.github]);
    expect(found('github_token', fake.github.replace('ghp_', 'gho_'))).toHaveLength(1);
    expect(found('github_token', fake.github.replace('ghp_', 'ghs_'))).toHaveLength(1);
    expect(found('github_token', fake.githubPat)).toEqual([fake.githubPat]);
    expect(found('github_token', 'ghp_short')).toEqual([]);
    expect(found('github_token', 'xghp_' + 'a'.repeat(36))).toEqual([]);
  });

  it('slack_token: xox[baprs]-', () => {
    expect(found('slack_token', `SLACK=${fake.slack}`)).toEqual([fake.slack]);
    expect(found('slack_token', fake.slack.replace('xoxb', 'xoxp'))).toHaveLength(1);
    expect(found('slack_token', 'xoxz-1234567890-abc')).toEqual([]);
    expect(found('slack_token', 'xoxb-123')).toEqual([]);
  });

  it('stripe_key: sk_live_, sk_test_, rk_ — not publishable pk_', () => {
    expect(found('stripe_key', fake.stripe)).toEqual([fake.stripe]);
    expect(found('stripe_key', fake.stripeTest)).toEqual([fake.stripeTest]);
    expect(found('stripe_key', fake.stripeRestricted)).toEqual([fake.stripeRestricted]);
    expect(found('stripe_key', fake.stripe.replace('sk_', 'pk_'))).toEqual([]);
  });

  it('openai_key: sk-… with random-looking bodies, not hyphenated words', () => {
    expect(found('openai_key', `OPENAI_API_KEY=${fake.openai}`)).toEqual([fake.openai]);
    expect(found('openai_key', fake.openaiLegacy)).toEqual([fake.openaiLegacy]);
    expect(found('openai_key', 'the sk-learn-compatible-estimators page')).toEqual([]);
    expect(found('openai_key', 'sk-123')).toEqual([]);
    expect(found('openai_key', 'task-Ab12Cd34Ef56Gh78Ij90Kl12')).toEqual([]);
  });

  it('huggingface_token: hf_…', () => {
    expect(found('huggingface_token', `token ${fake.hf}`)).toEqual([fake.hf]);
    expect(found('huggingface_token', 'hf_short')).toEqual([]);
    expect(found('huggingface_token', 'my_hf_' + 'a'.repeat(34))).toEqual([]);
  });

  it('jwt: three base64url segments, header and payload starting eyJ', () => {
    expect(found('jwt', `Authorization: ${fake.jwt}`)).toEqual([fake.jwt]);
    expect(found('jwt', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.')).toEqual(['eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.']);
    expect(found('jwt', 'eyJhbGciOiJIUzI1NiJ9.payload.sig')).toEqual([]);
    expect(found('jwt', 'eyJ alone')).toEqual([]);
  });

  it('bearer_token: Authorization bearer values with digits', () => {
    expect(found('bearer_token', 'Authorization: Bearer abcDEF123456ghiJKL789')).toEqual(['abcDEF123456ghiJKL789']);
    expect(found('bearer_token', 'bearer authentication-scheme-described')).toEqual([]);
  });

  it('api_key: generic key=/secret=/token=/api_key: assignments, value only', () => {
    expect(found('api_key', 'secret=s3cr3tvalue')).toEqual(['s3cr3tvalue']);
    expect(found('api_key', 'key=0123456789abcdef')).toEqual(['0123456789abcdef']);
    expect(found('api_key', 'api_key: abcdef123456')).toEqual(['abcdef123456']);
    expect(found('api_key', '"apiKey": "live-7f3a9c2e1b"')).toEqual(['live-7f3a9c2e1b']);
    expect(found('api_key', 'export GITHUB_TOKEN=abc123def456')).toEqual(['abc123def456']);
    expect(found('api_key', 'https://x.test/?access_token=abcdef1234&page=2')).toEqual(['abcdef1234']);
    expect(found('api_key', 'CLIENT_SECRET = "quoted value with spaces"')).toEqual(['quoted value with spaces']);
    expect(found('api_key', '{token=abc123def}')).toEqual(['abc123def']);
  });

  it('api_key: ignores ordinary names, placeholders, types and code', () => {
    for (const text of [
      'monkey=bananasplit',
      'turkey: delicious123',
      'publicKey: MCowBQYDK2VwAyEA',
      'primary_key = user_id_123',
      'idempotencyKey: 4f1c2a9e-77aa',
      'nextPageToken: CAEQAhgC',
      'max_tokens=4096000',
      'token: string',
      'apiKey: undefined',
      'const token = getToken();',
      'token = process.env.TOKEN',
      'secret=${SECRET_VALUE}',
      'API_KEY=$API_KEY',
      'api_key: <your api key>',
      'key=abc', // too short to be a key
      'if (token == null) return',
      'key=[REDACTED:api_key]',
      'token: ********',
    ]) {
      expect(found('api_key', text), text).toEqual([]);
    }
  });
});

describe('credential detectors', () => {
  it('password: password=, passwd:, "password": "…" and prefixed names', () => {
    expect(found('password', 'password=hunter2')).toEqual(['hunter2']);
    expect(found('password', 'passwd: letmein')).toEqual(['letmein']);
    expect(found('password', '{"password": "correct horse battery staple"}')).toEqual(['correct horse battery staple']);
    expect(found('password', String.raw`{"password": "a\"quoted\" one"}`)).toEqual([String.raw`a\"quoted\" one`]);
    expect(found('password', "DB_PASSWORD='pa$$w0rd'")).toEqual(['pa$$w0rd']);
    expect(found('password', 'PGPASSWORD=s3cret psql')).toEqual(['s3cret']);
    expect(found('password', 'userPassword: 1')).toEqual(['1']);
  });

  it('password: a password in prose, when it looks like one (more in prose-password.test.ts)', () => {
    expect(found('password', 'the password is hunter2')).toEqual(['hunter2']);
    expect(found('password', 'the password is required')).toEqual([]);
  });

  it('password: ignores types, references and masks', () => {
    for (const text of ['password: string', 'password=$DB_PASSWORD', 'password: ${PASSWORD}', 'password: ****', 'password=[REDACTED:password]', 'password=', 'password => x']) {
      expect(found('password', text), text).toEqual([]);
    }
  });

  it('private_key: whole PEM block, any key type', () => {
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7\nq8Xz+/==\n-----END RSA PRIVATE KEY-----';
    expect(found('private_key', `before\n${pem}\nafter`)).toEqual([pem]);
    const openssh = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----';
    expect(found('private_key', openssh)).toEqual([openssh]);
    const escaped = String.raw`"private_key": "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----\n"`;
    expect(found('private_key', escaped)).toEqual([String.raw`-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----`]);
  });

  it('private_key: a truncated block (no END) is still taken up to the end of its base64 body', () => {
    expect(found('private_key', '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBYq\nAoGBAN+/=\n\n-- sig')).toEqual(['-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBYq\nAoGBAN+/=']);
  });

  it('private_key: public keys and certificates are not private keys', () => {
    expect(found('private_key', '-----BEGIN PUBLIC KEY-----\nMIIBIjAN\n-----END PUBLIC KEY-----')).toEqual([]);
    expect(found('private_key', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----')).toEqual([]);
  });

  it('connection_password: the password of user:pass@ URLs', () => {
    expect(found('connection_password', 'postgres://user:pass@host:5432/db')).toEqual(['pass']);
    expect(found('connection_password', 'DATABASE_URL=mongodb+srv://admin:S3cr3t!@cluster0.example.net/app')).toEqual(['S3cr3t!']);
    expect(found('connection_password', 'redis://:only-pass@cache:6379')).toEqual(['only-pass']);
    expect(found('connection_password', 'mysql://u:p@ss@db/app')).toEqual(['p@ss']);
    expect(found('connection_password', 'postgres://user@host/db')).toEqual([]);
    expect(found('connection_password', 'postgres://user:${PGPASS}@host/db')).toEqual([]);
    expect(found('connection_password', 'https://example.com:8443/path')).toEqual([]);
  });
});

describe('government_id: ssn', () => {
  it('finds valid ddd-dd-dddd numbers', () => {
    expect(found('ssn', 'SSN 123-45-6789.')).toEqual(['123-45-6789']);
    expect(found('ssn', '078-05-1120 and 899-12-3456')).toEqual(['078-05-1120', '899-12-3456']);
  });

  it('skips invalid ranges: area 000/666/9xx, group 00, serial 0000', () => {
    for (const s of ['000-12-3456', '666-12-3456', '900-12-3456', '999-99-9999', '123-00-4567', '123-45-0000']) {
      expect(found('ssn', `id ${s}`), s).toEqual([]);
    }
  });

  it('skips other dashed numbers: dates, phones, longer runs', () => {
    expect(found('ssn', '2024-01-15 555-123-4567 1123-45-6789 123-45-67890 a123-45-6789')).toEqual([]);
  });
});

describe('financial: credit_card', () => {
  it('finds Luhn-valid cards with spaces, dashes or none', () => {
    expect(found('credit_card', 'card 4242 4242 4242 4242 exp 12/26')).toEqual(['4242 4242 4242 4242']);
    expect(found('credit_card', '5555-5555-5555-4444')).toEqual(['5555-5555-5555-4444']);
    expect(found('credit_card', '4111111111111111')).toEqual(['4111111111111111']);
    expect(found('credit_card', 'amex 3782 822463 10005')).toEqual(['3782 822463 10005']);
    expect(found('credit_card', '6011111111111117')).toEqual(['6011111111111117']);
  });

  it('does not flag Luhn-failing numbers', () => {
    expect(found('credit_card', '4242 4242 4242 4241')).toEqual([]);
    expect(found('credit_card', '4111111111111112')).toEqual([]);
  });

  it('does not flag timestamps, ids, mixed separators or numbers inside words', () => {
    expect(found('credit_card', 'at 1732406400000')).toEqual([]); // ms timestamp (starts with 1)
    expect(found('credit_card', '4242-4242 4242-4242')).toEqual([]);
    expect(found('credit_card', 'order_4242424242424242')).toEqual([]);
    expect(found('credit_card', '424242424242')).toEqual([]); // 12 digits
    expect(found('credit_card', '42424242424242424242')).toEqual([]); // 20 digits
  });
});

describe('contact: email', () => {
  it('finds addresses, including inside URLs', () => {
    expect(found('email', 'mail hello@example.com.')).toEqual(['hello@example.com']);
    expect(found('email', 'first.last+tag@mail.example.co.uk')).toEqual(['first.last+tag@mail.example.co.uk']);
    expect(found('email', 'https://example.com/unsubscribe?u=jane@example.org&x=1')).toEqual(['jane@example.org']);
    expect(found('email', '<mailto:bob@corp.io>')).toEqual(['bob@corp.io']);
  });

  it('skips package specs, decorators, hosts without a TLD and masks', () => {
    expect(found('email', 'lodash@4.17.21 @memory-context/privacy @Injectable() user@localhost h***@example.com')).toEqual([]);
  });
});

describe('contact: phone', () => {
  it('finds US and international forms', () => {
    expect(found('phone', 'call (555) 123-4567')).toEqual(['(555) 123-4567']);
    expect(found('phone', 'call 555-123-4567 or 555.123.4567 or 555 123 4567')).toEqual(['555-123-4567', '555.123.4567', '555 123 4567']);
    expect(found('phone', 'call +1 555 123 4567')).toEqual(['+1 555 123 4567']);
    expect(found('phone', 'call +1 (555) 123-4567')).toEqual(['+1 (555) 123-4567']);
    expect(found('phone', 'call 1-555-123-4567')).toEqual(['1-555-123-4567']);
    expect(found('phone', 'ring +44 20 7946 0958 today')).toEqual(['+44 20 7946 0958']);
    expect(found('phone', 'E.164 +15551234567')).toEqual(['+15551234567']);
  });

  it('skips dates, versions, ids, SSNs, UUIDs, SHAs, short numbers and masks', () => {
    for (const text of [
      '2024-01-15',
      '2024-01-15T10:30:00Z',
      'v1.22.333',
      '1.2.3.4',
      '123-45-6789',
      '123e4567-e89b-12d3-a456-426614174000',
      'da39a3ee5e6b4b0d3255bfef95601890afd80709',
      'call 555-1234',
      'order 12345678',
      '+1 5',
      '555-***-4567',
      '(555) ***-4567',
      '+44 ** **** 0958',
      '4242 4242 4242 4242',
      'issue #5551234567',
      '555-123-45678',
    ]) {
      expect(found('phone', text), text).toEqual([]);
    }
  });
});

describe('network: ip_address', () => {
  it('finds IPv4 addresses', () => {
    expect(found('ip_address', 'from 10.0.12.34, to 192.168.1.1.')).toEqual(['10.0.12.34', '192.168.1.1']);
    expect(found('ip_address', '1.2.3.4')).toEqual(['1.2.3.4']); // a valid address, even if it was meant as a version
  });

  it('skips invalid octets and longer dotted runs', () => {
    expect(found('ip_address', '256.1.1.1 1.2.3 1.2.3.4.5 v1.2.3.4 10.0.***.***')).toEqual([]);
  });

  it('finds IPv6 addresses with at least three explicit groups', () => {
    expect(found('ip_address', 'host 2001:db8:85a3::8a2e:370:7334 up')).toEqual(['2001:db8:85a3::8a2e:370:7334']);
    expect(found('ip_address', '[2001:0db8:0000:0000:0000:ff00:0042:8329]:443')).toEqual(['2001:0db8:0000:0000:0000:ff00:0042:8329']);
    expect(found('ip_address', 'mapped ::ffff:192.0.2.128.')).toEqual(['::ffff:192.0.2.128']);
  });

  it('skips times, MACs, C++/Rust paths and trivial IPv6 forms', () => {
    expect(found('ip_address', '12:30:45 00:1A:2B:3C:4D:5E std::vector Abc::def :: ::1 a:b')).toEqual([]);
  });
});
