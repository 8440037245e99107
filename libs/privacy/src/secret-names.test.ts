import { describe, expect, it } from '@jest/globals';
import { isPasswordName, isPlaceholderValue, isSecretName, trimUnbalancedClosers } from './secret-names.js';

describe('isSecretName', () => {
  it.each(['key', 'KEY', 'secret', 'token', 'api_key', 'api-key', 'apiKey', 'APIKEY', 'apikey', 'secretKey', 'SECRET_KEY', 'client_secret', 'clientSecret', 'GITHUB_TOKEN', 'access_token', 'accessToken', 'auth.token', 'x-api-key', 'stripe.key'])(
    '%s holds a secret',
    (name) => expect(isSecretName(name)).toBe(true),
  );
  it.each(['monkey', 'turkey', 'hockey', 'MONKEY', 'publicKey', 'public_key', 'ssh_public_key', 'primaryKey', 'foreign_key', 'sortKey', 'cacheKey', 'idempotencyKey', 'nextPageToken', 'page_token', 'max_tokens', 'maxTokens', 'password', 'name', 'keys', 'tokens'])(
    '%s does not',
    (name) => expect(isSecretName(name)).toBe(false),
  );
});

describe('isPasswordName', () => {
  it('matches password-like names with any prefix', () => {
    for (const n of ['password', 'Password', 'PASSWORD', 'passwd', 'db_password', 'PGPASSWORD', 'userPassword', 'passphrase']) expect(isPasswordName(n), n).toBe(true);
    for (const n of ['pass', 'pwd', 'passwords_url', 'username']) expect(isPasswordName(n), n).toBe(false);
  });
});

describe('isPlaceholderValue', () => {
  it('recognises literals, types, references, calls, masks and markers', () => {
    for (const v of ['null', 'None', 'string', 'undefined', '$DB_PASSWORD', '${SECRET}', '{{ secrets.X }}', '<your-token>', 'process.env.TOKEN', 'os.environ["X"]', 'getToken()', 'config.get(', '****', 'xxxx', '[REDACTED:api_key]']) {
      expect(isPlaceholderValue(v), v).toBe(true);
    }
  });
  it('lets real-looking values through', () => {
    for (const v of ['hunter2', 's3cr3t', 'abc123def456', 'pa$$w0rd', 'correct horse']) expect(isPlaceholderValue(v), v).toBe(false);
  });
});

describe('trimUnbalancedClosers', () => {
  it('drops closers that close something outside the value', () => {
    expect(trimUnbalancedClosers('abc123}')).toBe('abc123');
    expect(trimUnbalancedClosers('abc)])')).toBe('abc');
    expect(trimUnbalancedClosers('f(x)')).toBe('f(x)');
    expect(trimUnbalancedClosers('a[b]')).toBe('a[b]');
  });
});
