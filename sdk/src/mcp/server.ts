import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { MemoryClient } from '../index.js';
import type { MemoryServerContext } from './context.js';
import { registerLoadMemoryPrompt } from './prompt-load-memory.js';
import { registerResources } from './resources.js';
import { registerCheckpoint } from './tools/checkpoint.js';
import { registerForget } from './tools/forget.js';
import { registerGet } from './tools/get.js';
import { registerPatternTools } from './tools/patterns.js';
import { registerRecall } from './tools/recall.js';
import { registerRemember } from './tools/remember.js';
import { registerSyncStatus } from './tools/sync-status.js';

export interface MemoryServerOptions {
  version: string;
  /** Lines for the operator; stdout is the protocol's. */
  log: (message: string) => void;
}

const INSTRUCTIONS = `Long-term memory shared by the agents of every repository (submodule) of this project.
Before work: call \`recall\` with the task in plain words (or read the "load-project-memory" prompt) to find what was already tried, decided or fixed.
After work: call \`remember\` with what happened and why; \`record_pattern\` for a lesson others can reuse; \`use_pattern\` when a pattern helped.
Everything works offline: reads fall back to the local cache and say so, writes are queued and sent once the gateway answers.`;

/** One MCP server (one connection) over the SDK client: the eight tools, three resources and the prompt. */
export function createMemoryServer(client: MemoryClient, options: MemoryServerOptions): McpServer {
  const server = new McpServer({ name: 'memctx', title: 'memory-context', version: options.version }, { capabilities: { logging: {} }, instructions: INSTRUCTIONS });
  const ctx: MemoryServerContext = { client, currentSessionId: undefined, log: options.log };
  registerRemember(server, ctx);
  registerRecall(server, ctx);
  registerGet(server, ctx);
  registerPatternTools(server, ctx);
  registerCheckpoint(server, ctx);
  registerForget(server, ctx);
  registerSyncStatus(server, ctx);
  registerResources(server, ctx);
  registerLoadMemoryPrompt(server, ctx);
  return server;
}
