/**
 * The messages between the main thread's PGlite proxy (client.ts) and the
 * thread that runs PGlite (worker.ts). Every request carries an id; the
 * worker answers it once, in order of completion.
 */

import type { MessagePort } from 'node:worker_threads';

export interface PgliteThreadData {
  /** The cluster's directory; undefined keeps it in memory. */
  dataDir: string | undefined;
}

/** What the starter adds: where answers go, and the counter the thread bumps after each one. */
export interface PgliteThreadChannel {
  /** Answers and notifications (`PgliteResponse` other than ready/failed). */
  replies: MessagePort;
  /** An Int32Array's buffer: [0] counts answers posted, for a caller waiting on it (Atomics.wait). */
  signal: SharedArrayBuffer;
}

export interface QueryRequest {
  op: 'query';
  id: number;
  text: string;
  params: unknown[] | undefined;
  rowMode: 'array' | 'object' | undefined;
  /**
   * Type OIDs whose values stay as Postgres prints them (drizzle's parsers
   * for dates, timestamps and intervals are identities); functions cannot
   * cross the thread, so only these are honoured.
   */
  textOids: number[];
  /** The open transaction it runs in, or none. */
  txId: number | undefined;
}

export interface ExecRequest {
  op: 'exec';
  id: number;
  text: string;
  txId: number | undefined;
}

/** Opens a transaction; the answer's id is its txId until `end`. */
export interface BeginRequest {
  op: 'begin';
  id: number;
}

/** Commits (`commit: true`) or rolls back the transaction `txId`. */
export interface EndRequest {
  op: 'end';
  id: number;
  txId: number;
  commit: boolean;
}

export interface ListenRequest {
  op: 'listen' | 'unlisten';
  id: number;
  channel: string;
}

export interface CloseRequest {
  op: 'close';
  id: number;
}

export type PgliteRequest = QueryRequest | ExecRequest | BeginRequest | EndRequest | ListenRequest | CloseRequest;

/**
 * An error as it crosses the thread: name, message and stack, and every own
 * property of a Postgres error (code, detail, constraint, table, …) that the
 * error mapping reads.
 */
export interface ThreadError {
  name: string;
  message: string;
  stack?: string;
  fields: Record<string, string | number | undefined>;
}

export type PgliteResponse =
  | { op: 'ready' }
  | { op: 'failed'; error: ThreadError }
  | { op: 'result'; id: number; ok: true; value: unknown }
  | { op: 'result'; id: number; ok: false; error: ThreadError }
  | { op: 'notify'; channel: string; payload: string };

/** What of an error crosses the thread (structured clone keeps only name and message of an Error). */
export function toThreadError(error: unknown): ThreadError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} };
  const fields: ThreadError['fields'] = {};
  for (const [key, value] of Object.entries(error)) {
    if (typeof value === 'string' || typeof value === 'number') fields[key] = value;
  }
  return { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}), fields };
}

/** The error again on this side, its fields as own properties (what `error.code` readers expect). */
export function fromThreadError(error: ThreadError): Error {
  const rebuilt = Object.assign(new Error(error.message), error.fields);
  rebuilt.name = error.name;
  if (error.stack) rebuilt.stack = error.stack;
  return rebuilt;
}
