import type { Command } from 'commander';
import { isSdkError, SdkError } from '../../errors.js';
import { readTokenClaims } from '../../token-claims.js';
import { CliContext } from '../context.js';
import { writeCredentials } from '../credentials.js';

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.trim();
}

export function registerLogin(program: Command): void {
  program
    .command('login')
    .description('store the gateway URL and token for this checkout (next to the cache, readable by you only)')
    .option('--url <url>', 'gateway GraphQL endpoint, such as http://127.0.0.1:4000/graphql')
    .option('--token <token>', 'bearer token; "-" reads it from stdin')
    .action(async (_options: unknown, command: Command) => {
      const ctx = CliContext.of(command);
      const flags = command.optsWithGlobals<{ url?: string; token?: string }>();
      const url = flags.url ?? process.env.MEMCTX_URL;
      const token = flags.token === '-' ? await readStdin() : (flags.token ?? process.env.MEMCTX_TOKEN);
      if (!url || !token) throw new SdkError('INVALID_OPTIONS', 'memctx login needs --url and --token (or MEMCTX_URL and MEMCTX_TOKEN).');
      const claims = readTokenClaims(token);
      if (!claims.submoduleId) throw new SdkError('INVALID_OPTIONS', 'The token is not a JWT with a `sub` claim (npm run token -- --submodule <id> prints one).');

      // Check the token against the gateway when it can be reached; store it either way.
      let verified: boolean | null = null;
      const client = ctx.client({ url, token });
      try {
        await client.sessions.list(null, { first: 1, fetchPolicy: 'network-only' });
        verified = true;
      } catch (err) {
        if (isSdkError(err) && (err.code === 'UNAUTHENTICATED' || err.code === 'FORBIDDEN')) throw err;
        verified = null;
      } finally {
        await client.close();
      }
      const file = writeCredentials(ctx.cachePath, { url, token });
      const result = { credentials: file, url, submoduleId: claims.submoduleId, scopes: claims.scopes, expiresAt: claims.expiresAt?.toISOString() ?? null, verified };
      ctx.out.result(result, () =>
        [
          `Logged in as submodule ${claims.submoduleId} (${claims.scopes.join(' ') || 'no scopes'}) at ${url}`,
          verified ? 'The gateway accepted the token.' : 'The gateway could not be reached; the token was not checked.',
          `Stored in ${file}${claims.expiresAt ? `; it expires ${claims.expiresAt.toISOString()}` : ''}.`,
        ].join('\n'),
      );
    });
}
