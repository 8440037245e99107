import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { isSdkError, type MemoryClient } from '../index.js';

/**
 * A tool's answer: the structured result, and the same as JSON text for clients
 * that read only text (as the MCP specification asks of tools with an output schema).
 */
export function toolResult(structured: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(structured, null, 2) }], structuredContent: structured };
}

/**
 * A failure the model can act on: `isError` with the SDK's code and reason (`NOT_FOUND: …`), never a crash of the
 * server. Text only: clients check structured content against the tool's output schema, which describes success.
 */
export function toolError(error: unknown): CallToolResult {
  const code = isSdkError(error) ? error.code : 'INTERNAL';
  const message = error instanceof Error ? error.message : String(error);
  return { isError: true, content: [{ type: 'text', text: `${code}: ${message}` }] };
}

/** Runs a tool's body; whatever it throws becomes a tool error (and a line on stderr when it is not a known SDK error). */
export function guarded<A>(log: (message: string) => void, name: string, run: (args: A) => Promise<Record<string, unknown>>): (args: A) => Promise<CallToolResult> {
  return async (args) => {
    try {
      return toolResult(await run(args));
    } catch (error) {
      if (!isSdkError(error)) log(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return toolError(error);
    }
  };
}

/** For a read the cache answered because the gateway could not be asked: that, and why (not reachable, not configured). */
export function staleNote(read: { stale: boolean }, client: MemoryClient): string | null {
  if (!read.stale) return null;
  const why = client.status().offlineReason ?? 'The gateway could not be reached.';
  return `From the local cache, which holds only what was synced, read or written on this machine. ${why}`;
}
