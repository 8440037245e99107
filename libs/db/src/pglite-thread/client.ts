import { MessageChannel, receiveMessageOnPort, type Worker } from 'node:worker_threads';
import { startWorkerThread } from '@memory-context/config';
import { fromThreadError, type PgliteRequest, type PgliteResponse, type PgliteThreadChannel, type PgliteThreadData, type ThreadError } from './protocol.js';

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
function startWorker(data: PgliteThreadData & PgliteThreadChannel): Worker {
  return startWorkerThread({ from: import.meta.url, source: './worker.ts', bundle: './pglite-worker.js' }, data, [data.replies]);
}

/**
 * How long a statement sent to an idle PGlite thread is waited for on the
 * spot (Atomics.wait), so that its answer continues the caller at once, as
 * PGlite on the caller's thread would, instead of queueing behind every other
 * event of a busy thread: a request that runs five statements one after the
 * other otherwise waits in that queue five times. Most single statements
 * answer within it; a longer one (a batch insert) is left to arrive as an
 * event while this thread goes on with other work.
 */
const WAIT_ON_IDLE_MS = 2;

/**
 * PGlite on a thread of its own, behind the client interface drizzle's PGlite
 * driver uses. Statements, transactions (BEGIN … COMMIT held open in the
 * thread while the caller works, so other statements wait for it exactly as
 * on one thread) and LISTEN cross as messages. Postgres errors keep their
 * fields (code, constraint, detail); if the thread dies, every open and later
 * call rejects with the reason.
 */
export async function startPgliteThread(data: PgliteThreadData): Promise<PgliteThreadClient> {
  const { port1: replies, port2: workerReplies } = new MessageChannel();
  const signal = new SharedArrayBuffer(4);
  const posted = new Int32Array(signal);
  const worker = startWorker({ ...data, replies: workerReplies, signal });
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

  const dispatch = (message: PgliteResponse) => {
    if (message.op === 'notify') {
      for (const onNotify of listeners.get(message.channel) ?? []) onNotify(message.payload);
      return;
    }
    if (message.op !== 'result') return;
    const call = pending.get(message.id);
    pending.delete(message.id);
    if (message.ok) call?.resolve(message.value);
    else call?.reject(fromThreadError(message.error as ThreadError));
  };
  replies.on('message', dispatch);

  /** Takes the answers already posted, and waits up to WAIT_ON_IDLE_MS for request `id`'s. */
  const waitBriefly = (id: number) => {
    const deadline = performance.now() + WAIT_ON_IDLE_MS;
    for (;;) {
      const seen = Atomics.load(posted, 0);
      for (let next = receiveMessageOnPort(replies); next; next = receiveMessageOnPort(replies)) dispatch(next.message as PgliteResponse);
      const left = deadline - performance.now();
      if (!pending.has(id) || left <= 0 || dead) return;
      Atomics.wait(posted, 0, seen, left);
    }
  };
  worker.on('error', (error) => die(Object.assign(new Error(`The PGlite thread failed: ${error.message}`), { cause: error })));
  worker.on('exit', (code) => die(new Error(closed ? 'PGlite is closed' : `The PGlite thread exited (${code})`)));

  /** Sends a request; its id (a transaction's, for `begin`) and its answer. */
  const send = <T>(request: Request): { id: number; answer: Promise<T> } => {
    const id = nextId++;
    if (dead) return { id, answer: Promise.reject(dead) };
    const idle = pending.size === 0;
    const answer = new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ ...request, id });
    });
    // Nothing else in flight: the thread starts on this at once, and most statements answer within the wait.
    if (idle) waitBriefly(id);
    return { id, answer };
  };
  const call = <T>(request: Request): Promise<T> => send<T>(request).answer;

  const queryable = (txId: number | undefined): PgliteQueryable => ({
    query: (text, params, options) =>
      call({ op: 'query', text, params, rowMode: options?.rowMode, textOids: Object.keys(options?.parsers ?? {}).map(Number), txId }),
    exec: (text) => call({ op: 'exec', text, txId }),
  });

  return {
    ...queryable(undefined),
    async transaction<T>(fn: (tx: PgliteQueryable) => Promise<T>): Promise<T> {
      const { id: txId, answer: begun } = send({ op: 'begin' });
      await begun;
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
      replies.close();
      await worker.terminate();
    },
  };
}
