import { Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { MemoryClient } from '../index.js';
import { watchClient } from './client-events.js';
import { createMemoryServer, type MemoryServerOptions } from './server.js';

/**
 * stdout carries the protocol alone: the transport gets the real stdout, and anything else in the process that
 * writes to it (a console.log in a dependency) is sent to stderr instead, where it cannot corrupt a message.
 */
function claimStdout(): Writable {
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      write(chunk, (err) => done(err ?? null));
    },
  });
}

/** Serves MCP over stdin/stdout until the client closes stdin (or the process is told to stop). */
export async function serveStdio(client: MemoryClient, options: MemoryServerOptions): Promise<void> {
  const transport = new StdioServerTransport(process.stdin, claimStdout());
  const server = createMemoryServer(client, options);
  const stopWatching = watchClient(client, (level, message) => {
    options.log(message);
    if (server.isConnected()) void server.sendLoggingMessage({ level, logger: 'memctx', data: message }).catch(() => undefined);
  });
  const closed = new Promise<void>((resolve) => {
    transport.onclose = resolve;
    process.stdin.once('end', resolve);
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.connect(transport);
  options.log('serving MCP over stdio');
  await closed;
  stopWatching();
  await server.close();
}
