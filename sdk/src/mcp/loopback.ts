/** Hosts `memctx mcp --http` may listen on: this machine only (the server has no authentication of its own). */
export const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '::1'] as const;
export type LoopbackHost = (typeof LOOPBACK_HOSTS)[number];
