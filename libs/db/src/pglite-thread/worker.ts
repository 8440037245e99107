/**
 * The thread that runs PGlite (client.ts starts it): the WebAssembly Postgres
 * and its wire protocol on an event loop of their own, so the main thread's
 * subgraphs, drizzle and the search indexer run beside it on the other core.
 * Answers each request of protocol.ts once; `ready` or `failed` first.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import { toThreadError, type PgliteRequest, type PgliteResponse, type PgliteThreadChannel, type PgliteThreadData } from './protocol.js';

const port = parentPort!;
const { dataDir, replies, signal } = workerData as PgliteThreadData & PgliteThreadChannel;
const posted = new Int32Array(signal);
/** Start-up messages go to the parent port; answers to `replies`, then the counter a waiting caller watches moves. */
const send = (message: PgliteResponse) => {
  if (message.op === 'ready' || message.op === 'failed') return port.postMessage(message);
  replies.postMessage(message);
  Atomics.add(posted, 0, 1);
  Atomics.notify(posted, 0);
};

/** An open transaction: its handle and how the main thread ends it. */
interface OpenTx {
  tx: Transaction;
  end(commit: boolean): void;
}

const identity = (value: string) => value;
const parserCache = new Map<string, Record<number, (value: string) => string>>();
/** drizzle's parsers (identities for the OIDs named), built once per set. */
function textParsers(oids: number[]): Record<number, (value: string) => string> {
  const key = oids.join(',');
  let parsers = parserCache.get(key);
  if (!parsers) {
    parsers = Object.fromEntries(oids.map((oid) => [oid, identity]));
    parserCache.set(key, parsers);
  }
  return parsers;
}

async function open(): Promise<PGlite> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { vector } = await import('@electric-sql/pglite-pgvector');
  return PGlite.create(dataDir, { extensions: { vector } });
}

let client: PGlite;
try {
  client = await open();
} catch (error) {
  send({ op: 'failed', error: toThreadError(error) });
  process.exit(0);
}

const transactions = new Map<number, OpenTx>();
const listeners = new Map<string, () => Promise<void>>();

/** The handle a request runs on: the open transaction it names, or the client. */
function target(txId: number | undefined): PGlite | Transaction {
  if (txId === undefined) return client;
  const open = transactions.get(txId);
  if (!open) throw new Error(`PGlite thread: transaction ${txId} is not open`);
  return open.tx;
}

/** Opens a transaction and resolves once BEGIN ran; `done` settles when it committed or rolled back. */
function begin(id: number): Promise<{ done: Promise<void> }> {
  return new Promise((begun, failed) => {
    const done = client
      .transaction(
        (tx) =>
          new Promise<void>((commit, rollback) => {
            transactions.set(id, { tx, end: (ok) => (ok ? commit() : rollback(new Error('rolled back'))) });
            begun({ done });
          }),
      )
      .finally(() => transactions.delete(id));
    // A BEGIN that failed never called back: report it to `begin`.
    done.catch((error) => (transactions.has(id) ? undefined : failed(error)));
  });
}

const ends = new Map<number, Promise<void>>();

async function handle(request: PgliteRequest): Promise<unknown> {
  switch (request.op) {
    case 'query':
      return target(request.txId).query(request.text, request.params, {
        ...(request.rowMode ? { rowMode: request.rowMode } : {}),
        ...(request.textOids.length > 0 ? { parsers: textParsers(request.textOids) } : {}),
      });
    case 'exec':
      return target(request.txId).exec(request.text);
    case 'begin': {
      const { done } = await begin(request.id);
      ends.set(request.id, done);
      return undefined;
    }
    case 'end': {
      const open = transactions.get(request.txId);
      const done = ends.get(request.txId);
      ends.delete(request.txId);
      if (!open || !done) throw new Error(`PGlite thread: transaction ${request.txId} is not open`);
      open.end(request.commit);
      // A rollback asked for is not an error; a failed COMMIT is.
      return request.commit ? done : done.catch(() => undefined);
    }
    case 'listen': {
      if (!listeners.has(request.channel)) {
        listeners.set(request.channel, await client.listen(request.channel, (payload) => send({ op: 'notify', channel: request.channel, payload })));
      }
      return undefined;
    }
    case 'unlisten': {
      const unlisten = listeners.get(request.channel);
      listeners.delete(request.channel);
      await unlisten?.();
      return undefined;
    }
    case 'close':
      if (!client.closed) await client.close();
      return undefined;
  }
}

port.on('message', (request: PgliteRequest) => {
  handle(request).then(
    (value) => {
      send({ op: 'result', id: request.id, ok: true, value });
      if (request.op === 'close') {
        replies.close();
        port.close();
      }
    },
    (error: unknown) => send({ op: 'result', id: request.id, ok: false, error: toThreadError(error) }),
  );
});
send({ op: 'ready' });
