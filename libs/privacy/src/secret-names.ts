/**
 * Heuristics for `name = value` assignments: which names hold secrets or
 * passwords, and which values are placeholders or code rather than a secret.
 */

const SEPARATOR = /[_.-]$/;

/** Words that, right before `key`/`token`, make the name something ordinary (a database key, a page cursor). */
const NON_SECRET_KEY_PREFIXES = [
  'public',
  'primary',
  'foreign',
  'sort',
  'partition',
  'cache',
  'idempotency',
  'unique',
  'composite',
  'row',
  'hash',
  'lookup',
  'index',
  'map',
  'object',
  'dedup',
  'dedupe',
  'routing',
  'shard',
  'group',
  'message',
  'translation',
  'i18n',
  'hot',
  'sync',
];
const NON_SECRET_TOKEN_PREFIXES = ['page', 'nextpage', 'continuation', 'sync', 'cursor', 'max', 'input', 'output', 'completion', 'prompt'];

/** Run-together words before `key` that still mean a secret key (`APIKEY`, `secretkey`). */
const GLUED_SECRET_KEY_PREFIXES = ['api', 'secret', 'access', 'private', 'signing', 'master', 'encryption', 'auth', 'license', 'app', 'client', 'service', 'session'];

function endsAtWordBoundary(name: string, suffixLength: number): boolean {
  const before = name.slice(0, name.length - suffixLength);
  if (before === '' || SEPARATOR.test(before)) return true;
  // camelCase: `apiKey`, `accessToken`, `clientSecret`
  const first = name.charAt(name.length - suffixLength);
  return /[a-z0-9]$/.test(before) && first >= 'A' && first <= 'Z';
}

function lastWordBefore(name: string, suffixLength: number): string {
  return name
    .slice(0, name.length - suffixLength)
    .replace(/[_.-]+/g, '')
    .toLowerCase();
}

/** `api_key`, `apiKey`, `APIKEY`, `client_secret`, `GITHUB_TOKEN`, `secret`, `token`, `key` — not `monkey`, `publicKey`, `pageToken`. */
export function isSecretName(name: string): boolean {
  const lower = name.toLowerCase();
  // No ordinary word ends in "secret" or "token", so any prefix will do.
  if (lower.endsWith('secret')) return true;
  if (lower.endsWith('token')) {
    const prefix = lastWordBefore(name, 5);
    return !NON_SECRET_TOKEN_PREFIXES.some((p) => prefix.endsWith(p));
  }
  if (lower.endsWith('key')) {
    const prefix = lastWordBefore(name, 3);
    if (NON_SECRET_KEY_PREFIXES.some((p) => prefix.endsWith(p))) return false;
    if (endsAtWordBoundary(name, 3)) return true;
    const glued = lower.slice(0, -3);
    return GLUED_SECRET_KEY_PREFIXES.some((p) => glued.endsWith(p));
  }
  return false;
}

/** `password`, `passwd`, `passphrase`, with any prefix: `db_password`, `PGPASSWORD`, `userPassword`. */
export function isPasswordName(name: string): boolean {
  return /(?:password|passwd|passphrase)$/i.test(name);
}

const TYPE_OR_LITERAL_WORDS = new Set([
  'null',
  'undefined',
  'none',
  'nil',
  'true',
  'false',
  'string',
  'number',
  'boolean',
  'bool',
  'str',
  'int',
  'any',
  'unknown',
  'object',
  'bytes',
  'void',
  'never',
]);

/**
 * Values that are not secrets: literals and type names (`token: string`),
 * references to where the secret lives (`$DB_PASSWORD`, `process.env.TOKEN`,
 * `${SECRET}`, `<your key>`), function calls, masks, and our own markers.
 */
export function isPlaceholderValue(value: string): boolean {
  if (value.startsWith('[REDACTED:')) return true;
  if (TYPE_OR_LITERAL_WORDS.has(value.toLowerCase())) return true;
  if (/^(?:process\.env|import\.meta\.env|os\.environ|os\.getenv|env\.|ENV\[|\$\{|\$\(|\{\{|\{|<|%\(|%s$|\?$)/.test(value)) return true;
  if (/^\$[A-Za-z_]\w*$/.test(value)) return true;
  if (/^[A-Za-z_$][\w$.]*\(/.test(value)) return true;
  if (/^[*xX•.…-]+$/.test(value)) return true;
  return false;
}

/** Drops closing brackets that close something outside the value: `{token=abc123}` → `abc123`. */
export function trimUnbalancedClosers(value: string): string {
  let v = value;
  for (;;) {
    const last = v.charAt(v.length - 1);
    const open = last === ')' ? '(' : last === ']' ? '[' : last === '}' ? '{' : '';
    if (open === '') return v;
    const opens = v.split(open).length - 1;
    const closes = v.split(last).length - 1;
    if (closes <= opens) return v;
    v = v.slice(0, -1);
  }
}
