import type { Worker } from 'node:worker_threads';
import { startWorkerThread, type Config } from '@memory-context/config';

export interface GatewayWorkerData {
  config: Config;
  port: number;
  host: string;
  sandboxToken?: string;
}

/** A listen error as it crossed the thread: what listenErrorMessage (@memory-context/config) reads. */
interface ThreadError {
  message: string;
  stack?: string;
  code?: string;
  port?: number;
  address?: string;
}

export type GatewayWorkerMessage = { type: 'listening'; url: string } | { type: 'failed'; error: ThreadError } | { type: 'closed' };

export interface GatewayThread {
  /** The gateway's base URL (no path). */
  readonly url: string;
  /** Closes the gateway (open requests finish) and ends the thread. */
  close(): Promise<void>;
}

/** The bundle has `dist/gateway-worker.js` beside `main.js`; source runs start `gateway-worker.ts`. */
function startWorker(data: GatewayWorkerData): Worker {
  return startWorkerThread({ from: import.meta.url, source: './gateway-worker.ts', bundle: './gateway-worker.js' }, data);
}

/**
 * The gateway in a worker thread of this process (MEMCTX_EMBEDDED_LAYOUT=threads):
 * its query planning, response merging and token checks run on the second
 * core while the main thread serves the subgraphs and PGlite. Resolves once it
 * listens; rejects with the listen error (its code and port kept) otherwise.
 */
export async function startGatewayThread(data: GatewayWorkerData): Promise<GatewayThread> {
  const worker = startWorker(data);
  const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
  let starting = true;
  const first = await new Promise<GatewayWorkerMessage>((resolve, reject) => {
    worker.once('message', resolve);
    // A gateway that fails once serving ends the process, as it would on one thread; during the start the start fails.
    worker.on('error', (error) => {
      if (starting) return reject(error);
      throw error;
    });
    void exited.then((code) => reject(new Error(`The gateway thread exited (${code}) before it listened`)));
  });
  starting = false;
  if (first.type !== 'listening') {
    await worker.terminate();
    throw first.type === 'failed' ? Object.assign(new Error(first.error.message), first.error) : new Error(`The gateway thread sent ${first.type} before it listened`);
  }
  let closing: Promise<void> | undefined;
  return {
    url: first.url,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => worker.on('message', (m: GatewayWorkerMessage) => m.type === 'closed' && resolve()));
        worker.postMessage({ type: 'close' });
        await Promise.race([closed, exited]);
        await worker.terminate();
      })();
      return closing;
    },
  };
}
