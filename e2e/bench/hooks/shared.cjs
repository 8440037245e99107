'use strict';
// Shared by the autocannon hooks below. They run inside autocannon's worker
// thread (or in the main thread with --workers 0), so they are plain CommonJS:
// autocannon `require`s them by path. Their settings travel in the autocannon
// options as `memctxBench` (worker mode: structured-cloned into workerData,
// SharedArrayBuffers shared) or in globalThis.__memctxBench (main-thread mode).
const { workerData } = require('node:worker_threads');

/** @returns {{ items?: Array<{ body: string, authorization: string }>, template?: { body: string, authorization: string }, latencies: SharedArrayBuffer, count: SharedArrayBuffer }} */
function benchConfig() {
  const fromWorker = workerData && workerData.opts && workerData.opts.memctxBench;
  return fromWorker || globalThis.__memctxBench;
}

module.exports = { benchConfig };
