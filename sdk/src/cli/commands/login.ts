import type { Command } from 'commander';
import { isSdkError, SdkError } from '../../errors.js';
import { readTokenClaims } from '../../token-claims.js';
import { CliContext } from '../context.js';
import { writeCredentials } from '../credentials.js';
import { ask, canPrompt } from '../prompt.js';

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.trim();
}

export function registerLogin(program: Command): void {
  program
    .command('login')
    .description('store the gateway URL and token for this checkout, in .memctx/credentials.json (readable by you only)')
    .option('--url <url>', 'gateway GraphQL endpoint, such as http://127.0.0.1:4000/graphql')
    .option('--token <token>', 'bearer token; "-" reads it from stdin')
    .action(async (_options: unknown, command: Command) => {
      const ctx = CliContext.of(command);
      const flags = command.optsWithGlobals<{ url?: string; token?: string }>();
      let url = flags.url ?? (process.env.MEMCTX_URL || undefined);
      let token = flags.token === '-' ? await readStdin() : (flags.token ?? (process.env.MEMCTX_TOKEN || undefined));
      if ((!url || !token) && canPrompt()) {
        const streams = { input: process.stdin, output: process.stderr };
        const stored = ctx.credentials().url;
        if (!url) url = (await ask(`Gateway URL${stored ? ` [${stored}]` : ''}: `, streams)) || stored;
        if (!token) token = await ask('Token (npm run token -- --submodule <id> prints one; not shown): ', streams, { secret: true });
      }
      if (!url || !token) {
        const missing = [!url && '--url <gateway URL>', !token && '--token <token>'].filter(Boolean).join(' and ');
        throw new SdkError(
          'INVALID_OPTIONS',
          `memctx login needs ${missing}: memctx login --url http://127.0.0.1:4000/graphql --token <token> ` +
            '(--token - reads it from stdin; MEMCTX_URL and MEMCTX_TOKEN work too). On a terminal it asks for what is missing.',
        );
      }
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
      const file = writeCredentials(ctx.cwd, { url, token });
      const result = { credentials: file, cachePath: client.options.cachePath, url, submoduleId: claims.submoduleId, scopes: claims.scopes, expiresAt: claims.expiresAt?.toISOString() ?? null, verified };
      if (!verified) ctx.out.warn('NETWORK_ERROR', `The gateway at ${url} could not be reached; the token was stored without being checked.`);
      ctx.out.result(result, () =>
        [
          `Logged in as submodule ${claims.submoduleId} (${claims.scopes.join(' ') || 'no scopes'}) at ${url}${verified ? ' (the gateway accepted the token)' : ''}`,
          `Stored in ${file}${claims.expiresAt ? `; it expires ${claims.expiresAt.toISOString()}` : ''}.`,
        ].join('\n'),
      );
    });
}
