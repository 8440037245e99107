import { Worker } from 'node:worker_threads';
import { percentile, round } from './stats.js';

/**
 * Asks a URL every 100 ms from a worker thread (its own event loop), so a
 * stall of the server's thread shows as a slow answer.
 */
export class HealthProbe {
  private readonly worker: Worker;
  constructor(url: string) {
    this.worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
      const times = []; let stopped = false; let first;
      const firstAnswer = new Promise((r) => { first = r; });
      const loop = (async () => {
        while (!stopped) {
          const t = performance.now();
          try { await (await fetch(workerData)).text(); times.push(performance.now() - t); first(); } catch { times.push(-1); }
          if (!stopped) await new Promise((r) => setTimeout(r, 100));
        }
      })();
      parentPort.on('message', async (m) => {
        if (m === 'ready') { await firstAnswer; times.length = 0; parentPort.postMessage('ready'); }
        // The request in flight when the measured work ended counts: it waited through the stall.
        else { stopped = true; await loop; parentPort.postMessage(times); }
      });`,
      { eval: true, workerData: url },
    );
  }

  private ask<T>(message: string): Promise<T> {
    return new Promise((resolveAnswer) => {
      this.worker.once('message', resolveAnswer);
      this.worker.postMessage(message);
    });
  }

  async ready(): Promise<void> {
    await this.ask('ready');
  }

  /** Stops; the answers' count, slowest and median (ms), and failures. */
  async stop(): Promise<{ requests: number; maxMs: number | null; p50Ms: number | null; failures: number }> {
    const times = await this.ask<number[]>('stop');
    await this.worker.terminate();
    const good = times.filter((t) => t >= 0).sort((a, b) => a - b);
    return { requests: times.length, maxMs: round(good.at(-1) ?? Number.NaN, 0), p50Ms: round(percentile(good, 0.5), 1), failures: times.length - good.length };
  }
}
