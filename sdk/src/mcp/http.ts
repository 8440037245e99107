import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { MemoryClient } from '../index.js';
import { watchClient } from './client-events.js';
import type { LoopbackHost } from './loopback.js';
import { createMemoryServer, type MemoryServerOptions } from './server.js';


export interface HttpServing {
  /** The MCP endpoint, e.g. http://127.0.0.1:3333/mcp. */
  url: string;
  close(): Promise<void>;
}

type Request = IncomingMessage & { body?: unknown };

function jsonError(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

/**
 * Streamable HTTP on loopback, one MCP session per client (the `mcp-session-id` header), all over the one SDK
 * client. createMcpExpressApp checks the Host header (DNS rebinding protection) before a body is read.
 */
export async function serveHttp(client: MemoryClient, options: MemoryServerOptions & { host: LoopbackHost; port: number }): Promise<HttpServing> {
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport; server: McpServer }>();
  const app = createMcpExpressApp({ host: options.host });

  const stopWatching = watchClient(client, (level, message) => {
    options.log(message);
    for (const { server } of sessions.values()) void server.sendLoggingMessage({ level, logger: 'memctx', data: message }).catch(() => undefined);
  });

  app.post('/mcp', async (req: Request, res: ServerResponse) => {
    const id = req.headers['mcp-session-id'];
    const known = typeof id === 'string' ? sessions.get(id) : undefined;
    if (known) return known.transport.handleRequest(req, res, req.body);
    if (id !== undefined) return jsonError(res, 404, 'Unknown or expired session: initialize again.');
    if (!isInitializeRequest(req.body)) return jsonError(res, 400, 'No mcp-session-id header: the first request must be initialize.');
    const server = createMemoryServer(client, options);
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (sessionId) => void sessions.set(sessionId, { transport, server }),
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    return transport.handleRequest(req, res, req.body);
  });

  // GET opens the session's stream for server messages; DELETE ends the session.
  const bySession = async (req: Request, res: ServerResponse) => {
    const id = req.headers['mcp-session-id'];
    const known = typeof id === 'string' ? sessions.get(id) : undefined;
    if (!known) return jsonError(res, typeof id === 'string' ? 404 : 400, 'Unknown or missing mcp-session-id.');
    return known.transport.handleRequest(req, res);
  };
  app.get('/mcp', bySession);
  app.delete('/mcp', bySession);

  const http = await new Promise<Server>((resolve, reject) => {
    const listening: Server = app.listen(options.port, options.host, (err?: Error) => (err ? reject(err) : resolve(listening)));
    listening.once('error', reject);
  });
  const { port } = http.address() as AddressInfo;
  const host = options.host === '::1' ? '[::1]' : options.host;
  const url = `http://${host}:${port}/mcp`;
  options.log(`serving MCP over Streamable HTTP at ${url}`);
  return {
    url,
    async close() {
      stopWatching();
      await Promise.allSettled([...sessions.values()].map(({ server }) => server.close()));
      sessions.clear();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
