/** `memctx mcp`: memory-context as a Model Context Protocol server, over the SDK client. See docs/mcp.md. */
export { createMemoryServer, type MemoryServerOptions } from './server.js';
export { serveStdio } from './stdio.js';
export { serveHttp, type HttpServing } from './http.js';
export { LOOPBACK_HOSTS, type LoopbackHost } from './loopback.js';
