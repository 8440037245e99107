import type { Worker } from 'node:worker_threads';
import { startWorkerThread } from '@memory-context/config';
import { fromThreadError, type PgliteRequest, type PgliteResponse, type PgliteThreadData, type ThreadError } from './protocol.js';

/** What drizzle's PGlite driver calls on its client, and what a transaction hands it. */
export interface PgliteQueryable {
  query<T = Record<string, unknown>>(text: string, params?: unknown[], options?: { rowMode?: 'array' | 'object'; parsers?: Record<number, unknown> }): Promise<{ rows: T[]; affectedRows?: number; fields: Array<{ name: string; dataTypeID: number }> }>;
  exec(text: string): Promise<Array<{ rows: unknown[] }>>;
}

export interface PgliteThreadClient extends PgliteQueryable {
  transaction<T>(fn: (tx: PgliteQueryable) => Promise<T>): Promise<T>;
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  readonly closed: boolean;
  close(): Promise<void>;
}

type Pending = { resolve(value: unknown): void; reject(error: Error): void };
type Request = PgliteRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** `dist/pglite-worker.js` beside the bundle that imports this (the embedded service's `main.js`), or `worker.ts` from source. */
function startWorker(data: PgliteThreadData): Worker {
  return startWorkerThread({ from: import.meta.url, source: './worker.ts', bundle: './pglite-worker.js' }, data);
}

/**
 * PGlite on a thread of its own, behind the client interface drizzle's PGlite
 * driver uses. Statements, transactions (BEGIN … COMMIT held open in the
 * thread while the caller works, so other statements wait for it exactly as
 * on one thread) and LISTEN cross as messages. Postgres errors keep their
 * fields (code, constraint, detail); if the thread dies, every open and later
 * call rejects with the reason.
 */
export async function startPgliteThread(data: PgliteThreadData): Promise<PgliteThreadClient> {
  const worker = startWorker(data);
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(payload: string) => void>>();
  let nextId = 1;
  let dead: Error | undefined;
  let closed = false;

  const die = (error: Error) => {
    dead ??= error;
    for (const call of pending.values()) call.reject(dead);
    pending.clear();
  };

  await new Promise<void>((resolve, reject) => {
    const onStart = (message: PgliteResponse) => {
      worker.off('message', onStart);
      if (message.op === 'ready') resolve();
      else if (message.op === 'failed') reject(fromThreadError(message.error));
      else reject(new Error(`The PGlite thread sent ${message.op} before it was ready`));
    };
    worker.on('message', onStart);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`The PGlite thread exited (${code}) before it was ready`)));
  }).catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });
  worker.removeAllListeners('error');
  worker.removeAllListeners('exit');

  worker.on('message', (message: PgliteResponse) => {
    if (message.op === 'notify') {
      for (const onNotify of listeners.get(message.channel) ?? []) onNotify(message.payload);
      return;
    }
    if (message.op !== 'result') return;
    const call = pending.get(message.id);
    pending.delete(message.id);
    if (message.ok) call?.resolve(message.value);
    else call?.reject(fromThreadError(message.error as ThreadError));
  });
  worker.on('error', (error) => die(Object.assign(new Error(`The PGlite thread failed: ${error.message}`), { cause: error })));
  worker.on('exit', (code) => die(new Error(closed ? 'PGlite is closed' : `The PGlite thread exited (${code})`)));

  const call = <T>(request: Request): Promise<T> => {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ ...request, id });
    });
  };

  const queryable = (txId: number | undefined): PgliteQueryable => ({
    query: (text, params, options) =>
      call({ op: 'query', text, params, rowMode: options?.rowMode, textOids: Object.keys(options?.parsers ?? {}).map(Number), txId }),
    exec: (text) => call({ op: 'exec', text, txId }),
  });

  return {
    ...queryable(undefined),
    async transaction<T>(fn: (tx: PgliteQueryable) => Promise<T>): Promise<T> {
      const txId = nextId;
      await call({ op: 'begin' });
      let result: T;
      try {
        result = await fn(queryable(txId));
      } catch (error) {
        await call({ op: 'end', txId, commit: false }).catch(() => {});
        throw error;
      }
      await call({ op: 'end', txId, commit: true });
      return result;
    },
    async listen(channel, onNotify) {
      let set = listeners.get(channel);
      if (!set) {
        set = new Set();
        listeners.set(channel, set);
        await call({ op: 'listen', channel });
      }
      set.add(onNotify);
      return async () => {
        set.delete(onNotify);
        if (set.size > 0 || listeners.get(channel) !== set) return;
        listeners.delete(channel);
        await call({ op: 'unlisten', channel });
      };
    },
    get closed() {
      return closed || dead !== undefined;
    },
    async close() {
      if (closed) return;
      closed = true;
      if (!dead) await call({ op: 'close' }).catch(() => {});
      await worker.terminate();
    },
  };
}
