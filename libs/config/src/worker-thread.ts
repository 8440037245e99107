import { Worker, type TransferListItem } from 'node:worker_threads';

export interface WorkerThreadFiles {
  /** `import.meta.url` of the module that starts the thread. */
  from: string;
  /** The thread's source file, beside `from` when it runs from source (tsx, jest). */
  source: string;
  /** The thread's bundle, beside the bundle that holds `from` (a service's `dist/`). */
  bundle: string;
}

/**
 * Starts a worker thread of this process on `bundle` when the caller runs
 * bundled, or on `source` through a one-line loader that registers tsx in the
 * thread first when it runs from TypeScript (Node 20 gives a worker no
 * `--import` hooks). The embedded stack's gateway and PGlite threads start so.
 */
export function startWorkerThread(files: WorkerThreadFiles, workerData: unknown, transferList: TransferListItem[] = []): Worker {
  if (!files.from.endsWith('.ts')) return new Worker(new URL(files.bundle, files.from), { workerData, transferList });
  const tsx = import.meta.resolve('tsx/esm/api');
  const file = new URL(files.source, files.from).href;
  const boot = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(file)}); });`;
  return new Worker(boot, { eval: true, workerData, transferList });
}
