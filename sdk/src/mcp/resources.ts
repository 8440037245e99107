import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import type { MemoryClient } from '../index.js';
import type { MemoryServerContext } from './context.js';
import { cacheNote, checkpointText, patternText, sessionText } from './memory-text.js';

export const RESOURCES = {
  recentSessions: 'memctx://sessions/recent',
  topPatterns: 'memctx://patterns/most-used',
  latestCheckpoint: 'memctx://checkpoints/latest',
} as const;

/** The token's submodule (null without a token: then every readable submodule). */
export function ownSubmodule(client: MemoryClient): string[] | null {
  const own = client.status().submoduleId;
  return own ? [own] : null;
}

function markdown(uri: string, text: string): ReadResourceResult {
  return { contents: [{ uri, mimeType: 'text/markdown', text }] };
}

export async function recentSessions(client: MemoryClient, first = 10) {
  const submodules = ownSubmodule(client);
  return client.sessions.list(submodules ? { submodules } : null, { first });
}

export async function topPatterns(client: MemoryClient, first = 10) {
  return client.patterns.list(null, { first, orderBy: 'USAGE' });
}

export async function latestCheckpoint(client: MemoryClient) {
  const submodules = ownSubmodule(client);
  const page = await client.checkpoints.list(submodules ? { submodules } : null, { first: 1 });
  return { checkpoint: page.nodes[0] ?? null, stale: page.stale };
}

export function registerResources(server: McpServer, ctx: MemoryServerContext): void {
  const { client } = ctx;
  server.registerResource(
    'recent-sessions',
    RESOURCES.recentSessions,
    { title: 'Recent sessions', description: "This submodule's ten most recent work sessions, newest first.", mimeType: 'text/markdown' },
    async (uri) => {
      const page = await recentSessions(client);
      const items = page.nodes.map(sessionText).join('\n');
      return markdown(uri.href, `# Recent sessions\n\n${items || 'No sessions yet.'}${cacheNote(page)}`);
    },
  );
  server.registerResource(
    'most-used-patterns',
    RESOURCES.topPatterns,
    { title: 'Most-used patterns', description: 'The ten lessons learned that agents used most, across every submodule you may read.', mimeType: 'text/markdown' },
    async (uri) => {
      const page = await topPatterns(client);
      const items = page.nodes.map(patternText).join('\n');
      return markdown(uri.href, `# Most-used patterns\n\n${items || 'No patterns yet.'}${cacheNote(page)}`);
    },
  );
  server.registerResource(
    'latest-checkpoint',
    RESOURCES.latestCheckpoint,
    { title: 'Latest checkpoint', description: "This submodule's most recent checkpoint: where the work stood.", mimeType: 'text/markdown' },
    async (uri) => {
      const latest = await latestCheckpoint(client);
      return markdown(uri.href, `# Latest checkpoint\n\n${latest.checkpoint ? checkpointText(latest.checkpoint) : 'No checkpoint yet.'}${cacheNote(latest)}`);
    },
  );
}
