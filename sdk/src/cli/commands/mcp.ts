import { Option, type Command } from 'commander';
import { createClient } from '../../index.js';
import { LOOPBACK_HOSTS, type LoopbackHost } from '../../mcp/loopback.js';
import { CliContext } from '../context.js';
import { port } from '../option-parsers.js';
import { packageVersion } from '../version.js';

/** Talk for the operator; stdout belongs to the protocol. */
function log(message: string): void {
  process.stderr.write(`memctx mcp: ${message}\n`);
}

export function registerMcp(program: Command): void {
  program
    .command('mcp')
    .description('serve memory to coding agents over the Model Context Protocol: stdio, or Streamable HTTP on loopback with --http (see docs/mcp.md)')
    .option('--http', 'serve Streamable HTTP at http://<host>:<port>/mcp instead of stdio')
    .option('--port <port>', 'port for --http (0: any free port; the URL is printed on stderr)', port, 3333)
    .addOption(new Option('--host <host>', 'loopback address for --http').choices(LOOPBACK_HOSTS).default('127.0.0.1'))
    .action(async (options: { http?: boolean; port: number; host: LoopbackHost }, command: Command) => {
      const ctx = CliContext.of(command);
      // A long-running server: background pulls and push on write, as configured (unlike one-shot commands).
      const client = createClient(ctx.options());
      // Loaded here, so other commands do not load the MCP SDK.
      const { serveHttp, serveStdio } = await import('../../mcp/index.js');
      const serverOptions = { version: packageVersion(), log };
      const status = client.status();
      log(`cache ${status.cachePath}; gateway ${status.url ?? '(not configured: cache only)'}; submodule ${status.submoduleId ?? '(no token)'}`);
      try {
        if (!options.http) {
          await serveStdio(client, serverOptions);
          return;
        }
        const serving = await serveHttp(client, { ...serverOptions, host: options.host, port: options.port });
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await serving.close();
      } finally {
        await client.close();
      }
    });
}
