import type { MemoryClient } from '../index.js';

/** What the tools, resources and prompt of one MCP connection share. */
export interface MemoryServerContext {
  readonly client: MemoryClient;
  /** The session `remember` appends to when asked to: the last one this connection recorded. */
  currentSessionId: string | undefined;
  /** A line for the operator, on stderr (stdout belongs to the protocol). */
  readonly log: (message: string) => void;
}
