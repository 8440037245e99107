import { parseArgs } from 'node:util';
import { loadConfig } from '@memory-context/config';
import { SCOPES, type Scope } from '@memory-context/protocol';
import { issueToken } from './issue.js';
import { resolveHmacSecret } from './secret.js';
import { parseDuration } from './duration.js';

const USAGE = `Usage: npm run token -- --submodule <id> [--scope "memory:read memory:write"] [--ttl 30d]

Prints a token signed with the same secret as the embedded stack beside it
(MEMCTX_JWT_SECRET, or the secret in MEMCTX_DATA_DIR).`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      submodule: { type: 'string' },
      scope: { type: 'string', default: 'memory:read memory:write' },
      ttl: { type: 'string', default: '30d' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || values.submodule === undefined) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(values.help ? 0 : 2);
  }
  const scopes = values.scope.split(/\s+/).filter(Boolean);
  const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0) {
    process.stderr.write(`Unknown scope(s): ${unknown.join(', ')}. Use any of: ${SCOPES.join(' ')}\n`);
    process.exit(2);
  }
  const config = loadConfig();
  const token = await issueToken(
    { submoduleId: values.submodule, scopes: scopes as Scope[], issuer: config.jwtIssuer, audience: config.jwtAudience, ttlSeconds: parseDuration(values.ttl) },
    { alg: 'HS256', secret: resolveHmacSecret(config) },
  );
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
